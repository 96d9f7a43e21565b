package dev.transcript.events;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

@AnalyzeClasses(packages = "dev.transcript.events", importOptions = ImportOption.DoNotIncludeTests.class)
class ContractsArchitectureTest {

    /** The records stay plain; only the check of them (EventContract and its keywords) reads JSON trees. */
    @ArchTest
    static final ArchRule contracts_carry_no_framework = noClasses()
            .that().resideOutsideOfPackage("dev.transcript.events.contract..")
            .and().haveNameNotMatching(java.util.regex.Pattern.quote(EventContract.class.getName()) + "(\\$.*)?")
            .should().dependOnClassesThat().resideInAnyPackage("org.springframework..", "org.axonframework..",
                    "com.fasterxml.jackson.databind..", "org.apache.kafka..");

    @ArchTest
    static final ArchRule events_are_records = classes()
            .that().implement(TranscriptEvent.class).and().areNotInterfaces()
            .should().beRecords();
}

package dev.transcript.command;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;
import org.axonframework.spring.stereotype.Aggregate;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

@AnalyzeClasses(packages = "dev.transcript.command", importOptions = ImportOption.DoNotIncludeTests.class)
class ArchitectureTest {

    @ArchTest
    static final ArchRule aggregates_are_package_private = classes()
            .that().areAnnotatedWith(Aggregate.class)
            .should().notBePublic();

    @ArchTest
    static final ArchRule the_command_side_knows_nothing_of_projections = noClasses()
            .should().dependOnClassesThat().resideInAPackage("dev.transcript.projection..");

    @ArchTest
    static final ArchRule controllers_send_commands_and_never_touch_the_store = noClasses()
            .that().haveSimpleNameEndingWith("Controller").and().resideOutsideOfPackage("..audit..")
            .should().dependOnClassesThat().resideInAnyPackage("org.axonframework.eventsourcing..",
                    "org.springframework.jdbc..");

    @ArchTest
    static final ArchRule feature_packages_do_not_cycle = slices()
            .matching("dev.transcript.command.(*)..")
            .should().beFreeOfCycles()
            .ignoreDependency(com.tngtech.archunit.base.DescribedPredicate.alwaysTrue(),
                    com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAPackage("dev.transcript.command"));
}

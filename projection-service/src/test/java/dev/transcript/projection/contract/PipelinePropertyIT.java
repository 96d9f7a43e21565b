package dev.transcript.projection.contract;

import dev.transcript.events.EventCatalog;
import dev.transcript.testing.TestMariaDb;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.opentest4j.TestAbortedException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The property the pipeline promises: every event the contract allows is carried by every read model. Events are
 * generated from the checked-in schemas at and around every limit they state ({@link Candidates}), each told as a
 * valid story of its own ({@link Stories}) and delivered twice to gateway, builder, todo, chat and chat_app on
 * PostgreSQL, and to chat_app on MariaDB, as the listeners deliver them (decoder, then batch applier, on the
 * services' 512 KiB stack). None may be dead-lettered, parked or thrown, and a text field a read model keeps must
 * be there exactly as sent (chat_app: its documented cut). What the contract refuses is counted in
 * {@link Classified#refused()}, for the edge's test to assert refused.
 *
 * <p>Run with {@code -Dtranscript.contract.seed=<seed>} to repeat a run: the seed is printed with every failure.
 */
class PipelinePropertyIT {

    private static final Logger log = LoggerFactory.getLogger(PipelinePropertyIT.class);

    static final long SEED = Long.getLong("transcript.contract.seed", System.currentTimeMillis());
    private static final List<String> READ_MODELS = List.of("gateway", "builder", "todo", "chat", "chat_app");

    static Classified classified;
    static ProjectionUnderTest postgres;
    static ProjectionUnderTest mariaDb;

    @BeforeAll
    static void start() {
        log.info("pipeline property test, seed {} (-Dtranscript.contract.seed={} repeats it)", SEED, SEED);
        long started = System.nanoTime();
        classified = Classified.by(Contract.current(), SEED);
        log.info("candidates generated and classified in {} ms", (System.nanoTime() - started) / 1_000_000);
        postgres = ProjectionUnderTest.start("PostgreSQL", null);
        try {
            mariaDb = ProjectionUnderTest.start("MariaDB", TestMariaDb.create("contract"));
        } catch (TestAbortedException noMariaDb) {
            log.warn("chat_app on MariaDB not tried: {}", noMariaDb.getMessage());
        }
    }

    @AfterAll
    static void stop() {
        for (ProjectionUnderTest projection : new ProjectionUnderTest[] {postgres, mariaDb}) {
            if (projection != null) {
                projection.close();
            }
        }
    }

    @Test
    void every_type_is_tried_and_what_the_contract_refuses_is_counted() {
        Set<String> tried = new TreeSet<>();
        classified.allowed().forEach(story -> tried.add(story.candidate().typeName()));
        Set<String> types = new TreeSet<>();
        EventCatalog.all().forEach(type -> types.add(type.typeName()));

        assertThat(tried).as("types with an allowed candidate, seed " + SEED).isEqualTo(types);
        assertThat(classified.refused()).as("refused candidates")
                .extracting(Candidate::valueClass)
                .contains("NUL", "not in the enum", "fraction 1.5", "below minimum");
        log.info("{} candidates allowed, {} refused", classified.allowed().size(), classified.refused().size());
    }

    @Test
    void every_event_the_contract_allows_is_applied_by_every_read_model_and_kept_as_sent() {
        Gaps gaps = new Gaps();
        for (ProjectionUnderTest projection : projections()) {
            for (String readModel : projection == mariaDb ? List.of("chat_app") : READ_MODELS) {
                String target = readModel.equals("chat_app") ? readModel + " on " + projection : readModel;
                failuresOf(target, projection, readModel).forEach((candidate, reason) ->
                        gaps.found(target, candidate, reason));
            }
        }

        assertThat(gaps.byCandidate())
                .as("events the contract allows and a read model does not carry (seed %d):%n%s", SEED, gaps.report())
                .isEmpty();
    }

    private static Map<Candidate, String> failuresOf(String target, ProjectionUnderTest projection, String readModel) {
        long started = System.nanoTime();
        Map<Candidate, String> failures = new Delivery(projection, readModel).deliver(classified.allowed());
        failures.putAll(notKeptAsSent(projection, readModel, failures.keySet()));
        log.info("{}: {} stories delivered twice in {} ms, {} not carried", target, classified.allowed().size(),
                (System.nanoTime() - started) / 1_000_000, failures.size());
        return failures;
    }

    /**
     * Text the read model keeps (its probe, a plain distinct value of the same field, is in its tables) that is not
     * there as sent: cut, altered or lost.
     */
    private static Map<Candidate, String> notKeptAsSent(ProjectionUnderTest projection, String readModel,
                                                        Set<Candidate> failed) {
        Set<String> texts = StoredTexts.of(projection, readModel);
        Set<String> keptFields = new HashSet<>();
        for (Story story : classified.allowed()) {
            Candidate candidate = story.candidate();
            if (candidate.valueClass().equals(Candidates.PROBE) && texts.contains(candidate.value().asText())) {
                keptFields.add(candidate.typeName() + " " + candidate.field());
            }
        }
        Map<Candidate, String> lost = new LinkedHashMap<>();
        for (Story story : classified.allowed()) {
            Candidate candidate = story.candidate();
            if (!failed.contains(candidate) && candidate.changesAField() && candidate.value().isTextual()
                    && keptFields.contains(candidate.typeName() + " " + candidate.field())) {
                String sent = candidate.value().asText();
                String expected = readModel.equals("chat_app") ? StoredTexts.asChatAppKeepsIt(sent) : sent;
                if (!texts.contains(expected)) {
                    lost.put(candidate, "not kept as sent");
                }
            }
        }
        return lost;
    }

    private static List<ProjectionUnderTest> projections() {
        List<ProjectionUnderTest> projections = new ArrayList<>(List.of(postgres));
        if (mariaDb != null) {
            projections.add(mariaDb);
        }
        return projections;
    }
}

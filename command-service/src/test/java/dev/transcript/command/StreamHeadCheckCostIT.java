package dev.transcript.command;

import dev.transcript.command.support.Http;
import dev.transcript.command.support.ServiceInstance;
import dev.transcript.command.support.SharedInfrastructure;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.springframework.jdbc.core.JdbcTemplate;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static dev.transcript.command.support.Http.json;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * What checking a cached session against the store costs (StoreCheckedCache): the same commands, one after
 * another, on two instances on one database and broker, one with the check and one without
 * ({@code transcript.sessions.check-stream-head=false}), in the same run. Each instance posts to a session of its
 * own, so its cache is always current and the check never reloads: what is measured is the lookup alone.
 * Rounds alternate between the two so that both see the same load on a shared machine. Prints the figures.
 *
 * <p>A measurement, not a test of behaviour (speed is a benchmark's to judge, never a test's): it runs only when
 * asked, {@code bin/test -pl command-service -am -Dtest=StreamHeadCheckCostIT -Dtranscript.measure=true
 * -Dsurefire.failIfNoSpecifiedTests=false}, and CI does not spend two minutes on it twice.
 */
@EnabledIfSystemProperty(named = "transcript.measure", matches = "true")
class StreamHeadCheckCostIT {

    static final int ROUNDS = 4;
    static final int COMMANDS_PER_ROUND = 100;
    static final int WARM_UP = 50;

    static SharedInfrastructure shared;
    static ServiceInstance checked;
    static ServiceInstance unchecked;

    @BeforeAll
    static void twoInstances() {
        shared = SharedInfrastructure.start("head_check_cost");
        checked = shared.startInstance(Map.of());
        unchecked = shared.startInstance(Map.of("transcript.sessions.check-stream-head", false));
    }

    @AfterAll
    static void stop() {
        if (shared != null) {
            shared.close();
        }
    }

    @Test
    void a_command_on_a_cached_session_costs_one_index_lookup_more_with_the_check() {
        Sender withCheck = new Sender(checked.http());
        Sender withoutCheck = new Sender(unchecked.http());
        withCheck.post(WARM_UP);
        withoutCheck.post(WARM_UP);
        List<Long> checkedNanos = new ArrayList<>();
        List<Long> uncheckedNanos = new ArrayList<>();
        for (int round = 0; round < ROUNDS; round++) {
            boolean checkedFirst = round % 2 == 0;
            (checkedFirst ? checkedNanos : uncheckedNanos).addAll((checkedFirst ? withCheck : withoutCheck)
                    .post(COMMANDS_PER_ROUND));
            (checkedFirst ? uncheckedNanos : checkedNanos).addAll((checkedFirst ? withoutCheck : withCheck)
                    .post(COMMANDS_PER_ROUND));
        }
        long[] lookups = headLookups(checked.context().getBean(JdbcTemplate.class), withCheck.sessionId, 2_000);

        System.out.printf("StreamHeadCheckCostIT: per command, median / p90 / mean: with the check %s, without %s;"
                        + " the lookup alone (JDBC round trip) median %.0f us, p90 %.0f us%n",
                figures(checkedNanos), figures(uncheckedNanos), percentile(lookups, 50) / 1e3,
                percentile(lookups, 90) / 1e3);

        int total = WARM_UP + ROUNDS * COMMANDS_PER_ROUND;
        assertThat(withCheck.lastNumber).as("messages on the checked instance").isEqualTo(total);
        assertThat(withoutCheck.lastNumber).as("messages on the unchecked instance").isEqualTo(total);
        assertThat(checkedNanos).hasSize(ROUNDS * COMMANDS_PER_ROUND);
    }

    /** One client posting messages one after another to a session of its own on one instance. */
    static final class Sender {
        final Http http;
        final String sessionId;
        int lastNumber;

        Sender(Http http) {
            this.http = http;
            String userId = http.post("/api/users", json("email", "cost+" + UUID.randomUUID() + "@example.com",
                    "password", "correct horse battery", "role", "user")).text("id");
            this.sessionId = http.post("/api/sessions", json("userId", userId, "ttlSeconds", 3600)).text("sessionId");
        }

        List<Long> post(int commands) {
            List<Long> nanos = new ArrayList<>(commands);
            for (int i = 0; i < commands; i++) {
                long start = System.nanoTime();
                Http.Answer answer = http.post("/api/sessions/" + sessionId + "/messages",
                        json("role", "user", "content", "measured", "tokensUsed", 1));
                nanos.add(System.nanoTime() - start);
                assertThat(answer.status()).as(answer.body().toString()).isEqualTo(201);
                lastNumber = answer.body().path("messageNumber").asInt();
            }
            return nanos;
        }
    }

    private static long[] headLookups(JdbcTemplate jdbc, String sessionId, int times) {
        long[] nanos = new long[times];
        for (int i = 0; i < times; i++) {
            long start = System.nanoTime();
            jdbc.queryForObject("SELECT max(sequence_number) FROM eventstore.domain_event_entry"
                    + " WHERE aggregate_identifier = ?", Long.class, sessionId);
            nanos[i] = System.nanoTime() - start;
        }
        return nanos;
    }

    private static String figures(List<Long> nanos) {
        long[] sorted = nanos.stream().mapToLong(Long::longValue).toArray();
        return String.format("%.0f / %.0f / %.0f us (%.0f commands/s)", percentile(sorted, 50) / 1e3,
                percentile(sorted, 90) / 1e3, Arrays.stream(sorted).average().orElseThrow() / 1e3,
                1e9 / Arrays.stream(sorted).average().orElseThrow());
    }

    private static double percentile(long[] values, int percentile) {
        long[] sorted = values.clone();
        Arrays.sort(sorted);
        return sorted[Math.min(sorted.length - 1, (int) Math.ceil(percentile / 100.0 * sorted.length) - 1)];
    }
}

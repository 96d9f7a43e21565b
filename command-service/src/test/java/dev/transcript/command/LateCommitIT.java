package dev.transcript.command;

import dev.transcript.command.support.HoldingAppends;
import dev.transcript.command.support.Http;
import dev.transcript.command.support.TopicRecords;
import dev.transcript.command.support.TopicRecords.Record;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.TestPropertySource;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;

import static dev.transcript.command.support.Http.json;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The late-commit hazard of sequence-numbered event tables (AxonIQ/AxonFramework#4829): an append whose
 * transaction commits after later ones must still be published, and none may commit so late that the
 * publisher has given up waiting for its index. Short settings make the race quick to show: appends may
 * live 2 s, readers wait 8 s for a missing index.
 */
@LocalInfrastructure
@TestPropertySource(properties = {"spring.transaction.default-timeout=2s", "transcript.eventstore.gap-timeout=8s"})
@Import(LateCommitIT.Holding.class)
class LateCommitIT {

    static final Duration PUBLICATION = Duration.ofSeconds(30);

    @TestConfiguration
    static class Holding {
        @Bean
        HoldingAppends holdingAppends() {
            return new HoldingAppends();
        }
    }

    @LocalServerPort
    int port;
    @Value("${spring.kafka.bootstrap-servers}")
    String brokers;
    @Value("${transcript.kafka.topic}")
    String topic;
    @Autowired
    HoldingAppends holds;
    @Autowired
    JdbcTemplate jdbc;
    Http http;

    @BeforeEach
    void client() {
        http = new Http(port);
    }

    @Test
    void an_append_held_open_while_later_ones_commit_is_still_published() throws Exception {
        String held = startSession();
        String other = startSession();
        holds.arm(Duration.ofSeconds(10));

        CompletableFuture<Http.Answer> slow = CompletableFuture.supplyAsync(() -> postMessage(held, HoldingAppends.HOLD));
        assertThat(holds.awaitInserted(Duration.ofSeconds(10))).isTrue();
        for (int i = 0; i < 5; i++) {
            assertThat(postMessage(other, "later " + i).status()).isEqualTo(201);
        }
        TopicRecords.awaitKey(brokers, topic, other, records -> records.size() == 6, PUBLICATION);
        holds.release();

        assertThat(slow.get().status()).isEqualTo(201);
        List<Record> heldRecords = TopicRecords.awaitKey(brokers, topic, held, records -> records.size() == 2,
                PUBLICATION);
        assertThat(heldRecords).extracting(Record::type)
                .containsExactly("transcript.session.SessionStarted.v1", "transcript.session.MessagePosted.v2");
    }

    @Test
    void an_append_held_past_its_deadline_is_refused_so_nothing_stored_is_skipped() throws Exception {
        String held = startSession();
        String other = startSession();
        // Longer than the gap timeout: committed, this event would be passed over by the publisher.
        holds.arm(Duration.ofSeconds(10));

        CompletableFuture<Http.Answer> slow = CompletableFuture.supplyAsync(() -> postMessage(held, HoldingAppends.HOLD));
        assertThat(holds.awaitInserted(Duration.ofSeconds(10))).isTrue();
        assertThat(postMessage(other, "later").status()).isEqualTo(201);
        TopicRecords.awaitKey(brokers, topic, other, records -> records.size() == 2, PUBLICATION);

        Http.Answer refused = slow.get();
        assertThat(refused.status()).isEqualTo(503);
        assertThat(refused.contentType()).startsWith("application/problem+json");
        assertThat(storedEventIds(held)).hasSize(1);

        // Everything stored reaches the topic; nothing on the topic is missing from the store.
        String after = startSession();
        TopicRecords.awaitKey(brokers, topic, after, records -> records.size() == 1, PUBLICATION);
        List<String> published = TopicRecords.ofKey(TopicRecords.readAll(brokers, topic), held).stream()
                .map(Record::id).toList();
        assertThat(published).containsExactlyElementsOf(storedEventIds(held));
    }

    private List<String> storedEventIds(String aggregateId) {
        return jdbc.queryForList("""
                SELECT event_identifier FROM eventstore.domain_event_entry
                WHERE aggregate_identifier = ? ORDER BY sequence_number""", String.class, aggregateId);
    }

    private String startSession() {
        Http.Answer user = http.post("/api/users", json("email", "late+" + System.nanoTime() + "@example.com",
                "password", "long enough", "role", "user"));
        Http.Answer session = http.post("/api/sessions", json("userId", user.text("id"), "ttlSeconds", 3600));
        assertThat(session.status()).isEqualTo(201);
        return session.text("sessionId");
    }

    private Http.Answer postMessage(String sessionId, String content) {
        return http.post("/api/sessions/" + sessionId + "/messages",
                json("role", "user", "content", content, "tokensUsed", 1));
    }
}

package dev.transcript.command;

import com.fasterxml.jackson.databind.JsonNode;
import dev.transcript.command.session.MessageIds;
import dev.transcript.command.support.Http;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.JdbcTemplate;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.IntFunction;
import java.util.stream.IntStream;
import java.util.stream.LongStream;

import static dev.transcript.command.support.Http.json;
import static java.util.concurrent.TimeUnit.SECONDS;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Commands that really race: many HTTP requests released at once by a start gate. The event store and
 * the command side's own tables are read directly to count what was appended.
 */
@LocalInfrastructure
class ConcurrentCommandsIT {

    static final int THREADS = 24;
    static final int MESSAGE_THREADS = 16;
    static final int MESSAGES_PER_THREAD = 5;
    static final String PROBLEM_JSON = "application/problem+json";

    @LocalServerPort
    int port;
    @Autowired
    JdbcTemplate jdbc;
    Http http;

    @BeforeEach
    void client() {
        http = new Http(port);
    }

    @Test
    void concurrent_registrations_of_one_email_give_exactly_one_user() throws Exception {
        String email = "Race-" + System.nanoTime() + "@Example.com";
        List<String> spellings = IntStream.range(0, THREADS).mapToObj(i -> spelling(email, i)).toList();
        assertThat(new HashSet<>(spellings)).as("distinct letter cases of one address").hasSizeGreaterThan(3);

        List<Http.Answer> answers = race(THREADS, i -> http.post("/api/users",
                json("email", spellings.get(i), "password", "correct horse battery", "role", "user")));

        List<Http.Answer> created = answers.stream().filter(answer -> answer.status() == 201).toList();
        List<Http.Answer> refused = answers.stream().filter(answer -> answer.status() != 201).toList();
        assertThat(created).as("registrations answered 201").hasSize(1);
        assertThat(refused).as("registrations refused").hasSize(THREADS - 1)
                .allSatisfy(answer -> {
                    assertThat(answer.status()).as(answer.body().toString()).isEqualTo(409);
                    assertThat(answer.contentType()).startsWith(PROBLEM_JSON);
                    assertThat(answer.body().path("status").asInt()).isEqualTo(409);
                });
        String userId = created.getFirst().text("id");
        assertThat(jdbc.queryForList("""
                        SELECT aggregate_identifier FROM eventstore.domain_event_entry
                        WHERE payload_type LIKE '%UserRegistered%'
                          AND lower(convert_from(payload, 'UTF8')::jsonb ->> 'email') = ?""",
                String.class, email.toLowerCase(Locale.ROOT)))
                .as("UserRegistered events of the address").containsExactly(userId);
        assertThat(jdbc.queryForList("SELECT user_id::text FROM eventstore.claimed_email WHERE lower(email) = ?",
                String.class, email.toLowerCase(Locale.ROOT)))
                .as("claims of the address").containsExactly(userId);
    }

    @Test
    void concurrent_messages_to_one_session_get_distinct_gap_free_numbers() throws Exception {
        Http.Answer session = startSession(registerUser());
        String sessionId = session.text("sessionId");
        UUID conversationId = UUID.fromString(session.text("conversationId"));
        int total = MESSAGE_THREADS * MESSAGES_PER_THREAD;

        List<List<Http.Answer>> perThread = race(MESSAGE_THREADS, thread -> {
            List<Http.Answer> answers = new ArrayList<>();
            for (int m = 0; m < MESSAGES_PER_THREAD; m++) {
                answers.add(http.post("/api/sessions/" + sessionId + "/messages",
                        json("role", "user", "content", "thread " + thread + " message " + m, "tokensUsed", 1)));
            }
            return answers;
        });

        List<Http.Answer> answers = perThread.stream().flatMap(List::stream).toList();
        assertThat(answers).hasSize(total).allSatisfy(answer ->
                assertThat(answer.status()).as(answer.body().toString()).isEqualTo(201));
        List<Integer> numbers = answers.stream().map(answer -> answer.body().path("messageNumber").asInt()).toList();
        assertThat(numbers).as("message numbers").containsExactlyInAnyOrderElementsOf(rangeClosed(1, total));
        Set<String> messageIds = new HashSet<>();
        answers.forEach(answer -> messageIds.add(answer.text("messageId")));
        assertThat(messageIds).as("distinct message ids").hasSize(total);
        assertThat(answers).allSatisfy(answer -> assertThat(answer.text("messageId"))
                .isEqualTo(MessageIds.of(conversationId, answer.body().path("messageNumber").asInt()).toString()));
        // Each thread's own messages were numbered in the order it sent them.
        assertThat(perThread).allSatisfy(own -> assertThat(own.stream()
                .map(answer -> answer.body().path("messageNumber").asInt()).toList()).isSorted());

        Http.Answer audit = http.get("/api/audit/sessions/" + sessionId + "/events");
        assertThat(audit.status()).isEqualTo(200);
        List<JsonNode> posted = new ArrayList<>();
        List<Long> sequences = new ArrayList<>();
        audit.body().forEach(event -> {
            sequences.add(event.path("sequence").asLong());
            if (event.path("type").asText().equals("transcript.session.MessagePosted.v2")) {
                posted.add(event.path("payload"));
            }
        });
        assertThat(posted.stream().map(payload -> payload.path("messageNumber").asInt()).toList())
                .as("audited message numbers, in order").containsExactlyElementsOf(rangeClosed(1, total));
        assertThat(posted).allSatisfy(payload -> assertThat(payload.path("messageId").asText())
                .isEqualTo(MessageIds.of(conversationId, payload.path("messageNumber").asInt()).toString()));
        assertThat(sequences).as("event sequence of the session")
                .containsExactlyElementsOf(LongStream.rangeClosed(0, total).boxed().toList());
        assertThat(eventsOf(sessionId)).isEqualTo(total + 1);
    }

    /** The smallest case of the idempotency bug below: one keyed request, no race, no retry. */
    @Test
    void a_single_request_with_an_idempotency_key_is_carried_out() {
        String sessionId = startSession(registerUser()).text("sessionId");

        Http.Answer answer = http.post("/api/sessions/" + sessionId + "/messages",
                json("role", "user", "content", "keyed", "tokensUsed", 1),
                Map.of("Idempotency-Key", UUID.randomUUID().toString()));

        assertThat(answer.status()).as(answer.body().toString()).isEqualTo(201);
        assertThat(messagesPostedTo(sessionId)).as("MessagePosted events").isEqualTo(1);
        assertThat(answer.body().path("messageNumber").asInt()).as(answer.body().toString()).isEqualTo(1);
    }

    @Test
    void concurrent_requests_with_one_idempotency_key_append_once() throws Exception {
        String sessionId = startSession(registerUser()).text("sessionId");
        String path = "/api/sessions/" + sessionId + "/messages";
        String body = json("role", "user", "content", "exactly once, please", "tokensUsed", 7);
        Map<String, String> key = Map.of("Idempotency-Key", UUID.randomUUID().toString());

        List<Http.Answer> answers = race(THREADS, i -> http.post(path, body, key));

        assertThat(answers).allSatisfy(answer ->
                assertThat(answer.status()).as(answer.body().toString()).isEqualTo(201));
        assertThat(messagesPostedTo(sessionId)).as("MessagePosted events").isEqualTo(1);
        assertThat(eventsOf(sessionId)).as("events of the session").isEqualTo(2);
        JsonNode first = answers.getFirst().body();
        assertThat(first.path("messageNumber").asInt()).as(first.toString()).isEqualTo(1);
        assertThat(first.path("messageId").asText()).as(first.toString()).isNotBlank();
        assertThat(answers.stream().map(Http.Answer::body).distinct().toList()).as("distinct answers").hasSize(1);

        Http.Answer retry = http.post(path, body, key);
        assertThat(retry.status()).isEqualTo(201);
        assertThat(retry.body()).isEqualTo(first);
        assertThat(messagesPostedTo(sessionId)).as("MessagePosted events after a retry").isEqualTo(1);

        long allEvents = allEvents();
        Http.Answer reused = http.post(path, json("role", "user", "content", "something else", "tokensUsed", 7), key);
        assertThat(reused.status()).as(reused.body().toString()).isEqualTo(422);
        assertThat(reused.contentType()).startsWith(PROBLEM_JSON);
        assertThat(reused.body().path("status").asInt()).isEqualTo(422);
        assertThat(messagesPostedTo(sessionId)).as("MessagePosted events after a reused key").isEqualTo(1);
        assertThat(allEvents()).as("all events after a reused key").isEqualTo(allEvents);
    }

    @Test
    void one_idempotency_key_starts_one_session() {
        String userId = registerUser();
        Map<String, String> key = Map.of("Idempotency-Key", UUID.randomUUID().toString());
        String body = json("userId", userId, "ttlSeconds", 3600);

        Http.Answer first = http.post("/api/sessions", body, key);
        Http.Answer second = http.post("/api/sessions", body, key);

        assertThat(first.status()).as(first.body().toString()).isEqualTo(201);
        assertThat(second.status()).as(second.body().toString()).isEqualTo(201);
        assertThat(sessionsStartedFor(userId)).as("sessions started for the user").hasSize(1);
        assertThat(first.text("sessionId")).as(first.body().toString()).isNotBlank();
        assertThat(sessionsStartedFor(userId)).containsExactly(first.text("sessionId"));
        assertThat(second.text("sessionId")).isEqualTo(first.text("sessionId"));
        assertThat(second.body()).isEqualTo(first.body());
    }

    // --- helpers

    /** Runs {@code task(0..threads-1)} on as many threads, released together once all are waiting. */
    private static <T> List<T> race(int threads, IntFunction<T> task) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            CountDownLatch ready = new CountDownLatch(threads);
            CountDownLatch go = new CountDownLatch(1);
            List<Future<T>> futures = new ArrayList<>();
            for (int i = 0; i < threads; i++) {
                int index = i;
                futures.add(pool.submit(() -> {
                    ready.countDown();
                    go.await();
                    return task.apply(index);
                }));
            }
            assertThat(ready.await(30, SECONDS)).as("all threads at the start gate").isTrue();
            go.countDown();
            List<T> results = new ArrayList<>();
            for (Future<T> future : futures) {
                results.add(future.get(120, SECONDS));
            }
            return results;
        } finally {
            pool.shutdownNow();
        }
    }

    /** The address with the case of its letters flipped in a pattern of its own for each index. */
    private static String spelling(String email, int index) {
        StringBuilder spelled = new StringBuilder(email.length());
        for (int at = 0; at < email.length(); at++) {
            char c = email.charAt(at);
            boolean flip = ((at * 7 + index * 3) % (index % 5 + 2)) == 0;
            spelled.append(flip ? (Character.isUpperCase(c) ? Character.toLowerCase(c) : Character.toUpperCase(c)) : c);
        }
        return spelled.toString();
    }

    private String registerUser() {
        Http.Answer registered = http.post("/api/users", json("email", "racer+" + System.nanoTime() + "@example.com",
                "password", "correct horse battery", "role", "user"));
        assertThat(registered.status()).as(registered.body().toString()).isEqualTo(201);
        return registered.text("id");
    }

    private Http.Answer startSession(String userId) {
        Http.Answer started = http.post("/api/sessions", json("userId", userId, "ttlSeconds", 3600));
        assertThat(started.status()).as(started.body().toString()).isEqualTo(201);
        return started;
    }

    private long eventsOf(String aggregateId) {
        return jdbc.queryForObject("SELECT count(*) FROM eventstore.domain_event_entry WHERE aggregate_identifier = ?",
                Long.class, aggregateId);
    }

    private long messagesPostedTo(String sessionId) {
        return jdbc.queryForObject("""
                SELECT count(*) FROM eventstore.domain_event_entry
                WHERE aggregate_identifier = ? AND payload_type LIKE '%MessagePosted%'""", Long.class, sessionId);
    }

    private List<String> sessionsStartedFor(String userId) {
        return jdbc.queryForList("""
                SELECT aggregate_identifier FROM eventstore.domain_event_entry
                WHERE payload_type LIKE '%SessionStarted%'
                  AND convert_from(payload, 'UTF8')::jsonb ->> 'userId' = ?""", String.class, userId);
    }

    private long allEvents() {
        return jdbc.queryForObject("SELECT count(*) FROM eventstore.domain_event_entry", Long.class);
    }

    private static List<Integer> rangeClosed(int from, int to) {
        return IntStream.rangeClosed(from, to).boxed().toList();
    }
}

package dev.transcript.command;

import dev.transcript.command.support.EdgeFixtures;
import dev.transcript.command.support.Http;
import dev.transcript.command.support.RawHttp;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Import;
import org.springframework.jdbc.core.JdbcTemplate;

import java.util.Map;
import java.util.UUID;

import static dev.transcript.command.support.Http.json;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue 12, finding 3 (audit half): an event nested too deep for Jackson's writer (stored before the edge
 * refused such nesting, here put straight into the store) made the audit API answer 200 and break off
 * mid-body. The answer is now written whole before it is sent, so the failure is a 500 problem+json.
 */
@LocalInfrastructure
@Import(EdgeFixtures.class)
class AuditOfUnwritableEventIT {

    /** Readable (Jackson reads 1,000 levels), but not writable inside the audit answer's own three levels. */
    static final int DEPTH = 998;

    @LocalServerPort
    int port;
    @Autowired
    JdbcTemplate jdbc;

    @Test
    void an_event_too_deep_to_write_is_a_500_problem_not_a_200_cut_short() {
        Http http = new Http(port);
        String userId = http.post("/api/users", json("email", "deep+" + System.nanoTime() + "@example.com",
                "password", "long enough", "role", "user")).text("id");
        String session = http.post("/api/sessions", json("userId", userId, "ttlSeconds", 3600)).text("sessionId");
        assertThat(http.post("/api/sessions/" + session + "/messages", json("role", "user", "content", "hi",
                "tokensUsed", 1, "metadata", Map.of("k", "v"))).status()).isEqualTo(201);
        assertThat(http.get("/api/audit/sessions/" + session + "/events").status()).isEqualTo(200);

        String deep = "{\"a\":".repeat(DEPTH) + "1" + "}".repeat(DEPTH);
        String id = UUID.randomUUID().toString();
        jdbc.update("""
                INSERT INTO eventstore.domain_event_entry (event_identifier, aggregate_identifier, sequence_number, type,
                    time_stamp, payload_type, payload_revision, payload, meta_data)
                SELECT ?, aggregate_identifier, sequence_number + 1, type, time_stamp, payload_type, payload_revision,
                    convert_to(jsonb_set(convert_from(payload, 'UTF8')::jsonb, '{metadata}', ?::jsonb)::text, 'UTF8'),
                    meta_data
                FROM eventstore.domain_event_entry WHERE aggregate_identifier = ?
                ORDER BY sequence_number DESC LIMIT 1""", id, deep, session);
        try {
            RawHttp.Answer audit = RawHttp.exchange(port, "GET /api/audit/sessions/" + session + "/events HTTP/1.1\r\n"
                    + "Host: x\r\nConnection: close\r\n\r\n");

            assertThat(audit.status()).as(audit.body()).isEqualTo(500);
            assertThat(audit.contentType()).startsWith("application/problem+json");
            assertThat(audit.body()).contains("\"status\":500").doesNotContain("\"a\":{");
        } finally {
            jdbc.update("DELETE FROM eventstore.domain_event_entry WHERE event_identifier = ?", id);
        }
    }
}

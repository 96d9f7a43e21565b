package dev.transcript.projection;

import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.TestComponent;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Import;
import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

import java.io.EOFException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue 12, finding 8 for the read API: Tomcat's own 400s, the unexpected and a lost database are
 * problem+json as in command-service, read off the wire: never Tomcat's HTML page, never Spring Boot's
 * default error body, never an empty 200 for a database connection that went away.
 */
@LocalInfrastructure
@Import(ErrorShapesIT.Failing.class)
class ErrorShapesIT {

    static final String INTERNALS = "password=hunter2 at dev.transcript.Secret";

    @TestConfiguration
    static class Failing {
        /** Registered as a member of this configuration, so only in this class's context; never scanned. */
        @TestComponent
        @RestController
        static class Endpoints {
            @GetMapping("/test/unexpected")
            String unexpected() {
                throw new IllegalStateException(INTERNALS);
            }

            @GetMapping("/test/database-gone")
            String databaseGone() {
                throw new DataAccessResourceFailureException("I/O error", new EOFException(INTERNALS));
            }
        }
    }

    @LocalServerPort
    int port;

    @Test
    void tomcats_own_refusals_are_problems_not_html_pages() {
        for (String request : new String[] {
                "GET /api/sessions/a%2Fb HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n",
                "GET /api/sessions HTTP/1.1\r\nHost: x\r\nX-Big: " + "a".repeat(20 * 1024) + "\r\nConnection: close\r\n\r\n",
                "GET /api/{bad} HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"}) {
            String answer = exchange(request);
            assertThat(answer).as(answer).startsWith("HTTP/1.1 400").contains("application/problem+json")
                    .contains("\"status\":400").doesNotContain("<html");
        }
    }

    @Test
    void an_unexpected_exception_is_a_500_problem_without_internals() {
        String answer = exchange("GET /test/unexpected HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
        assertThat(answer).startsWith("HTTP/1.1 500").contains("application/problem+json")
                .doesNotContain(INTERNALS, "Exception", "trace");
    }

    @Test
    void a_lost_database_connection_is_a_503_problem_never_an_empty_200() {
        String answer = exchange("GET /test/database-gone HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
        assertThat(answer).startsWith("HTTP/1.1 503").contains("application/problem+json").containsIgnoringCase("Retry-After")
                .doesNotContain(INTERNALS);
    }

    private String exchange(String request) {
        try (Socket socket = new Socket("127.0.0.1", port)) {
            socket.setSoTimeout(30_000);
            socket.getOutputStream().write(request.getBytes(StandardCharsets.ISO_8859_1));
            return new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}

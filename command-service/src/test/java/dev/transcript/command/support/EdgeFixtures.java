package dev.transcript.command.support;

import org.axonframework.eventsourcing.eventstore.EventStoreException;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.test.context.TestComponent;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

import java.io.EOFException;
import java.sql.SQLException;

/** Failures on demand for the edge's tests: a lost database connection, and endpoints that fail. */
@TestConfiguration
public class EdgeFixtures {

    /** Text a failure carries that must never reach a client. */
    public static final String INTERNALS = "password=hunter2 at dev.transcript.Secret";

    @Bean
    LostConnections lostConnections(JdbcTemplate jdbc, @Value("${spring.datasource.url}") String url) {
        return new LostConnections(jdbc, url);
    }

    /** Registered as a member of these fixtures, so only in the contexts that import them; never scanned. */
    @TestComponent
    @RestController
    public static class Failing {

        @GetMapping("/test/unexpected")
        String unexpected() {
            throw new IllegalStateException(INTERNALS);
        }

        /** What the event store throws when PostgreSQL's backend went away mid-insert. */
        @GetMapping("/test/store-gone")
        String storeGone() {
            throw new EventStoreException("An event for aggregate [x] at sequence [1] could not be persisted",
                    new SQLException("An I/O error occurred while sending to the backend.", "08006",
                            new EOFException(INTERNALS)));
        }

        @GetMapping("/test/error")
        String error() {
            throw new StackOverflowError(INTERNALS);
        }
    }
}

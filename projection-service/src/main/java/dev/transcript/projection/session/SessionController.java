package dev.transcript.projection.session;

import dev.transcript.projection.web.Cursors;
import dev.transcript.projection.web.Limits;
import dev.transcript.projection.web.NotFound;
import dev.transcript.projection.web.Page;
import dev.transcript.projection.web.Parameters;
import org.springframework.lang.Nullable;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

/** Sessions of the gateway read model: one with its container and conversation, or a page of them. */
@RestController
@RequestMapping("/api/sessions")
public class SessionController {

    private final SessionQueries sessions;

    SessionController(SessionQueries sessions) {
        this.sessions = sessions;
    }

    @GetMapping("/{id}")
    SessionDetail session(@PathVariable String id) {
        UUID sessionId = Parameters.uuid("id", id);
        return sessions.find(sessionId).orElseThrow(() -> new NotFound("no session with id " + sessionId));
    }

    /** Newest first; {@code cursor} is the {@code nextCursor} of the page before. */
    @GetMapping
    Page<SessionSummary> sessions(@RequestParam(required = false) @Nullable String userId,
                                  @RequestParam(required = false) @Nullable String status,
                                  @RequestParam(required = false) @Nullable String limit,
                                  @RequestParam(required = false) @Nullable String cursor) {
        UUID owner = Parameters.optionalUuid("userId", userId);
        String wantedStatus = Parameters.oneOf("status", status, SessionQueries.STATUSES);
        int size = Limits.of(limit);
        SessionQueries.After after = Cursors.decode(cursor, position -> {
            List<String> parts = Cursors.parts(position, 2);
            return new SessionQueries.After(Instant.parse(parts.get(0)), UUID.fromString(parts.get(1)));
        });
        return Page.of(sessions.list(owner, wantedStatus, after, size + 1), size, SessionSummary::position);
    }
}

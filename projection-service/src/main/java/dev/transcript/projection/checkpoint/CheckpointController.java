package dev.transcript.projection.checkpoint;

import dev.transcript.projection.web.Cursors;
import dev.transcript.projection.web.Limits;
import dev.transcript.projection.web.NotFound;
import dev.transcript.projection.web.Page;
import dev.transcript.projection.web.Parameters;
import org.springframework.lang.Nullable;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * A session's git checkpoints in order (message number, then creation time, then id). Bounded like every
 * list: {@code limit} and {@code cursor} as for sessions and messages.
 */
@RestController
public class CheckpointController {

    private final CheckpointQueries checkpoints;

    CheckpointController(CheckpointQueries checkpoints) {
        this.checkpoints = checkpoints;
    }

    @GetMapping("/api/sessions/{id}/checkpoints")
    Page<CheckpointView> checkpoints(@PathVariable String id,
                                     @RequestParam(required = false) @Nullable String limit,
                                     @RequestParam(required = false) @Nullable String cursor) {
        UUID sessionId = Parameters.uuid("id", id);
        int size = Limits.of(limit);
        CheckpointQueries.After after = Cursors.decode(cursor, position -> {
            List<String> parts = Cursors.parts(position, 3);
            return new CheckpointQueries.After(Integer.parseInt(parts.get(0)), Instant.parse(parts.get(1)),
                    UUID.fromString(parts.get(2)));
        });
        if (!checkpoints.sessionExists(sessionId)) {
            throw new NotFound("no session with id " + sessionId);
        }
        return Page.of(checkpoints.page(sessionId, after, size + 1), size, CheckpointView::position);
    }
}

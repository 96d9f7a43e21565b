package dev.transcript.projection.usage;

import dev.transcript.projection.web.Cursors;
import dev.transcript.projection.web.InvalidParameter;
import dev.transcript.projection.web.Limits;
import dev.transcript.projection.web.Page;
import dev.transcript.projection.web.Parameters;
import org.springframework.lang.Nullable;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

import java.time.Instant;
import java.util.List;

/**
 * Token usage summed per model, session or user, optionally within [from, to). Groups come in key order,
 * bounded like every list ({@code limit}, {@code cursor}).
 */
@RestController
@RequestMapping("/api/token-usage")
public class TokenUsageController {

    private final UsageQueries usage;

    TokenUsageController(UsageQueries usage) {
        this.usage = usage;
    }

    record Summary(String groupBy, @Nullable Instant from, @Nullable Instant to, List<UsageGroup> items,
                   @Nullable String nextCursor) {
    }

    @GetMapping("/summary")
    Summary summary(@RequestParam String groupBy,
                    @RequestParam(required = false) @Nullable String from,
                    @RequestParam(required = false) @Nullable String to,
                    @RequestParam(required = false) @Nullable String limit,
                    @RequestParam(required = false) @Nullable String cursor) {
        GroupBy grouping = GroupBy.ofWire(Parameters.oneOf("groupBy", groupBy, GroupBy.NAMES));
        Instant start = Parameters.instant("from", from);
        Instant end = Parameters.instant("to", to);
        if (start != null && end != null && end.isBefore(start)) {
            throw new InvalidParameter("to", "must not be before from");
        }
        int size = Limits.of(limit);
        Object after = Cursors.decode(cursor, grouping.keyOf);
        Page<UsageGroup> page = Page.of(usage.summary(grouping, start, end, after, size + 1), size, UsageGroup::key);
        return new Summary(grouping.wire(), start, end, page.items(), page.nextCursor());
    }
}

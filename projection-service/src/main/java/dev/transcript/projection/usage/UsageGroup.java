package dev.transcript.projection.usage;

import org.springframework.jdbc.core.RowMapper;

/** The token usage of one group: a model, a session or a user (as {@code key}). */
record UsageGroup(String key, long inputTokens, long outputTokens, long totalTokens, long count) {

    static final RowMapper<UsageGroup> ROW = (row, n) -> new UsageGroup(
            row.getString("key"),
            row.getLong("input_tokens"),
            row.getLong("output_tokens"),
            row.getLong("total_tokens"),
            row.getLong("count"));
}

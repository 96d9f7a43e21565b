package dev.transcript.projection.usage;

import org.springframework.jdbc.core.namedparam.MapSqlParameterSource;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.lang.Nullable;
import org.springframework.stereotype.Repository;

import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

@Repository
class UsageQueries {

    private final NamedParameterJdbcTemplate jdbc;

    UsageQueries(NamedParameterJdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    /**
     * Sums and counts of token usage per group, created in [from, to) (either end open if {@code null}),
     * up to {@code fetch} groups in key order after the key {@code after}. The cursor narrows the rows before
     * grouping, so a later page does not sum the groups of the earlier ones again.
     */
    List<UsageGroup> summary(GroupBy groupBy, @Nullable Instant from, @Nullable Instant to, @Nullable Object after,
                             int fetch) {
        List<String> where = new ArrayList<>();
        MapSqlParameterSource parameters = new MapSqlParameterSource("fetch", fetch);
        if (from != null) {
            where.add("t.created_at >= :from");
            parameters.addValue("from", Timestamp.from(from));
        }
        if (to != null) {
            where.add("t.created_at < :to");
            parameters.addValue("to", Timestamp.from(to));
        }
        if (after != null) {
            where.add(groupBy.key + " > :after");
            parameters.addValue("after", after);
        }
        return jdbc.query("SELECT " + groupBy.key + "::text AS key, "
                + "SUM(t.input_tokens) AS input_tokens, SUM(t.output_tokens) AS output_tokens, "
                + "SUM(t.total_tokens) AS total_tokens, COUNT(*) AS count "
                + "FROM " + groupBy.from + " "
                + (where.isEmpty() ? "" : "WHERE " + String.join(" AND ", where) + " ")
                + "GROUP BY " + groupBy.key + " ORDER BY " + groupBy.key + " LIMIT :fetch",
                parameters, UsageGroup.ROW);
    }
}

package dev.transcript.projection.status;

import dev.transcript.projection.web.Rows;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.RowMapper;
import org.springframework.stereotype.Repository;

import java.time.Instant;
import java.util.List;

@Repository
class ProgressQueries {

    /** A row of {@code projection.partition_progress}: the offset a read model applies next in a partition. */
    record Progress(String readModel, int partition, long nextOffset, Instant lastEventTime) {

        static final RowMapper<Progress> ROW = (row, n) -> new Progress(
                row.getString("read_model"),
                row.getInt("partition"),
                row.getLong("next_offset"),
                Rows.instant(row, "last_event_time"));
    }

    private final JdbcTemplate jdbc;

    ProgressQueries(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    List<Progress> of(String topic) {
        return jdbc.query("""
                SELECT read_model, partition, next_offset, last_event_time FROM projection.partition_progress
                WHERE topic = ? ORDER BY read_model, partition""", Progress.ROW, topic);
    }
}

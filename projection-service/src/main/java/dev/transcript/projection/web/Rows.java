package dev.transcript.projection.web;

import org.postgresql.PGStatement;
import org.springframework.lang.Nullable;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.UUID;

/** Reading typed values out of a result set's lower-case columns, nulls kept. */
public final class Rows {

    private Rows() {
    }

    @Nullable
    public static Instant instant(ResultSet row, String column) throws SQLException {
        Timestamp timestamp = row.getTimestamp(column);
        // 'infinity' is how the gateway schema says "never" in a NOT NULL column (a chat session's expiry).
        if (timestamp == null || timestamp.getTime() == PGStatement.DATE_POSITIVE_INFINITY) {
            return null;
        }
        return timestamp.toInstant();
    }

    @Nullable
    public static UUID uuid(ResultSet row, String column) throws SQLException {
        return row.getObject(column, UUID.class);
    }
}

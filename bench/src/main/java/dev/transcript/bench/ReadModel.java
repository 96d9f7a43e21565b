package dev.transcript.bench;

import java.sql.Array;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.UUID;

/**
 * Plain JDBC on the gateway read model: what a reader of the projected tables sees. One connection per
 * instance and synchronized, so each probe thread opens its own and none waits on another's query.
 */
final class ReadModel implements AutoCloseable {

    record Login(String url, String user, String password) {
        /** PGUSER/PGPASSWORD as libpq reads them, else the stack's defaults (postgres, no password). */
        static Login of(Args args) {
            String user = System.getenv().getOrDefault("PGUSER", "postgres");
            String password = System.getenv().getOrDefault("PGPASSWORD", "");
            return new Login(args.string("jdbc-url", "jdbc:postgresql://127.0.0.1:5432/transcript"),
                    args.string("jdbc-user", user), args.string("jdbc-password", password));
        }

        boolean disabled() {
            return url.isBlank() || url.equals("none");
        }
    }

    private final Connection connection;
    private final PreparedStatement countMessages;
    private final PreparedStatement visibleMessages;

    ReadModel(Login login) throws SQLException {
        this.connection = DriverManager.getConnection(login.url(), login.user(), login.password());
        connection.setAutoCommit(true); // every poll sees the latest committed rows
        this.countMessages = connection.prepareStatement(
                "SELECT count(*) FROM gateway.chat_messages WHERE conversation_id = ANY (?)");
        this.visibleMessages = connection.prepareStatement(
                "SELECT id FROM gateway.chat_messages WHERE id = ANY (?)");
    }

    Connection connection() {
        return connection;
    }

    synchronized long countMessages(Collection<UUID> conversationIds) throws SQLException {
        Array ids = connection.createArrayOf("uuid", conversationIds.toArray());
        countMessages.setArray(1, ids);
        try (ResultSet rows = countMessages.executeQuery()) {
            rows.next();
            return rows.getLong(1);
        }
    }

    /** Which of these message ids have a row already. */
    synchronized List<UUID> visible(Collection<UUID> messageIds) throws SQLException {
        visibleMessages.setArray(1, connection.createArrayOf("uuid", messageIds.toArray()));
        List<UUID> found = new ArrayList<>();
        try (ResultSet rows = visibleMessages.executeQuery()) {
            while (rows.next()) {
                found.add(rows.getObject(1, UUID.class));
            }
        }
        return found;
    }

    @Override
    public synchronized void close() throws SQLException {
        connection.close();
    }
}

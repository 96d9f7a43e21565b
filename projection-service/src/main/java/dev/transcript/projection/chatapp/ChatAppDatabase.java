package dev.transcript.projection.chatapp;

import dev.transcript.migrations.ChatAppMigrations;
import dev.transcript.projection.stream.StatementBatch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.ConnectionHolder;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLNonTransientConnectionException;
import java.sql.SQLRecoverableException;
import java.sql.SQLTransientConnectionException;
import java.sql.Savepoint;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

/**
 * Where the chat_app tables are, and how a poll's chat_app statements reach them.
 *
 * <p><b>The main database</b> (no {@code transcript.projection.chat-app.datasource.url}): schema {@code chat_app} of
 * the PostgreSQL database every read model uses. Its statements run on the poll's own transaction, like every
 * other read model's: rows, positions and parked events commit together or not at all.
 *
 * <p><b>A database of its own</b> (MariaDB/MySQL): the rows and the bookkeeping (PostgreSQL's {@code projection}
 * schema) cannot commit atomically, so chat_app relies on two things instead.
 * <ol>
 *   <li>Every chat_app statement is idempotent on its own, in SQL both engines run: an insert is
 *       {@code INSERT … SELECT … WHERE NOT EXISTS} on the id, an update assigns the event's values or moves a
 *       time forward only ({@code WHERE t < ?}). Applying an event again, or a run of events again in order,
 *       leaves the rows as they were.</li>
 *   <li>Ordering: the first chat_app statement of a poll's PostgreSQL transaction opens one chat_app
 *       transaction, bound to it ({@link ChatAppTransaction}, a {@link TransactionSynchronization}); it is
 *       committed in {@code beforeCommit}, that is just <em>before</em> PostgreSQL commits, and rolled back when
 *       the PostgreSQL transaction rolls back. So chat_app is never behind the bookkeeping: a crash between the
 *       two commits leaves chat_app ahead of the positions, Kafka delivers the poll again, and (1) makes that
 *       redelivery change nothing.</li>
 * </ol>
 * Each run of writes runs under a savepoint there, so when the batch applier isolates a failing event (a
 * PostgreSQL savepoint per event) the event's chat_app writes are undone with it. The transaction is joined when
 * the first write is <em>queued</em>, not when it is sent: Spring calls {@code beforeCommit} on the
 * synchronizations registered before commit began, and the statement batch sends its last rows during commit.
 * When the database is out of reach or the transaction is lost, {@link ChatAppUnavailable} fails the whole poll.
 */
public final class ChatAppDatabase implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(ChatAppDatabase.class);

    private final JdbcTemplate jdbc;
    /** The chat_app database when it is not the main one; null otherwise. */
    private final DataSource separate;
    private final ChatAppMigrations.Engine engine;
    private final StatementBatch statements;

    private ChatAppDatabase(JdbcTemplate jdbc, DataSource separate, ChatAppMigrations.Engine engine,
                            StatementBatch statements) {
        this.jdbc = jdbc;
        this.separate = separate;
        this.engine = engine;
        this.statements = statements;
    }

    /** chat_app as schema {@code chat_app} of the main PostgreSQL database, written in the poll's transaction. */
    static ChatAppDatabase main(JdbcTemplate mainJdbc, StatementBatch statements) {
        return new ChatAppDatabase(mainJdbc, null, ChatAppMigrations.Engine.POSTGRESQL, statements);
    }

    /** chat_app in a database of its own, written in a transaction of its own committed just before the poll's. */
    static ChatAppDatabase separate(DataSource dataSource, ChatAppMigrations.Engine engine, StatementBatch statements) {
        return new ChatAppDatabase(new JdbcTemplate(dataSource), dataSource, engine, statements);
    }

    /** Closes the pool of a database of its own; the main DataSource is Spring Boot's to close. */
    @Override
    public void close() {
        if (separate instanceof AutoCloseable pool) {
            try {
                pool.close();
            } catch (Exception e) {
                log.warn("chat_app: closing its pool failed", e);
            }
        }
    }

    public boolean isSeparate() {
        return separate != null;
    }

    public ChatAppMigrations.Engine engine() {
        return engine;
    }

    /** A table's name as statements name it: schema-qualified on PostgreSQL, the URL's database on MariaDB/MySQL. */
    public String table(String name) {
        return engine == ChatAppMigrations.Engine.POSTGRESQL ? ChatAppMigrations.SCHEMA + "." + name : name;
    }

    /**
     * The JDBC template on chat_app's database. Inside a poll's transaction use {@link #read} and {@link #add}
     * instead; outside one (tests, plain readers) it reads committed rows.
     */
    public JdbcTemplate jdbc() {
        return jdbc;
    }

    /** Reads in the poll's transaction, after sending the writes queued so far (a read must see them). */
    <T> T read(Supplier<T> query) {
        statements.flush();
        ChatAppTransaction transaction = join();
        if (transaction == null) {
            return query.get();
        }
        try {
            return query.get();
        } catch (RuntimeException failed) {
            throw transaction.unavailableIfLost(failed);
        }
    }

    /** Queues one change's row; runs of the same change are sent together by {@link StatementBatch}. */
    void add(Change change, Object[]... argumentsPerStatement) {
        join(); // before queueing: the chat_app transaction must be bound before anything can flush into it
        statements.add(change, (Object[]) argumentsPerStatement);
    }

    /** One kind of change: its statements, each run for every row of a run, in this order. */
    Change change(String... sql) {
        return new Change(List.of(sql));
    }

    /**
     * Writes a run of rows: all rows' first statement (as one JDBC batch), then all rows' second, and so on. The
     * rows of one run are events of one type, whose statements commute (inserts of distinct ids, times that only
     * move forward), so that order is as good as event order.
     */
    final class Change implements StatementBatch.Bulk {

        private final List<String> sql;

        private Change(List<String> sql) {
            this.sql = sql;
        }

        @Override
        public void write(List<Object[]> rows) {
            atomically(() -> {
                for (int i = 0; i < sql.size(); i++) {
                    List<Object[]> arguments = new ArrayList<>(rows.size());
                    for (Object[] row : rows) {
                        arguments.add((Object[]) row[i]);
                    }
                    if (arguments.size() == 1) {
                        jdbc.update(sql.get(i), arguments.getFirst());
                    } else {
                        jdbc.batchUpdate(sql.get(i), arguments);
                    }
                }
            });
        }
    }

    private void atomically(Runnable writes) {
        ChatAppTransaction transaction = join();
        if (transaction == null) {
            writes.run(); // the poll's own transaction: the batch applier's savepoints cover these writes
        } else {
            transaction.atomically(writes);
        }
    }

    /** The chat_app transaction bound to the current poll's transaction, opened now if need be; null on the main database. */
    private ChatAppTransaction join() {
        if (separate == null) {
            return null;
        }
        if (TransactionSynchronizationManager.getResource(this) instanceof ChatAppTransaction open) {
            open.requireUsable();
            return open;
        }
        if (!TransactionSynchronizationManager.isSynchronizationActive()) {
            throw new IllegalStateException("chat_app writes happen inside the batch's transaction");
        }
        Connection connection;
        try {
            connection = separate.getConnection();
        } catch (SQLException e) {
            throw new ChatAppUnavailable("no connection to chat_app's database: " + e.getMessage(), e);
        }
        try {
            connection.setAutoCommit(false);
        } catch (SQLException e) {
            close(connection);
            throw new ChatAppUnavailable("could not begin a chat_app transaction: " + e.getMessage(), e);
        }
        ChatAppTransaction transaction = new ChatAppTransaction(connection);
        transaction.bind();
        TransactionSynchronizationManager.registerSynchronization(transaction);
        return transaction;
    }

    private static void close(Connection connection) {
        try {
            connection.close();
        } catch (SQLException e) {
            log.debug("chat_app: closing the connection failed", e);
        }
    }

    /**
     * The chat_app transaction of one poll's PostgreSQL transaction. Its connection is bound for the chat_app
     * DataSource, so {@link #jdbc} runs on it until the poll's transaction ends.
     */
    private final class ChatAppTransaction implements TransactionSynchronization {

        private static final String SAVEPOINT = "chat_app_run";

        private final Connection connection;
        private final ConnectionHolder holder;
        private boolean committed;
        /** Why the transaction can no longer commit (the server rolled it back, e.g. a deadlock); null while usable. */
        private String broken;

        ChatAppTransaction(Connection connection) {
            this.connection = connection;
            this.holder = new ConnectionHolder(connection);
            this.holder.setSynchronizedWithTransaction(true);
        }

        void bind() {
            TransactionSynchronizationManager.bindResource(ChatAppDatabase.this, this);
            TransactionSynchronizationManager.bindResource(separate, holder);
        }

        void unbind() {
            TransactionSynchronizationManager.unbindResourceIfPossible(ChatAppDatabase.this);
            TransactionSynchronizationManager.unbindResourceIfPossible(separate);
        }

        void requireUsable() {
            if (broken != null) {
                throw new ChatAppUnavailable("the chat_app transaction is lost (" + broken
                        + "); the poll's transaction must roll back and run again", null);
            }
        }

        /**
         * What to throw for a statement that failed: the failure itself when the transaction goes on (a row that
         * does not fit: the batch applier parks its event), {@link ChatAppUnavailable} when the connection is gone.
         */
        RuntimeException unavailableIfLost(RuntimeException failed) {
            if (broken == null && connectionLost(failed)) {
                broken = "connection lost: " + failed.getMessage();
            }
            return broken == null ? failed : new ChatAppUnavailable("the chat_app transaction is lost (" + broken
                    + "); the poll's transaction must roll back and run again", failed);
        }

        private boolean connectionLost(Throwable failed) {
            try {
                if (connection.isClosed()) {
                    return true;
                }
            } catch (SQLException e) {
                return true;
            }
            for (Throwable cause = failed; cause != null; cause = cause.getCause()) {
                if (cause instanceof SQLTransientConnectionException || cause instanceof SQLNonTransientConnectionException
                        || cause instanceof SQLRecoverableException
                        || cause instanceof SQLException sql && sql.getSQLState() != null
                        && sql.getSQLState().startsWith("08")) {
                    return true;
                }
            }
            return false;
        }

        /**
         * Runs writes under a savepoint: when they fail, they leave nothing behind and the transaction goes on. If
         * the savepoint is gone too (MariaDB rolls a whole transaction back on a deadlock), nothing written so far
         * survives: the transaction is marked lost, so that the poll's transaction cannot commit without it.
         */
        void atomically(Runnable writes) {
            requireUsable();
            Savepoint savepoint;
            try {
                savepoint = connection.setSavepoint(SAVEPOINT);
            } catch (SQLException e) {
                broken = "no savepoint: " + e.getMessage();
                throw new ChatAppUnavailable("SAVEPOINT failed on chat_app's database: " + e.getMessage(), e);
            }
            try {
                writes.run();
            } catch (RuntimeException failed) {
                try {
                    connection.rollback(savepoint);
                } catch (SQLException gone) {
                    broken = "rolled back by the server: " + gone.getMessage();
                    failed.addSuppressed(gone);
                }
                throw unavailableIfLost(failed);
            }
        }

        /** Commits chat_app just before PostgreSQL commits: chat_app may end up ahead of the positions, never behind. */
        @Override
        public void beforeCommit(boolean readOnly) {
            statements.flush(); // whichever synchronization runs first, every queued chat_app row is sent before this commit
            requireUsable();
            try {
                connection.commit();
                committed = true;
            } catch (SQLException e) {
                throw new ChatAppUnavailable("COMMIT failed on chat_app's database: " + e.getMessage(), e);
            }
        }

        @Override
        public void afterCompletion(int status) {
            try {
                if (!committed) {
                    if (status == STATUS_COMMITTED) {
                        // Cannot happen while every write joins before it is queued; loud, since rows would be missing.
                        log.error("chat_app: the poll's transaction committed without its chat_app transaction;"
                                + " rolling chat_app back");
                    }
                    connection.rollback();
                }
            } catch (SQLException e) {
                log.warn("chat_app: rollback failed ({}); the pool discards the connection", e.getMessage());
            } finally {
                unbind();
                try {
                    connection.setAutoCommit(true);
                } catch (SQLException ignored) {
                    // The pool resets or evicts it.
                }
                close(connection);
            }
        }

        @Override
        public void suspend() {
            unbind();
        }

        @Override
        public void resume() {
            bind();
        }
    }
}

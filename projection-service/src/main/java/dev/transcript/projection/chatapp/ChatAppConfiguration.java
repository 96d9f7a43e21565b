package dev.transcript.projection.chatapp;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import com.zaxxer.hikari.metrics.micrometer.MicrometerMetricsTrackerFactory;
import dev.transcript.migrations.ChatAppMigrations;
import dev.transcript.projection.stream.StatementBatch;
import io.micrometer.core.instrument.MeterRegistry;
import org.flywaydb.core.api.output.MigrateResult;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.JdbcTemplate;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.Locale;

/**
 * Puts chat_app where {@code transcript.projection.chat-app.datasource.url} says, and migrates it there before any
 * listener starts ({@link ChatAppMigrations}: the same SQL on both engines, its own Flyway history). It is not in
 * {@code transcript.projection.schemas}: that list is the main database's, and chat_app may live elsewhere.
 *
 * <ul>
 *   <li>URL empty (the default): schema {@code chat_app} of the main PostgreSQL DataSource.</li>
 *   <li>A MariaDB/MySQL URL ({@code jdbc:mariadb://host:3306/chat_app}; the MariaDB driver speaks to MySQL too):
 *       a pool of its own, every session in UTC (MariaDB/MySQL convert {@code TIMESTAMP}s from the session's
 *       zone), strict (a value that does not fit fails, as on PostgreSQL, instead of being cut with a warning)
 *       and {@code READ COMMITTED}, PostgreSQL's level (reads of a parent see what other consumers committed;
 *       no gap locks). The database must exist with the collation {@link ChatAppMigrations} requires.</li>
 * </ul>
 */
@Configuration(proxyBeanMethods = false)
class ChatAppConfiguration {

    private static final Logger log = LoggerFactory.getLogger(ChatAppConfiguration.class);

    /** Session settings of every chat_app connection to MariaDB/MySQL, whatever its URL says. */
    static final String MARIADB_SESSION = "SET SESSION time_zone = '+00:00',"
            + " SESSION sql_mode = CONCAT_WS(',', NULLIF(@@SESSION.sql_mode, ''), 'STRICT_ALL_TABLES')";

    @Bean // closed by its close(): the pool of its own, if it has one
    ChatAppDatabase chatAppDatabase(JdbcTemplate mainJdbc, StatementBatch statements, MeterRegistry meters,
                                      @Value("${transcript.projection.chat-app.datasource.url:}") String url,
                                      @Value("${transcript.projection.chat-app.datasource.username:}") String username,
                                      @Value("${transcript.projection.chat-app.datasource.password:}") String password,
                                      @Value("${transcript.projection.chat-app.datasource.maximum-pool-size:5}") int poolSize) {
        if (url == null || url.isBlank()) {
            migrate(mainJdbc.getDataSource(), "the main database, schema " + ChatAppMigrations.SCHEMA);
            return ChatAppDatabase.main(mainJdbc, statements);
        }
        HikariDataSource pool = pool(url.strip(), username, password, poolSize, meters);
        try {
            ChatAppMigrations.Engine engine = engineOf(pool);
            migrate(pool, url.strip());
            return ChatAppDatabase.separate(pool, engine, statements);
        } catch (RuntimeException e) {
            pool.close();
            throw e;
        }
    }

    private static HikariDataSource pool(String url, String username, String password, int poolSize,
                                         MeterRegistry meters) {
        HikariConfig config = new HikariConfig();
        config.setPoolName("chat-app-pool");
        config.setJdbcUrl(url);
        if (username != null && !username.isEmpty()) {
            config.setUsername(username);
        }
        if (password != null && !password.isEmpty()) {
            config.setPassword(password);
        }
        // A listener thread per partition and the drainer each hold at most one connection, for one poll.
        config.setMaximumPoolSize(poolSize);
        String scheme = url.toLowerCase(Locale.ROOT);
        if (scheme.startsWith("jdbc:mariadb:") || scheme.startsWith("jdbc:mysql:")) {
            config.setConnectionInitSql(MARIADB_SESSION);
            config.setTransactionIsolation("TRANSACTION_READ_COMMITTED");
            // A batch of INSERT … SELECT sent as MariaDB's bulk command fails (1295, "not supported in the prepared
            // statement protocol"): send batches as pipelined statements.
            config.addDataSourceProperty("useBulkStmts", "false");
            config.addDataSourceProperty("useBulkStmtsForInserts", "false");
        }
        config.setMetricsTrackerFactory(new MicrometerMetricsTrackerFactory(meters));
        return new HikariDataSource(config);
    }

    private static ChatAppMigrations.Engine engineOf(DataSource dataSource) {
        try (Connection connection = dataSource.getConnection()) {
            return ChatAppMigrations.Engine.of(connection.getMetaData().getDatabaseProductName());
        } catch (SQLException e) {
            throw new IllegalStateException("could not reach chat_app's database: " + e.getMessage(), e);
        }
    }

    private static void migrate(DataSource dataSource, String where) {
        MigrateResult result = ChatAppMigrations.migrate(dataSource);
        log.info("chat_app in {}: {} migration(s) applied, now at {}", where, result.migrationsExecuted,
                result.targetSchemaVersion);
    }
}

package dev.transcript.migrations;

import dev.transcript.testing.TestMariaDb;
import org.flywaydb.core.api.output.MigrateResult;
import org.junit.jupiter.api.Test;
import org.mariadb.jdbc.MariaDbDataSource;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

/**
 * What {@link ChatAppMigrations} checks and sets on MariaDB/MySQL before it migrates. (The migration itself on
 * both engines is {@link ChatAppSchemaConformanceIT}.) Skipped where no MariaDB answers.
 */
class ChatAppMigrationsIT {

    @Test
    void refusesADatabaseThatComparesTextCaseInsensitivelyAndSaysHowToCreateIt() throws SQLException {
        TestMariaDb database = TestMariaDb.create("chat_app_ci");
        try {
            execute(database, "ALTER DATABASE " + database.name() + " CHARACTER SET utf8mb4 COLLATE utf8mb4_general_ci");

            assertThatIllegalStateException().isThrownBy(() -> ChatAppMigrations.migrate(dataSource(database, "")))
                    .withMessageContaining("utf8mb4_general_ci")
                    .withMessageContaining("CREATE DATABASE " + database.name()
                            + " CHARACTER SET utf8mb4 COLLATE utf8mb4_nopad_bin");
            assertThat(tables(database)).isZero();
        } finally {
            database.drop();
        }
    }

    @Test
    void refusesABinaryCollationThatIgnoresTrailingSpaces() throws SQLException {
        TestMariaDb database = TestMariaDb.create("chat_app_pad");
        try {
            execute(database, "ALTER DATABASE " + database.name() + " CHARACTER SET utf8mb4 COLLATE utf8mb4_bin");

            assertThatIllegalStateException().isThrownBy(() -> ChatAppMigrations.migrate(dataSource(database, "")))
                    .withMessageContaining("utf8mb4_bin");
        } finally {
            database.drop();
        }
    }

    @Test
    void createsNoImplicitTimestampDefaultsEvenWhereTheSessionHasExplicitDefaultsOff() throws SQLException {
        TestMariaDb database = TestMariaDb.create("chat_app_implicit");
        try {
            // As a server before MariaDB 10.10 (or MySQL 5.7) would have it, for every session Flyway opens.
            MariaDbDataSource legacy = dataSource(database, "sessionVariables=explicit_defaults_for_timestamp=0");
            try (Connection connection = legacy.getConnection(); Statement statement = connection.createStatement();
                 ResultSet rows = statement.executeQuery("SELECT @@explicit_defaults_for_timestamp")) {
                rows.next();
                assertThat(rows.getInt(1)).as("the legacy session").isZero();
            }

            MigrateResult result = ChatAppMigrations.migrate(legacy);

            assertThat(result.migrationsExecuted).isEqualTo(1);
            try (Connection connection = DriverManager.getConnection(database.jdbcUrl(), database.user(), database.password());
                 Statement statement = connection.createStatement();
                 ResultSet rows = statement.executeQuery("SHOW CREATE TABLE users")) {
                rows.next();
                assertThat(rows.getString(2).toLowerCase())
                        .contains("`created_at` timestamp(6) not null,", "`updated_at` timestamp(6) not null,")
                        .doesNotContain("current_timestamp", "0000-00-00");
            }
        } finally {
            database.drop();
        }
    }

    @Test
    void refusesAConnectionThatSelectsNoDatabase() throws SQLException {
        TestMariaDb database = TestMariaDb.create("chat_app_nodb");
        try {
            String serverUrl = database.jdbcUrl().substring(0, database.jdbcUrl().lastIndexOf('/' + database.name()) + 1);
            MariaDbDataSource noDatabase = new MariaDbDataSource(serverUrl);
            noDatabase.setUser(database.user());
            noDatabase.setPassword(database.password());

            assertThatIllegalStateException().isThrownBy(() -> ChatAppMigrations.migrate(noDatabase))
                    .withMessageContaining("selects none");
        } finally {
            database.drop();
        }
    }

    private static MariaDbDataSource dataSource(TestMariaDb database, String parameters) throws SQLException {
        String url = database.jdbcUrl();
        if (!parameters.isEmpty()) {
            url += (url.contains("?") ? "&" : "?") + parameters;
        }
        MariaDbDataSource dataSource = new MariaDbDataSource(url);
        dataSource.setUser(database.user());
        dataSource.setPassword(database.password());
        return dataSource;
    }

    private static void execute(TestMariaDb database, String sql) throws SQLException {
        try (Connection connection = DriverManager.getConnection(database.jdbcUrl(), database.user(), database.password());
             Statement statement = connection.createStatement()) {
            statement.execute(sql);
        }
    }

    private static int tables(TestMariaDb database) throws SQLException {
        try (Connection connection = DriverManager.getConnection(database.jdbcUrl(), database.user(), database.password());
             Statement statement = connection.createStatement();
             ResultSet rows = statement.executeQuery("SELECT COUNT(*) FROM information_schema.TABLES WHERE TABLE_SCHEMA = '"
                     + database.name() + "'")) {
            rows.next();
            return rows.getInt(1);
        }
    }
}

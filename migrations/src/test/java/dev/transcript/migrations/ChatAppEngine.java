package dev.transcript.migrations;

import dev.transcript.testing.TestDatabase;
import dev.transcript.testing.TestMariaDb;
import org.mariadb.jdbc.MariaDbDataSource;
import org.postgresql.ds.PGSimpleDataSource;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The two engines chat_app's SQL runs on, as the tests reach them: a fresh database on each, and what each one's
 * catalogue says about the migrated tables, normalized to one vocabulary of {@linkplain #facts facts} so that the
 * engines can be compared with the seed and with each other.
 */
enum ChatAppEngine {

    POSTGRESQL {
        @Override
        Fresh create(String prefix) {
            TestDatabase database = TestDatabase.create(prefix);
            PGSimpleDataSource dataSource = new PGSimpleDataSource();
            dataSource.setURL(database.jdbcUrl());
            dataSource.setUser(database.user());
            dataSource.setPassword(database.password());
            return new Fresh(this, dataSource, ChatAppMigrations.SCHEMA, database::drop);
        }

        @Override
        String normalizedType(ResultSet column) throws SQLException {
            String type = column.getString("data_type");
            return switch (type) {
                case "character varying" -> "VARCHAR(" + column.getInt("character_maximum_length") + ")";
                case "text" -> "TEXT";
                case "integer" -> "INTEGER";
                case "boolean" -> "BOOLEAN";
                case "timestamp without time zone" -> "TIMESTAMP(" + column.getInt("datetime_precision") + ")";
                default -> "postgresql " + type; // matches nothing expected, so it shows up as a difference
            };
        }

        @Override
        String extra(ResultSet column) {
            return "";
        }

        @Override
        String referencesSql() {
            // PostgreSQL's key_column_usage has no referenced_* columns: go through the referenced unique constraint.
            return """
                    SELECT kcu.table_name, rc.constraint_name, rc.delete_rule, kcu.column_name,
                           ref.table_name, ref.column_name
                    FROM information_schema.referential_constraints rc
                    JOIN information_schema.key_column_usage kcu
                      ON kcu.constraint_schema = rc.constraint_schema AND kcu.constraint_name = rc.constraint_name
                    JOIN information_schema.key_column_usage ref
                      ON ref.constraint_schema = rc.unique_constraint_schema
                     AND ref.constraint_name = rc.unique_constraint_name
                     AND ref.ordinal_position = kcu.position_in_unique_constraint
                    WHERE rc.constraint_schema = ?
                    ORDER BY kcu.table_name, rc.constraint_name, kcu.ordinal_position""";
        }

        @Override
        String indexesSql() {
            // information_schema has no indexes on PostgreSQL; pg_index does. The primary key's index is named
            // PRIMARY here, as MariaDB names it; expression or partial indexes are marked so they cannot match.
            return """
                    SELECT tc.relname, CASE WHEN ix.indisprimary THEN 'PRIMARY' ELSE ic.relname END,
                           CASE WHEN ix.indisunique THEN 1 ELSE 0 END,
                           coalesce((SELECT string_agg(a.attname, ',' ORDER BY k.n)
                                     FROM unnest(ix.indkey::int2[]) WITH ORDINALITY AS k(attnum, n)
                                     JOIN pg_attribute a ON a.attrelid = ix.indrelid AND a.attnum = k.attnum), '')
                           || CASE WHEN ix.indexprs IS NULL AND ix.indpred IS NULL THEN '' ELSE ' EXPRESSION' END
                    FROM pg_index ix
                    JOIN pg_class ic ON ic.oid = ix.indexrelid
                    JOIN pg_class tc ON tc.oid = ix.indrelid
                    JOIN pg_namespace n ON n.oid = tc.relnamespace
                    WHERE n.nspname = ?""";
        }

        @Override
        String epochSql(String table, String column) {
            return "SELECT EXTRACT(EPOCH FROM " + column + ") FROM " + table + " WHERE id = ?";
        }

        @Override
        String dropIndexSql(String table, String index) {
            return "DROP INDEX " + index;
        }
    },

    MARIADB {
        @Override
        Fresh create(String prefix) {
            TestMariaDb database = TestMariaDb.create(prefix); // skips the test where no MariaDB answers
            // Every session in UTC, as ChatAppMigrations tells writers to connect.
            String url = database.jdbcUrl() + (database.jdbcUrl().contains("?") ? "&" : "?")
                    + "sessionVariables=time_zone='+00:00'";
            try {
                MariaDbDataSource dataSource = new MariaDbDataSource(url);
                dataSource.setUser(database.user());
                dataSource.setPassword(database.password());
                return new Fresh(this, dataSource, database.name(), database::drop);
            } catch (SQLException e) {
                database.drop();
                throw new IllegalStateException(e);
            }
        }

        private static final Pattern TYPE = Pattern.compile("([a-z]+)(?:\\((\\d+)\\))?(?: unsigned)?");

        @Override
        String normalizedType(ResultSet column) throws SQLException {
            String type = column.getString("column_type").toLowerCase();
            Matcher parts = TYPE.matcher(type);
            if (!parts.matches()) {
                return "mariadb " + type;
            }
            String size = parts.group(2);
            return switch (parts.group(1)) {
                case "varchar" -> "VARCHAR(" + size + ")";
                case "text" -> size == null ? "TEXT" : "mariadb " + type;
                case "int" -> type.contains("unsigned") ? "mariadb " + type : "INTEGER";
                case "tinyint" -> "1".equals(size) ? "BOOLEAN" : "mariadb " + type;
                case "timestamp" -> "TIMESTAMP(" + (size == null ? "0" : size) + ")";
                default -> "mariadb " + type;
            };
        }

        @Override
        String extra(ResultSet column) throws SQLException {
            String extra = column.getString("extra");
            return extra == null || extra.isBlank() ? "" : " EXTRA " + extra;
        }

        @Override
        String referencesSql() {
            return """
                    SELECT rc.TABLE_NAME, rc.CONSTRAINT_NAME, rc.DELETE_RULE, kcu.COLUMN_NAME,
                           kcu.REFERENCED_TABLE_NAME, kcu.REFERENCED_COLUMN_NAME
                    FROM information_schema.REFERENTIAL_CONSTRAINTS rc
                    JOIN information_schema.KEY_COLUMN_USAGE kcu
                      ON kcu.CONSTRAINT_SCHEMA = rc.CONSTRAINT_SCHEMA AND kcu.CONSTRAINT_NAME = rc.CONSTRAINT_NAME
                     AND kcu.TABLE_NAME = rc.TABLE_NAME
                    WHERE rc.CONSTRAINT_SCHEMA = ?
                    ORDER BY rc.TABLE_NAME, rc.CONSTRAINT_NAME, kcu.ORDINAL_POSITION""";
        }

        @Override
        String indexesSql() {
            return """
                    SELECT TABLE_NAME, INDEX_NAME, 1 - MAX(NON_UNIQUE),
                           GROUP_CONCAT(CASE WHEN COLUMN_NAME IS NULL OR SUB_PART IS NOT NULL
                                             THEN 'EXPRESSION' ELSE COLUMN_NAME END ORDER BY SEQ_IN_INDEX)
                    FROM information_schema.STATISTICS
                    WHERE TABLE_SCHEMA = ?
                    GROUP BY TABLE_NAME, INDEX_NAME""";
        }

        @Override
        String epochSql(String table, String column) {
            // The stored UTC value, whatever the session's time zone.
            return "SELECT UNIX_TIMESTAMP(" + column + ") FROM " + table + " WHERE id = ?";
        }

        @Override
        String dropIndexSql(String table, String index) {
            return "DROP INDEX " + index + " ON " + table;
        }
    };

    static final String HISTORY = "flyway_schema_history";

    /** PostgreSQL lists each NOT NULL as a CHECK constraint named like {@code 2200_16390_1_not_null}. */
    private static final Pattern NOT_NULL_CHECK = Pattern.compile("\\d+_\\d+_\\d+_not_null");

    /** A fresh database with a DataSource on it; {@code schema} is where chat_app's tables and history go. */
    record Fresh(ChatAppEngine engine, DataSource dataSource, String schema, Runnable drop) implements AutoCloseable {

        /** A connection whose unqualified names are chat_app's tables. */
        Connection connect() throws SQLException {
            Connection connection = dataSource.getConnection();
            if (engine == POSTGRESQL) {
                connection.setSchema(schema);
            }
            return connection;
        }

        List<String> facts() throws SQLException {
            try (Connection connection = dataSource.getConnection()) {
                return engine.facts(connection, schema);
            }
        }

        @Override
        public void close() {
            drop.run();
        }

        @Override
        public String toString() {
            return engine + " " + schema;
        }
    }

    abstract Fresh create(String prefix);

    /** information_schema.columns' row as one of VARCHAR(n), TEXT, INTEGER, BOOLEAN, TIMESTAMP(p); else raw. */
    abstract String normalizedType(ResultSet column) throws SQLException;

    /** MariaDB's EXTRA (e.g. "on update current_timestamp(6)"), which PostgreSQL has no counterpart for. */
    abstract String extra(ResultSet column) throws SQLException;

    /** Rows: table, constraint, delete rule, column, referenced table, referenced column; one per column in order. */
    abstract String referencesSql();

    /** Rows: table, index name (PRIMARY for the primary key), 1 when unique else 0, columns joined by ','. */
    abstract String indexesSql();

    /** One row, one column: the stored time as seconds since 1970-01-01 UTC, with its fraction. */
    abstract String epochSql(String table, String column);

    abstract String dropIndexSql(String table, String index);

    /**
     * Everything the catalogue says about the tables of {@code schema} (leaving out Flyway's history) as sorted
     * lines, e.g. {@code column chat_messages #5 model VARCHAR(100) NULL}. Two schemas are alike when their
     * facts are equal, and each line that differs says what differs.
     */
    List<String> facts(Connection connection, String schema) throws SQLException {
        TreeSet<String> facts = new TreeSet<>();
        for (List<String> row : rows(connection, """
                SELECT table_name, table_type FROM information_schema.tables WHERE table_schema = ?""",
                schema, 2)) {
            facts.add(("BASE TABLE".equals(row.get(1)) ? "table " : row.get(1).toLowerCase() + " ") + row.get(0));
        }

        // Columns numbered 1, 2, 3 ... in their order: PostgreSQL leaves gaps where columns were dropped.
        Map<String, Integer> position = new LinkedHashMap<>();
        try (PreparedStatement query = connection.prepareStatement("""
                SELECT * FROM information_schema.columns WHERE table_schema = ?
                ORDER BY table_name, ordinal_position""")) {
            query.setString(1, schema);
            try (ResultSet column = query.executeQuery()) {
                while (column.next()) {
                    String table = column.getString("table_name");
                    int number = position.merge(table, 1, Integer::sum);
                    String fallback = column.getString("column_default");
                    // MariaDB says the text NULL for "no default" on a nullable column.
                    String defaultValue = fallback == null || "NULL".equals(fallback) ? "" : " DEFAULT " + fallback;
                    facts.add("column " + table + " #" + number + " " + column.getString("column_name") + " "
                            + normalizedType(column) + ("YES".equals(column.getString("is_nullable")) ? " NULL" : " NOT NULL")
                            + defaultValue + extra(column));
                }
            }
        }

        // Primary keys, unique constraints and CHECKs by name, with their columns in key order.
        Map<String, List<String>> constraints = new LinkedHashMap<>();
        for (List<String> row : rows(connection, """
                SELECT tc.table_name, tc.constraint_name, tc.constraint_type, kcu.column_name
                FROM information_schema.table_constraints tc
                LEFT JOIN information_schema.key_column_usage kcu
                  ON kcu.constraint_schema = tc.constraint_schema AND kcu.constraint_name = tc.constraint_name
                 AND kcu.table_name = tc.table_name
                WHERE tc.table_schema = ? AND tc.constraint_type <> 'FOREIGN KEY'
                ORDER BY tc.table_name, tc.constraint_name, kcu.ordinal_position""", schema, 4)) {
            String table = row.get(0);
            String name = row.get(1);
            String key = switch (row.get(2)) {
                case "PRIMARY KEY" -> "primary key " + table; // PostgreSQL names it, MariaDB calls every one PRIMARY
                case "UNIQUE" -> "unique " + table + " " + name;
                case "CHECK" -> NOT_NULL_CHECK.matcher(name).matches() ? null : "check " + table + " " + name;
                default -> row.get(2).toLowerCase() + " " + table + " " + name;
            };
            if (key != null) {
                List<String> columns = constraints.computeIfAbsent(key, k -> new ArrayList<>());
                if (row.get(3) != null) {
                    columns.add(row.get(3));
                }
            }
        }
        constraints.forEach((key, columns) -> facts.add(key + " (" + String.join(",", columns) + ")"));

        Map<String, String[]> foreignKeys = new LinkedHashMap<>();
        for (List<String> row : rows(connection, referencesSql(), schema, 6)) {
            String[] parts = foreignKeys.computeIfAbsent("foreign key " + row.get(0) + " " + row.get(1),
                    key -> new String[] {null, row.get(4), null, row.get(2)});
            parts[0] = parts[0] == null ? row.get(3) : parts[0] + "," + row.get(3);
            parts[2] = parts[2] == null ? row.get(5) : parts[2] + "," + row.get(5);
        }
        foreignKeys.forEach((key, parts) -> facts.add(
                key + " (" + parts[0] + ") -> " + parts[1] + " (" + parts[2] + ") ON DELETE " + parts[3]));

        for (List<String> row : rows(connection, indexesSql(), schema, 4)) {
            facts.add(("1".equals(row.get(2)) ? "unique index " : "index ") + row.get(0) + " " + row.get(1) + " (" + row.get(3) + ")");
        }

        facts.removeIf(fact -> fact.contains(" " + HISTORY + " ") || fact.endsWith(" " + HISTORY));
        return List.copyOf(facts);
    }

    /** The first {@code width} columns of each row as text; {@code parameter} binds the query's one {@code ?}. */
    static List<List<String>> rows(Connection connection, String sql, String parameter, int width) throws SQLException {
        try (PreparedStatement query = connection.prepareStatement(sql)) {
            query.setString(1, parameter);
            try (ResultSet rs = query.executeQuery()) {
                List<List<String>> rows = new ArrayList<>();
                while (rs.next()) {
                    List<String> row = new ArrayList<>(width);
                    for (int i = 1; i <= width; i++) {
                        row.add(rs.getString(i));
                    }
                    rows.add(row);
                }
                return rows;
            }
        }
    }
}

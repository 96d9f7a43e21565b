package dev.transcript.migrations;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What PostgreSQL's catalog says a schema holds, as text that can be compared between two schemas: a reference
 * schema built from a seed's own DDL and the schema its Flyway migration built. Every definition is PostgreSQL's
 * own rendering ({@code format_type}, {@code pg_get_expr}, {@code pg_get_constraintdef}, {@code pg_get_indexdef},
 * {@code pg_get_triggerdef}, {@code pg_get_viewdef}, {@code pg_get_functiondef}), so two spellings of the same
 * DDL compare equal and any real difference does not. The schema's own name is taken out of every definition
 * (the catalog is read with {@code search_path} set to that schema alone, and any qualification by it that
 * PostgreSQL prints anyway is dropped); a reference to any other schema stays qualified, and so differs.
 *
 * <p>Flyway's history table (and its indexes) is left out: the migrated schema has it and the seed does not.
 * Comments, owners and privileges are not compared; the seeds give none.
 */
final class SchemaCatalog {

    /** Kinds of object, each compared by name. */
    enum Category {
        /** Every relation (table, view, index, sequence, …) by name: its kind, and options if any. */
        RELATION("relation"),
        /** Each column as {@code table.column}: type, default, nullability; and each relation's column order. */
        COLUMN("column"),
        /** Each constraint as {@code table.constraint} (or {@code domain.constraint}): its definition. */
        CONSTRAINT("constraint"),
        /** Each index by name: {@code pg_get_indexdef}. */
        INDEX("index"),
        /** Each user trigger as {@code table.trigger}: {@code pg_get_triggerdef} and whether it is enabled. */
        TRIGGER("trigger"),
        /** Each view by name: {@code pg_get_viewdef}. */
        VIEW("view"),
        /** Each function as {@code name(args)}: language, body ({@code prosrc}) and full definition. */
        FUNCTION("function"),
        /** Each type that is no relation's row type (enums, domains, …): its kind and definition. */
        TYPE("type");

        private final String label;

        Category(String label) {
            this.label = label;
        }

        @Override
        public String toString() {
            return label;
        }
    }

    static final String HISTORY = "flyway_schema_history";

    private static final Pattern IDENTIFIER = Pattern.compile("[a-z_][a-z0-9_]*");

    /** One schema's objects, by category, each by name with its definition. */
    record Snapshot(String schema, Map<Category, SortedMap<String, String>> objects) {

        SortedMap<String, String> of(Category category) {
            return objects.get(category);
        }

        /** A line per category with how many objects it holds, for messages. */
        String summary() {
            StringBuilder summary = new StringBuilder(schema).append(':');
            objects.forEach((category, found) -> summary.append(' ').append(category).append('=').append(found.size()));
            return summary.toString();
        }
    }

    private SchemaCatalog() {
    }

    /** Reads {@code schema} through {@code connection}, whose {@code search_path} it leaves set to that schema. */
    static Snapshot snapshot(Connection connection, String schema) throws SQLException {
        if (!IDENTIFIER.matcher(schema).matches()) {
            throw new IllegalArgumentException("not a plain schema name: " + schema);
        }
        try (PreparedStatement set = connection.prepareStatement("SELECT set_config('search_path', ?, false)")) {
            set.setString(1, schema);
            set.execute();
        }
        Pattern qualifier = Pattern.compile("(?<![\\w$\"])\"?" + Pattern.quote(schema) + "\"?\\.");
        Map<Category, SortedMap<String, String>> objects = new EnumMap<>(Category.class);
        for (Category category : Category.values()) {
            objects.put(category, new TreeMap<>());
        }
        Reader read = new Reader(connection, schema, qualifier);

        read.into(objects.get(Category.RELATION), RELATIONS, rs -> rs.getString("name"), rs -> {
            StringBuilder kind = new StringBuilder(rs.getString("kind"));
            if (!rs.getString("options").isEmpty()) {
                kind.append(" with (").append(rs.getString("options")).append(')');
            }
            if (!"p".equals(rs.getString("persistence"))) {
                kind.append(", persistence ").append(rs.getString("persistence"));
            }
            if (rs.getBoolean("row_security")) {
                kind.append(", row level security");
            }
            return kind.toString();
        });

        Map<String, List<String>> order = new LinkedHashMap<>();
        read.into(objects.get(Category.COLUMN), COLUMNS,
                rs -> {
                    order.computeIfAbsent(rs.getString("relation"), relation -> new ArrayList<>())
                            .add(rs.getString("name"));
                    return rs.getString("relation") + "." + rs.getString("name");
                },
                rs -> {
                    StringBuilder column = new StringBuilder(rs.getString("type"));
                    column.append(rs.getBoolean("not_null") ? " NOT NULL" : " NULL");
                    String fallback = rs.getString("default_expr");
                    column.append(fallback == null ? ", no default" : ", DEFAULT " + fallback);
                    if (!rs.getString("identity").isEmpty()) {
                        column.append(", identity ").append(rs.getString("identity"));
                    }
                    if (!rs.getString("generated").isEmpty()) {
                        column.append(", generated ").append(rs.getString("generated"));
                    }
                    if (rs.getString("collation") != null) {
                        column.append(", COLLATE ").append(rs.getString("collation"));
                    }
                    return column.toString();
                });
        order.forEach((relation, columns) ->
                objects.get(Category.COLUMN).put(relation + " (column order)", String.join(", ", columns)));

        read.into(objects.get(Category.CONSTRAINT), CONSTRAINTS,
                rs -> rs.getString("owner") + "." + rs.getString("name"), rs -> rs.getString("definition"));
        read.into(objects.get(Category.INDEX), INDEXES, rs -> rs.getString("name"), rs -> rs.getString("definition"));
        read.into(objects.get(Category.TRIGGER), TRIGGERS,
                rs -> rs.getString("relation") + "." + rs.getString("name"),
                rs -> rs.getString("definition") + ("O".equals(rs.getString("enabled"))
                        ? "" : " [tgenabled " + rs.getString("enabled") + "]"));
        read.into(objects.get(Category.VIEW), VIEWS, rs -> rs.getString("name"), rs -> rs.getString("definition"));

        SortedMap<String, String> functions = objects.get(Category.FUNCTION);
        for (List<String> function : read.rows(FUNCTIONS, rs -> List.of(rs.getString("signature"),
                rs.getString("language"), rs.getString("body"), Objects.toString(rs.getString("definition"), "")))) {
            functions.put(function.get(0) + " language", function.get(1));
            functions.put(function.get(0) + " body", function.get(2));
            functions.put(function.get(0) + " definition", read.normalize(function.get(3)));
        }

        read.into(objects.get(Category.TYPE), TYPES, rs -> rs.getString("name"), rs -> rs.getString("definition"));

        objects.replaceAll((category, found) -> Collections.unmodifiableSortedMap(found));
        return new Snapshot(schema, Collections.unmodifiableMap(objects));
    }

    /** Every difference between the two schemas, all categories, each naming its object. */
    static List<String> differences(Snapshot seed, Snapshot migrated) {
        List<String> differences = new ArrayList<>();
        for (Category category : Category.values()) {
            differences.addAll(differences(seed, migrated, category));
        }
        return differences;
    }

    /**
     * Each object of {@code category} that the migrated schema lacks, adds, or defines otherwise than the seed,
     * as one line naming it: {@code index idx_x: missing from the migration (seed: …)}.
     */
    static List<String> differences(Snapshot seed, Snapshot migrated, Category category) {
        SortedMap<String, String> expected = seed.of(category);
        SortedMap<String, String> actual = migrated.of(category);
        TreeSet<String> names = new TreeSet<>(expected.keySet());
        names.addAll(actual.keySet());
        List<String> differences = new ArrayList<>();
        for (String name : names) {
            String want = expected.get(name);
            String have = actual.get(name);
            if (have == null) {
                differences.add(category + " " + name + ": missing from the migration (seed: " + want + ")");
            } else if (want == null) {
                differences.add(category + " " + name + ": added by the migration, not in the seed (migration: "
                        + have + ")");
            } else if (!want.equals(have)) {
                differences.add(category + " " + name + ": the seed has <" + want + "> but the migration has <"
                        + have + ">");
            }
        }
        return differences;
    }

    /** The schema's namespace, and the history table with its indexes, which every query leaves out. */
    private static final String SCOPE = """
            WITH ns AS (SELECT oid FROM pg_namespace WHERE nspname = ?),
                 skipped AS (SELECT c.oid FROM pg_class c JOIN ns ON c.relnamespace = ns.oid
                             WHERE c.relname = '%s'
                             UNION
                             SELECT i.indexrelid FROM pg_index i JOIN pg_class c ON c.oid = i.indrelid
                             JOIN ns ON c.relnamespace = ns.oid WHERE c.relname = '%s')
            """.formatted(HISTORY, HISTORY);

    private static final String RELATIONS = SCOPE + """
            SELECT c.relname AS name,
                   CASE c.relkind WHEN 'r' THEN 'table' WHEN 'p' THEN 'partitioned table' WHEN 'v' THEN 'view'
                                  WHEN 'm' THEN 'materialized view' WHEN 'i' THEN 'index'
                                  WHEN 'I' THEN 'partitioned index' WHEN 'S' THEN 'sequence'
                                  WHEN 'c' THEN 'composite type' WHEN 'f' THEN 'foreign table'
                                  ELSE c.relkind::text END AS kind,
                   coalesce(array_to_string(c.reloptions, ', '), '') AS options,
                   c.relpersistence AS persistence,
                   c.relrowsecurity AS row_security
            FROM pg_class c JOIN ns ON c.relnamespace = ns.oid
            WHERE c.oid NOT IN (SELECT oid FROM skipped)""";

    private static final String COLUMNS = SCOPE + """
            SELECT c.relname AS relation, a.attname AS name,
                   format_type(a.atttypid, a.atttypmod) AS type,
                   a.attnotnull AS not_null,
                   pg_get_expr(d.adbin, d.adrelid) AS default_expr,
                   a.attidentity::text AS identity,
                   a.attgenerated::text AS generated,
                   CASE WHEN a.attcollation <> t.typcollation THEN co.collname END AS collation
            FROM pg_attribute a
            JOIN pg_class c ON c.oid = a.attrelid
            JOIN ns ON c.relnamespace = ns.oid
            JOIN pg_type t ON t.oid = a.atttypid
            LEFT JOIN pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum
            LEFT JOIN pg_collation co ON co.oid = a.attcollation
            WHERE a.attnum > 0 AND NOT a.attisdropped AND c.relkind IN ('r', 'p', 'v', 'm', 'f', 'c')
              AND c.oid NOT IN (SELECT oid FROM skipped)
            ORDER BY c.relname, a.attnum""";

    private static final String CONSTRAINTS = SCOPE + """
            SELECT c.relname AS owner, co.conname AS name, pg_get_constraintdef(co.oid, true) AS definition
            FROM pg_constraint co JOIN pg_class c ON c.oid = co.conrelid JOIN ns ON c.relnamespace = ns.oid
            WHERE c.oid NOT IN (SELECT oid FROM skipped)
            UNION ALL
            SELECT t.typname, co.conname, pg_get_constraintdef(co.oid, true)
            FROM pg_constraint co JOIN pg_type t ON t.oid = co.contypid JOIN ns ON t.typnamespace = ns.oid""";

    private static final String INDEXES = SCOPE + """
            SELECT ic.relname AS name, pg_get_indexdef(i.indexrelid) AS definition
            FROM pg_index i
            JOIN pg_class ic ON ic.oid = i.indexrelid
            JOIN ns ON ic.relnamespace = ns.oid
            WHERE ic.oid NOT IN (SELECT oid FROM skipped)""";

    private static final String TRIGGERS = SCOPE + """
            SELECT c.relname AS relation, tg.tgname AS name, pg_get_triggerdef(tg.oid, true) AS definition,
                   tg.tgenabled::text AS enabled
            FROM pg_trigger tg JOIN pg_class c ON c.oid = tg.tgrelid JOIN ns ON c.relnamespace = ns.oid
            WHERE NOT tg.tgisinternal""";

    private static final String VIEWS = SCOPE + """
            SELECT c.relname AS name, pg_get_viewdef(c.oid, true) AS definition
            FROM pg_class c JOIN ns ON c.relnamespace = ns.oid
            WHERE c.relkind IN ('v', 'm')""";

    private static final String FUNCTIONS = SCOPE + """
            SELECT p.proname || '(' || pg_get_function_identity_arguments(p.oid) || ')' AS signature,
                   l.lanname AS language, p.prosrc AS body,
                   CASE WHEN p.prokind IN ('f', 'p') THEN pg_get_functiondef(p.oid) END AS definition
            FROM pg_proc p JOIN ns ON p.pronamespace = ns.oid JOIN pg_language l ON l.oid = p.prolang""";

    /** Types of the schema other than relations' row types and their arrays (those are the relations). */
    private static final String TYPES = SCOPE + """
            SELECT t.typname AS name,
                   CASE t.typtype
                       WHEN 'e' THEN 'enum (' || (SELECT string_agg(quote_literal(e.enumlabel), ', '
                                                                     ORDER BY e.enumsortorder)
                                                   FROM pg_enum e WHERE e.enumtypid = t.oid) || ')'
                       WHEN 'd' THEN 'domain over ' || format_type(t.typbasetype, t.typtypmod)
                                     || CASE WHEN t.typnotnull THEN ' NOT NULL' ELSE '' END
                                     || coalesce(' DEFAULT ' || pg_get_expr(t.typdefaultbin, 0), '')
                       ELSE 'typtype ' || t.typtype::text || ' ' || format_type(t.oid, NULL)
                   END AS definition
            FROM pg_type t JOIN ns ON t.typnamespace = ns.oid
            WHERE t.typrelid = 0
              AND NOT EXISTS (SELECT 1 FROM pg_type e WHERE e.oid = t.typelem AND e.typrelid <> 0)""";

    private interface Column<T> {
        T read(ResultSet rs) throws SQLException;
    }

    private record Reader(Connection connection, String schema, Pattern qualifier) {

        String normalize(String definition) {
            return definition == null ? null : qualifier.matcher(definition).replaceAll(Matcher.quoteReplacement(""));
        }

        <T> List<T> rows(String sql, Column<T> row) throws SQLException {
            try (PreparedStatement statement = connection.prepareStatement(sql)) {
                statement.setString(1, schema);
                try (ResultSet rs = statement.executeQuery()) {
                    List<T> rows = new ArrayList<>();
                    while (rs.next()) {
                        rows.add(row.read(rs));
                    }
                    return rows;
                }
            }
        }

        void into(SortedMap<String, String> target, String sql, Column<String> name, Column<String> definition)
                throws SQLException {
            for (Map.Entry<String, String> entry : rows(sql, rs -> Map.entry(name.read(rs),
                    Objects.requireNonNull(normalize(definition.read(rs)), "definition")))) {
                String earlier = target.put(entry.getKey(), entry.getValue());
                if (earlier != null) {
                    throw new IllegalStateException("two objects named " + entry.getKey() + " in " + schema);
                }
            }
        }
    }
}

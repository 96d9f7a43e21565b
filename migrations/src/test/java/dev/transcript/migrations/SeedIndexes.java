package dev.transcript.migrations;

import dev.transcript.migrations.SeedDocument.Block;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * The indexes a seed gives in prose only (seed 003), read from its text: a bullet {@code - `idx_<table>_<columns>` -
 * why} under a migration section's {@code **Indexes**:}, and under a heading "… Composite Indexes" a bullet per
 * composite index with its columns' sort orders, {@code - (user_id, created_at DESC) for dashboard queries}.
 *
 * <p>A bullet's table is the one its section's {@code CREATE TABLE} creates; its columns are read from its name, a
 * run of that table's columns joined by "_" that must spell it one way only; a composite bullet's orders go to the
 * one index with exactly its columns. An order the seed says in words only is a {@link Reading} the caller gives,
 * and it must still quote the bullet. Anything that does not fit (a name no columns spell, a composite list no
 * index has, a composite index without any order) is refused: the seed has changed, and the test must say how to
 * read it.
 */
final class SeedIndexes {

    /** An index column with the order the seed gives it, {@code ASC} or {@code DESC}, or "" where it gives none. */
    record Column(String name, String order) {
        @Override
        public String toString() {
            return order.isEmpty() ? name : name + " " + order;
        }
    }

    /** @param section the heading of the migration section whose "Indexes" list holds the bullet */
    record Index(String section, String table, String name, String bullet, List<Column> columns) {

        String definition() {
            return "CREATE INDEX " + name + " ON " + table + " ("
                    + columns.stream().map(Column::toString).collect(Collectors.joining(", ")) + ")";
        }

        List<String> columnNames() {
            return columns.stream().map(Column::name).toList();
        }

        Index with(List<Column> ordered) {
            return new Index(section, table, name, bullet, List.copyOf(ordered));
        }
    }

    /** An order the seed says in words: {@code words} must stand in the bullet of {@code index}. */
    record Reading(String index, String words, String column, String order) {
    }

    private record Table(String name, List<String> columns) {
    }

    private static final Pattern CREATE_TABLE = Pattern.compile("CREATE TABLE (\\w+) \\(");
    /** A column definition: lower-case, where CONSTRAINT, PRIMARY KEY and the other table clauses are upper-case. */
    private static final Pattern COLUMN = Pattern.compile("\\s+([a-z_][a-z0-9_]*)\\s.*");
    private static final Pattern BULLET = Pattern.compile("- `(\\w+)` - (.+)");
    private static final Pattern COMPOSITE = Pattern.compile("- \\(([^)]+)\\) .+");
    private static final Pattern ORDERED = Pattern.compile("(\\w+)(?: (ASC|DESC))?");

    private SeedIndexes() {
    }

    /** Every index bullet of the seed, in its order, with the orders of its composite list and the readings. */
    static List<Index> derive(SeedDocument seed, List<Reading> readings) {
        Map<String, Index> indexes = new LinkedHashMap<>();
        bullets(seed).forEach(index -> indexes.put(index.name(), index));
        compositeList(seed).forEach(composite -> order(indexes, composite));
        readings.forEach(reading -> read(indexes, reading));
        indexes.values().forEach(SeedIndexes::requireAnOrderIfComposite);
        return List.copyOf(indexes.values());
    }

    /** A composite index is there for its order; one the seed orders nowhere must not pass for ascending. */
    private static void requireAnOrderIfComposite(Index index) {
        if (index.columns().size() > 1 && index.columns().stream().allMatch(column -> column.order().isEmpty())) {
            throw new IllegalArgumentException("the seed gives no sort order for composite " + index.name()
                    + " (\"" + index.bullet() + "\"): add a Reading for it");
        }
    }

    private static List<Index> bullets(SeedDocument seed) {
        Map<String, Table> tables = tables(seed);
        List<Index> indexes = new ArrayList<>();
        String section = "";
        boolean inIndexes = false;
        for (String line : seed.lines()) {
            Matcher bullet = BULLET.matcher(line);
            if (line.startsWith("#")) {
                section = line;
                inIndexes = false;
            } else if (line.equals("**Indexes**:")) {
                inIndexes = true;
            } else if (inIndexes && bullet.matches()) {
                indexes.add(index(section, tables.get(section), bullet.group(1), bullet.group(2)));
            } else {
                inIndexes = false;
            }
        }
        return indexes;
    }

    /** Each section's table, from the {@code CREATE TABLE} of its {@code ```sql} block, with its columns in order. */
    private static Map<String, Table> tables(SeedDocument seed) {
        Map<String, Table> tables = new LinkedHashMap<>();
        for (Block block : seed.sqlBlocks()) {
            Matcher create = CREATE_TABLE.matcher(block.body());
            if (create.find()) {
                List<String> columns = block.body().lines().map(COLUMN::matcher).filter(Matcher::matches)
                        .map(column -> column.group(1)).toList();
                tables.put(block.heading(), new Table(create.group(1), columns));
            }
        }
        return tables;
    }

    private static Index index(String section, Table table, String name, String bullet) {
        if (table == null) {
            throw new IllegalArgumentException("index " + name + " stands under " + section + ", which creates no table");
        }
        String prefix = "idx_" + table.name() + "_";
        List<List<String>> spellings = name.startsWith(prefix)
                ? spellings(name.substring(prefix.length()), table.columns()) : List.of();
        if (spellings.size() != 1) {
            throw new IllegalArgumentException("index " + name + ": not " + prefix + "<columns> spelt one way by "
                    + table.name() + "'s columns " + table.columns() + " (spellings: " + spellings + ")");
        }
        List<Column> columns = spellings.get(0).stream().map(column -> new Column(column, "")).toList();
        return new Index(section, table.name(), name, bullet, columns);
    }

    /** Every run of {@code columns} that, joined by "_", is {@code rest}. */
    private static List<List<String>> spellings(String rest, List<String> columns) {
        List<List<String>> found = new ArrayList<>();
        for (String column : columns) {
            if (rest.equals(column)) {
                found.add(List.of(column));
            } else if (rest.startsWith(column + "_")) {
                for (List<String> tail : spellings(rest.substring(column.length() + 1), columns)) {
                    List<String> spelling = new ArrayList<>(List.of(column));
                    spelling.addAll(tail);
                    found.add(spelling);
                }
            }
        }
        return found;
    }

    /** The bullets under the heading that ends "Composite Indexes", each as its columns with their orders. */
    private static List<List<Column>> compositeList(SeedDocument seed) {
        List<List<Column>> composites = new ArrayList<>();
        boolean inList = false;
        for (String line : seed.lines()) {
            Matcher composite = COMPOSITE.matcher(line);
            if (line.startsWith("#")) {
                inList = line.endsWith(" Composite Indexes");
            } else if (inList && composite.matches()) {
                composites.add(columns(composite.group(1)));
            }
        }
        return composites;
    }

    private static List<Column> columns(String list) {
        List<Column> columns = new ArrayList<>();
        for (String part : list.split(",")) {
            Matcher column = ORDERED.matcher(part.strip());
            if (!column.matches()) {
                throw new IllegalArgumentException("\"Composite Indexes\": cannot read \"" + part + "\" in (" + list + ")");
            }
            columns.add(new Column(column.group(1), column.group(2) == null ? "" : column.group(2)));
        }
        return columns;
    }

    /** Gives a composite list's orders to the one index bullet with exactly its columns. */
    private static void order(Map<String, Index> indexes, List<Column> composite) {
        List<String> names = composite.stream().map(Column::name).toList();
        List<Index> matching = indexes.values().stream().filter(index -> index.columnNames().equals(names)).toList();
        if (matching.size() != 1) {
            throw new IllegalArgumentException("\"Composite Indexes\" gives " + composite + ", which "
                    + matching.size() + " index bullets have, not one: "
                    + matching.stream().map(Index::name).toList());
        }
        indexes.put(matching.get(0).name(), matching.get(0).with(composite));
    }

    private static void read(Map<String, Index> indexes, Reading reading) {
        Index index = indexes.get(reading.index());
        if (index == null || !index.bullet().contains(reading.words())) {
            throw new IllegalArgumentException("reading " + reading + ": the seed's bullet for " + reading.index()
                    + " no longer says \"" + reading.words() + "\" ("
                    + (index == null ? "no such bullet" : index.bullet()) + ")");
        }
        List<Column> columns = new ArrayList<>(index.columns());
        int at = index.columnNames().indexOf(reading.column());
        if (at < 0 || !columns.get(at).order().isEmpty()) {
            throw new IllegalArgumentException("reading " + reading + ": " + index.name() + " has "
                    + index.columns() + "; the reading must name a column the seed gives no order");
        }
        columns.set(at, new Column(reading.column(), reading.order()));
        indexes.put(index.name(), index.with(columns));
    }
}

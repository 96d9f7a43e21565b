package dev.transcript.migrations;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The tables of seed 002 as its "## Tables" section documents them, read from the verbatim copy of the seed in
 * {@code src/test/resources/seeds/}: each {@code ### table} heading with its markdown rows
 * {@code | column | TYPE | description |}, in the seed's order. A description "Primary key" or "FK to t.c" is
 * read as the key it documents.
 */
record SeedTables(Map<String, List<SeedColumn>> tables) {

    static final String RESOURCE = "/seeds/002_7caeb17fe4cf6669.txt";

    /** @param references {@code table.column} the description's "FK to ..." names; null when it names none */
    record SeedColumn(String name, String type, boolean primaryKey, String references) {
    }

    private static final Pattern HEADING = Pattern.compile("^### (\\w+)\\s*$");
    private static final Pattern ROW = Pattern.compile("^\\| (\\w+) \\| ([A-Z]+(?:\\(\\d+\\))?) \\| (.*) \\|\\s*$");
    private static final Pattern FOREIGN_KEY = Pattern.compile("\\bFK to (\\w+\\.\\w+)\\b");

    static SeedTables read() {
        try (InputStream in = SeedTables.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException("seed not on the test classpath: " + RESOURCE);
            }
            return parse(new String(in.readAllBytes(), StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static SeedTables parse(String seed) {
        int start = seed.indexOf("\n## Tables");
        int end = seed.indexOf("\n## ", start + 1);
        if (start < 0 || end < 0) {
            throw new IllegalArgumentException("the seed has no \"## Tables\" section");
        }
        Map<String, List<SeedColumn>> tables = new LinkedHashMap<>();
        List<SeedColumn> current = null;
        for (String line : seed.substring(start, end).split("\n")) {
            Matcher heading = HEADING.matcher(line);
            Matcher row = ROW.matcher(line);
            if (heading.matches()) {
                current = new ArrayList<>();
                tables.put(heading.group(1), current);
            } else if (row.matches() && current != null) {
                String description = row.group(3);
                Matcher foreignKey = FOREIGN_KEY.matcher(description);
                current.add(new SeedColumn(row.group(1), row.group(2), description.startsWith("Primary key"),
                        foreignKey.find() ? foreignKey.group(1) : null));
            }
        }
        tables.replaceAll((table, columns) -> List.copyOf(columns));
        return new SeedTables(Collections.unmodifiableMap(tables));
    }
}

package dev.transcript.migrations;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * A seed's own text, copied verbatim into {@code src/test/resources/seeds/} so the conformance tests read the
 * seed itself (on a clean clone too) rather than a transcription of it: its fenced code blocks, each with the
 * heading it stands under, and its lines.
 */
record SeedDocument(String name, String text) {

    /** One fenced block: its info string ({@code sql}, {@code bash}, …), the nearest heading above it, its body. */
    record Block(int number, String language, String heading, String body) {
        @Override
        public String toString() {
            return "block " + number + " (```" + language + " under \"" + heading + "\")";
        }
    }

    static SeedDocument load(String name) {
        try (InputStream in = SeedDocument.class.getResourceAsStream("/seeds/" + name)) {
            if (in == null) {
                throw new IllegalStateException("seed not on the test classpath: /seeds/" + name);
            }
            return new SeedDocument(name, new String(in.readAllBytes(), StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    List<String> lines() {
        return text.lines().toList();
    }

    /** Every fenced block in the order the seed gives them. */
    List<Block> blocks() {
        List<Block> blocks = new ArrayList<>();
        String heading = "";
        String language = null;
        StringBuilder body = null;
        for (String line : lines()) {
            if (body == null) {
                if (line.startsWith("#")) {
                    heading = line;
                } else if (line.startsWith("```")) {
                    language = line.substring(3).trim();
                    body = new StringBuilder();
                }
            } else if (line.trim().equals("```")) {
                blocks.add(new Block(blocks.size() + 1, language, heading, body.toString()));
                body = null;
            } else {
                body.append(line).append('\n');
            }
        }
        if (body != null) {
            throw new IllegalStateException(name + ": a fenced block is never closed");
        }
        return blocks;
    }

    /** The fenced blocks marked {@code ```sql}, in order. */
    List<Block> sqlBlocks() {
        return blocks().stream().filter(block -> block.language().equals("sql")).toList();
    }

    /**
     * The SQL statements of a block without its {@code --} comment lines, each without its semicolon, for
     * telling what a block does; the block itself is executed as written. Good enough for the seeds' DDL and
     * inserts, whose only semicolons outside a dollar-quoted body end statements.
     */
    static List<String> statements(Block block) {
        StringBuilder code = new StringBuilder();
        for (String line : block.body().lines().toList()) {
            int comment = line.indexOf("--");
            code.append(comment < 0 ? line : line.substring(0, comment)).append('\n');
        }
        List<String> statements = new ArrayList<>();
        boolean dollarQuoted = false;
        StringBuilder statement = new StringBuilder();
        String source = code.toString();
        for (int i = 0; i < source.length(); i++) {
            char c = source.charAt(i);
            if (source.startsWith("$$", i)) {
                dollarQuoted = !dollarQuoted;
                statement.append("$$");
                i++;
            } else if (c == ';' && !dollarQuoted) {
                addIfNotBlank(statements, statement);
                statement.setLength(0);
            } else {
                statement.append(c);
            }
        }
        addIfNotBlank(statements, statement);
        return statements;
    }

    private static void addIfNotBlank(List<String> statements, StringBuilder statement) {
        String trimmed = statement.toString().strip();
        if (!trimmed.isEmpty()) {
            statements.add(trimmed.replaceAll("\\s+", " "));
        }
    }
}

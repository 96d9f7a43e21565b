package dev.transcript.bench.report;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The results directory of one bench/run: {@code run.json} (what bench/run knew: mode, commit, machine,
 * settings, baselines, timings, failures) and one JSON file per program run ({@code throughput.json},
 * {@code latency.json}, {@code flat-cost.json}, {@code catch-up-load.json}, {@code catch-up.json},
 * {@code publication.json}, {@code rss.json}), each as the program wrote it with {@code --out}.
 */
record Results(JsonNode run, Map<String, JsonNode> scenarios) {

    static final ObjectMapper JSON = new ObjectMapper();

    static Results read(Path dir) throws IOException {
        Path runFile = dir.resolve("run.json");
        if (!Files.isRegularFile(runFile)) {
            throw new IOException("no " + runFile + " (bench/run writes it)");
        }
        JsonNode run = JSON.readTree(runFile.toFile());
        Map<String, JsonNode> scenarios = new LinkedHashMap<>();
        for (String name : new String[] {"throughput", "latency", "flat-cost", "catch-up-load", "catch-up", "publication", "rss"}) {
            Path file = dir.resolve(name + ".json");
            if (Files.isRegularFile(file) && Files.size(file) > 0) {
                try {
                    scenarios.put(name, JSON.readTree(file.toFile()));
                } catch (IOException e) {
                    // A half-written file counts as no result; the report says so instead of failing.
                    System.err.println("bench-report: cannot read " + file + ": " + e.getMessage());
                }
            }
        }
        return new Results(run, scenarios);
    }

    /** The program's JSON, or null when it wrote none. */
    JsonNode get(String name) {
        return scenarios.get(name);
    }
}

package dev.transcript.chaos;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** The verdict as the text table the run prints (and docs/reliability.md shows). */
final class Table {

    private static final String ROW = "| %-28s | %6s | %4s | %7s | %4s | %12s | %13s | %16s |";

    private Table() {
    }

    static String of(Verdict verdict) {
        List<String> lines = new ArrayList<>();
        lines.add(ROW.formatted("phase", "acked", "lost", "doubled", "gaps", "wrong counts", "commands back",
                "read models back"));
        lines.add(ROW.formatted("-".repeat(28), "-".repeat(6), "-".repeat(4), "-".repeat(7), "-".repeat(4),
                "-".repeat(12), "-".repeat(13), "-".repeat(16)));
        verdict.rows().forEach(r -> lines.add(line(r)));
        lines.add(line(verdict.total()));
        return String.join("\n", lines);
    }

    /** Findings counted by what they say, ids, times and numbers left out. */
    static Map<String, Long> summary(List<String> findings) {
        Map<String, Long> kinds = new TreeMap<>();
        findings.stream()
                .filter(f -> f.startsWith("["))
                .map(f -> {
                    int phaseEnd = f.indexOf("] ") + 2;
                    return f.substring(0, phaseEnd) + f.substring(phaseEnd)
                            .replaceAll("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}", "ID")
                            .replaceAll("acknowledged at [^,]*, ", "")
                            .replaceAll("\\b\\d+\\b", "N");
                })
                .forEach(f -> kinds.merge(f, 1L, Long::sum));
        return kinds;
    }

    private static String line(Verdict.Row r) {
        return ROW.formatted(r.phase(), r.acknowledged(), r.lost(), r.doubled(), r.gaps(), r.wrongCounts(),
                seconds(r.commandsRecoveredSeconds()), seconds(r.readModelsRecoveredSeconds()));
    }

    private static String seconds(Double s) {
        return s == null ? "" : "%.1f s".formatted(s);
    }
}

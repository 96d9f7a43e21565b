package dev.transcript.projection.contract;

import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * What the pipeline failed to carry: per candidate ({@link Candidate#key()}), the read models that failed it and
 * how, reported as lines {@code <candidate> → <read model>, <read model>} ({@code every read model} for all six).
 * Before the schemas stated the pipeline's limits this found 208 such lines (NUL, unpaired surrogates, integers past
 * their Java type, an image name past its column, a file path past its index, depth 998); the contract leaves none.
 */
final class Gaps {

    static final List<String> TARGETS = List.of("gateway", "builder", "todo", "chat", "chat_app on PostgreSQL",
            "chat_app on MariaDB");
    private static final String EVERY = "every read model";
    private static final String ARROW = " → ";

    private final Map<String, Map<String, String>> found = new TreeMap<>();

    /** Every failure counts, a stack overflow included: the contract's depth limit is what rules them out. */
    void found(String target, Candidate candidate, String reason) {
        found.computeIfAbsent(candidate.key(), key -> new TreeMap<>()).put(target, reason);
    }

    /** Candidate → the read models that failed it. */
    Map<String, Set<String>> byCandidate() {
        Map<String, Set<String>> lines = new TreeMap<>();
        found.forEach((key, targets) -> lines.put(key, ordered(targets.keySet())));
        return lines;
    }

    /** Every gap as a line, then what happened at each read model. */
    String report() {
        StringBuilder text = new StringBuilder();
        byCandidate().forEach((key, targets) -> text.append(key).append(ARROW)
                .append(targets.size() == TARGETS.size() ? EVERY : String.join(", ", targets)).append('\n'));
        text.append("\nwhat happened:\n");
        found.forEach((key, targets) -> targets.forEach((target, reason) ->
                text.append("  ").append(key).append(ARROW).append(target).append(": ").append(reason).append('\n')));
        return text.toString();
    }

    private static Set<String> ordered(Collection<String> targets) {
        return TARGETS.stream().filter(targets::contains).collect(Collectors.toCollection(LinkedHashSet::new));
    }
}

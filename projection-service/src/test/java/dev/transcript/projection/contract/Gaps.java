package dev.transcript.projection.contract;

import java.util.Arrays;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * What the pipeline failed to carry: per candidate ({@link Candidate#key()}), the read models that failed it and
 * how. Written and read as lines {@code <candidate> → <read model>, <read model>} ({@code every read model} for
 * all six), the form of {@link KnownGaps#BEFORE_CONTRACT}.
 */
final class Gaps {

    static final List<String> TARGETS = List.of("gateway", "builder", "todo", "chat", "chat_app on PostgreSQL",
            "chat_app on MariaDB");
    private static final String EVERY = "every read model";
    private static final String ARROW = " → ";

    private final Map<String, Map<String, String>> found = new TreeMap<>();
    /**
     * Overflows of the services' 512 KiB stack: whether 998 levels fit depends on how much of the recursion the JIT
     * has compiled yet (an interpreted frame is larger), so a cold service overflows where a warm one may not. Listed
     * apart, never compared: the contract's depth limit is what ends them.
     */
    private final Map<String, Map<String, String>> stackDependent = new TreeMap<>();
    private final Set<String> triedCandidates = new HashSet<>();
    private final Set<String> triedTargets = new LinkedHashSet<>();

    void tried(String target, Collection<Story> stories) {
        triedTargets.add(target);
        stories.forEach(story -> triedCandidates.add(story.candidate().key()));
    }

    void found(String target, Candidate candidate, String reason) {
        if (reason.contains(StackOverflowError.class.getName())) {
            stackDependent.computeIfAbsent(candidate.key(), key -> new TreeMap<>()).put(target, reason);
            return;
        }
        found.computeIfAbsent(candidate.key(), key -> new TreeMap<>()).put(target, reason);
    }

    /** Candidate → the read models that failed it. */
    Map<String, Set<String>> byCandidate() {
        Map<String, Set<String>> lines = new TreeMap<>();
        found.forEach((key, targets) -> lines.put(key, ordered(targets.keySet())));
        return lines;
    }

    /** The listed gaps of the candidates and read models this run tried (a seed may sample, MariaDB may be absent). */
    Map<String, Set<String>> expectedOf(String listed) {
        Map<String, Set<String>> expected = new TreeMap<>();
        parse(listed).forEach((key, targets) -> {
            Set<String> tried = ordered(targets.stream().filter(triedTargets::contains).toList());
            if (triedCandidates.contains(key) && !tried.isEmpty()) {
                expected.put(key, tried);
            }
        });
        return expected;
    }

    /** Every gap as a line of {@link KnownGaps}, then what happened at each read model. */
    String report() {
        StringBuilder text = new StringBuilder();
        byCandidate().forEach((key, targets) -> text.append(key).append(ARROW)
                .append(targets.size() == TARGETS.size() ? EVERY : String.join(", ", targets)).append('\n'));
        text.append("\noverflowed the 512 KiB stack (not compared):\n").append(stackOverflows());
        text.append("\nwhat happened:\n");
        found.forEach((key, targets) -> targets.forEach((target, reason) ->
                text.append("  ").append(key).append(ARROW).append(target).append(": ").append(reason).append('\n')));
        return text.toString();
    }

    /** The candidates that overflowed the stack this run, a line each with the read models where they did. */
    String stackOverflows() {
        StringBuilder text = new StringBuilder();
        stackDependent.forEach((key, targets) -> text.append("  ").append(key).append(ARROW)
                .append(String.join(", ", ordered(targets.keySet()))).append('\n'));
        return text.toString();
    }

    static Map<String, Set<String>> parse(String lines) {
        Map<String, Set<String>> gaps = new TreeMap<>();
        lines.lines().map(String::strip).filter(line -> !line.isEmpty()).forEach(line -> {
            int arrow = line.lastIndexOf(ARROW);
            String targets = line.substring(arrow + ARROW.length());
            gaps.put(line.substring(0, arrow), targets.equals(EVERY) ? ordered(TARGETS)
                    : ordered(Arrays.stream(targets.split(", ")).toList()));
        });
        return gaps;
    }

    private static Set<String> ordered(Collection<String> targets) {
        return TARGETS.stream().filter(targets::contains).collect(Collectors.toCollection(LinkedHashSet::new));
    }
}

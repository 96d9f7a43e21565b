package dev.transcript.bench;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * {@code --name value} / {@code --name=value} options. Hand-rolled rather than a CLI library so the
 * benchmark class path stays small; unknown options fail fast, since a typo in a benchmark run silently
 * measures the default instead of what was meant.
 */
final class Args {

    private final Map<String, String> values = new LinkedHashMap<>();
    private final boolean help;

    private Args(Map<String, String> values, boolean help) {
        this.values.putAll(values);
        this.help = help;
    }

    /** @param known every option name the program accepts, without the dashes */
    static Args parse(String[] argv, Set<String> known) {
        Map<String, String> values = new LinkedHashMap<>();
        boolean help = false;
        for (int i = 0; i < argv.length; i++) {
            String arg = argv[i];
            if (arg.equals("--help") || arg.equals("-h")) {
                help = true;
                continue;
            }
            if (!arg.startsWith("--")) {
                throw new IllegalArgumentException("unexpected argument '" + arg + "' (options are --name value)");
            }
            String name = arg.substring(2);
            String value;
            int eq = name.indexOf('=');
            if (eq >= 0) {
                value = name.substring(eq + 1);
                name = name.substring(0, eq);
            } else if (i + 1 < argv.length) {
                value = argv[++i];
            } else {
                throw new IllegalArgumentException("--" + name + " needs a value");
            }
            if (!known.contains(name)) {
                throw new IllegalArgumentException("unknown option --" + name + " (see --help)");
            }
            values.put(name, value);
        }
        return new Args(values, help);
    }

    boolean help() {
        return help;
    }

    /** The options as given, to be echoed into the results so a number can be traced to its run. */
    Map<String, String> given() {
        return java.util.Collections.unmodifiableMap(new LinkedHashMap<>(values));
    }

    String string(String name, String fallback) {
        return values.getOrDefault(name, fallback);
    }

    int integer(String name, int fallback) {
        return values.containsKey(name) ? Integer.parseInt(values.get(name).replace("_", "")) : fallback;
    }

    long longValue(String name, long fallback) {
        return values.containsKey(name) ? Long.parseLong(values.get(name).replace("_", "")) : fallback;
    }

    Duration duration(String name, Duration fallback) {
        return values.containsKey(name) ? parseDuration(values.get(name)) : fallback;
    }

    /** {@code 250ms}, {@code 10s}, {@code 2m}, {@code 1h}; a bare number is seconds. */
    static Duration parseDuration(String text) {
        String t = text.trim().toLowerCase();
        if (t.endsWith("ms")) {
            return Duration.ofMillis(Long.parseLong(t.substring(0, t.length() - 2)));
        }
        long amount = Long.parseLong(t.replaceAll("[smh]$", ""));
        return switch (t.charAt(t.length() - 1)) {
            case 'm' -> Duration.ofMinutes(amount);
            case 'h' -> Duration.ofHours(amount);
            default -> Duration.ofSeconds(amount);
        };
    }

    /** Prints usage and exits 0 when --help was given; exits 2 on a bad command line. */
    static Args parseOrExit(String[] argv, Set<String> known, String usage) {
        try {
            Args args = parse(argv, known);
            if (args.help()) {
                System.out.println(usage);
                System.exit(0);
            }
            return args;
        } catch (IllegalArgumentException e) {
            System.err.println(e.getMessage());
            System.err.println(usage);
            System.exit(2);
            return null;
        }
    }
}

package dev.transcript.chaos;

import java.nio.file.Path;
import java.time.Duration;

/**
 * How a chaos run is driven. {@code --short} is CI's: two workers and a few seconds per phase; the full
 * run keeps more workers under load longer in every phase.
 *
 * @param rate   commands a second each worker sends at most (0: as fast as the stack answers)
 * @param warmup how long the load runs before the first kill
 * @param down   how long the load runs against a killed part before bin/stack up restarts it
 * @param steady how long the load runs after a part came back, before the next kill
 * @param giveUp how long commands in flight are retried after the load stops
 * @param drain  how long the pipeline is given to drain after that: longer than the projection's retries of a
 *               parked event (10 attempts, back-off doubling to 60 s), so that what is missing then is lost
 */
record Options(String mode, Path repo, Path stackDir, String commandUrl, String projectionUrl, int workers, int rate,
               Duration warmup, Duration down, Duration steady, Duration giveUp, Duration drain, String commit) {

    static final String USAGE = """
            usage: ChaosRun --repo DIR --stack-dir DIR --command-url URL --projection-url URL [--short]
                            [--workers N] [--rate N] [--warmup S] [--down S] [--steady S] [--give-up S] [--drain S] [--commit SHA]
            Runs against the stack bin/stack keeps in --stack-dir (bin/stack's environment must name the same
            STACK_DIR and ports): starts it, kills -9 each part in turn under load, reconciles, stops it.
            Defaults: full: 6 workers unpaced, warm-up 60 s, down 15 s, steady 60 s, give-up 60 s, drain 420 s;
                      --short: 2 workers of 15 commands/s, warm-up 15 s, down 3 s, steady 5 s, give-up 60 s, drain 420 s.""";

    /** Null when help was asked for. */
    static Options parse(String... args) {
        boolean quick = false;
        for (String a : args) {
            quick |= a.equals("--short");
            if (a.equals("-h") || a.equals("--help")) {
                return null;
            }
        }
        String repo = null;
        String stackDir = null;
        String commandUrl = null;
        String projectionUrl = null;
        String commit = "";
        int workers = quick ? 2 : 6;
        int rate = quick ? 15 : 0;
        long warmup = quick ? 15 : 60;
        long down = quick ? 3 : 15;
        long steady = quick ? 5 : 60;
        long giveUp = 60;
        long drain = 420;
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            if (a.equals("--short")) {
                continue;
            }
            if (i + 1 >= args.length) {
                throw new IllegalArgumentException(a + " needs a value\n" + USAGE);
            }
            String v = args[++i];
            switch (a) {
                case "--repo" -> repo = v;
                case "--stack-dir" -> stackDir = v;
                case "--command-url" -> commandUrl = v;
                case "--projection-url" -> projectionUrl = v;
                case "--workers" -> workers = Integer.parseInt(v);
                case "--rate" -> rate = Integer.parseInt(v);
                case "--warmup" -> warmup = Long.parseLong(v);
                case "--down" -> down = Long.parseLong(v);
                case "--steady" -> steady = Long.parseLong(v);
                case "--give-up" -> giveUp = Long.parseLong(v);
                case "--drain" -> drain = Long.parseLong(v);
                case "--commit" -> commit = v;
                default -> throw new IllegalArgumentException("unknown option " + a + "\n" + USAGE);
            }
        }
        if (repo == null || stackDir == null || commandUrl == null || projectionUrl == null) {
            throw new IllegalArgumentException("--repo, --stack-dir, --command-url and --projection-url are required\n"
                    + USAGE);
        }
        return new Options(quick ? "short" : "full", Path.of(repo), Path.of(stackDir), commandUrl, projectionUrl,
                workers, rate, Duration.ofSeconds(warmup), Duration.ofSeconds(down), Duration.ofSeconds(steady),
                Duration.ofSeconds(giveUp), Duration.ofSeconds(drain), commit);
    }
}

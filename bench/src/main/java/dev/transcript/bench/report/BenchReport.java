package dev.transcript.bench.report;

import java.nio.file.Path;

/**
 * The last step of {@code bin/stack bench}: reads one run's results directory, prints the run's section
 * (machine line, table, problems, notes) and puts it on top of docs/benchmarks.md, earlier runs kept.
 *
 * <pre>java -cp 'bench/target/bench.jar:bench/target/lib/*' dev.transcript.bench.report.BenchReport \
 *     --results .stack/bench/results --doc docs/benchmarks.md [--no-doc]</pre>
 *
 * Exit status: 0 when the run had no problems, 3 when it had some (errors, missing results; the section is
 * still written, with the problems listed), 2 on a bad command line, 1 when the report could not be made.
 * A missed target is not a problem: it is what the benchmark is there to show.
 */
public final class BenchReport {

    static final String USAGE = """
            usage: java -cp 'bench/target/bench.jar:bench/target/lib/*' dev.transcript.bench.report.BenchReport \\
                     --results DIR [--doc FILE | --no-doc]

              --results DIR   run.json and the programs' JSON results, as bench/run leaves them
              --doc FILE      the document to put the run on top of            (docs/benchmarks.md)
              --no-doc        print only""";

    private BenchReport() {
    }

    public static void main(String[] argv) throws Exception {
        Path results = null;
        Path doc = Path.of("docs/benchmarks.md");
        boolean writeDoc = true;
        for (int i = 0; i < argv.length; i++) {
            switch (argv[i]) {
                case "--results" -> results = Path.of(value(argv, ++i));
                case "--doc" -> doc = Path.of(value(argv, ++i));
                case "--no-doc" -> writeDoc = false;
                case "-h", "--help" -> {
                    System.out.println(USAGE);
                    return;
                }
                default -> usage("unknown argument " + argv[i]);
            }
        }
        if (results == null) {
            usage("--results is required");
        }

        Results run = Results.read(results);
        Figures figures = Figures.of(run);
        String section = BenchDoc.section(run, figures);
        System.out.println(section);
        if (writeDoc) {
            BenchDoc.prepend(doc, section);
            System.out.println("bench-report: run added on top of " + doc);
        }
        System.exit(figures.problems.isEmpty() ? 0 : 3);
    }

    private static String value(String[] argv, int i) {
        if (i >= argv.length) {
            usage(argv[i - 1] + " needs a value");
        }
        return argv[i];
    }

    private static void usage(String message) {
        System.err.println("bench-report: " + message);
        System.err.println(USAGE);
        System.exit(2);
    }
}

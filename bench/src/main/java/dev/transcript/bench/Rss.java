package dev.transcript.bench;

import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;

/**
 * Resident memory of a process from /proc/PID/status: VmRSS now and VmHWM, its peak since the process
 * started, which is what a memory budget must cover (a sample of VmRSS after a run can miss the peak).
 */
public final class Rss {

    static final String USAGE = """
            usage: java -cp 'bench/target/bench.jar:bench/target/lib/*' dev.transcript.bench.Rss --pids PID[,PID...] [--out FILE]

            Prints {"pids":{"PID":{"vmHwmKb":..,"vmRssKb":..}}} (Linux only). A process that is gone is reported with "error".""";

    /** Kilobytes, as the kernel reports them. */
    public record Sample(long vmHwmKb, long vmRssKb) {
    }

    private Rss() {
    }

    public static Sample read(long pid) throws IOException {
        long hwm = -1;
        long rss = -1;
        for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
            if (line.startsWith("VmHWM:")) {
                hwm = kilobytes(line);
            } else if (line.startsWith("VmRSS:")) {
                rss = kilobytes(line);
            }
        }
        return new Sample(hwm, rss);
    }

    /** "VmRSS:     123456 kB" → 123456 */
    private static long kilobytes(String line) {
        return Long.parseLong(line.substring(line.indexOf(':') + 1).replace("kB", "").trim());
    }

    public static void main(String[] argv) throws Exception {
        Args args = Args.parseOrExit(argv, Set.of("pids", "out"), USAGE);
        String pids = args.string("pids", "");
        if (pids.isBlank()) {
            System.err.println(USAGE);
            System.exit(2);
        }
        ObjectNode report = Report.object();
        ObjectNode byPid = report.putObject("pids");
        boolean allRead = true;
        for (String pid : pids.split(",")) {
            ObjectNode node = byPid.putObject(pid.trim());
            try {
                Sample sample = read(Long.parseLong(pid.trim()));
                node.put("vmHwmKb", sample.vmHwmKb());
                node.put("vmRssKb", sample.vmRssKb());
            } catch (IOException | NumberFormatException e) {
                node.put("error", e.toString());
                allRead = false;
            }
        }
        Report.write(report, args.string("out", null));
        System.exit(allRead ? 0 : 1);
    }
}

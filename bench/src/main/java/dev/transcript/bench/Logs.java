package dev.transcript.bench;

/** slf4j-simple settings, applied before the first logger exists (it reads them once). */
final class Logs {

    private Logs() {
    }

    /**
     * Kafka's clients log every config at INFO; a benchmark's stderr is for progress lines. Warnings
     * (broker unreachable, retries) stay visible. -Dorg.slf4j.simpleLogger.defaultLogLevel=info overrides.
     */
    static void warnAndAbove() {
        if (System.getProperty("org.slf4j.simpleLogger.defaultLogLevel") == null) {
            System.setProperty("org.slf4j.simpleLogger.defaultLogLevel", "warn");
        }
        System.setProperty("org.slf4j.simpleLogger.logFile", "System.err");
        // "Connection to node 1 could not be established" every second would bury the progress lines;
        // a broker that is down shows as a stalled count there and as missing records in the results.
        if (System.getProperty("org.slf4j.simpleLogger.log.org.apache.kafka.clients.NetworkClient") == null) {
            System.setProperty("org.slf4j.simpleLogger.log.org.apache.kafka.clients.NetworkClient", "error");
        }
    }
}

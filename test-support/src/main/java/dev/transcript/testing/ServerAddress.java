package dev.transcript.testing;

import org.postgresql.Driver;

import java.util.Properties;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;

/**
 * Where a PostgreSQL server for tests is expected, and why: {@code TRANSCRIPT_TEST_PG_URL}, else the libpq
 * variables a developer already has set for psql, else the local trust-auth server every setup guide installs.
 *
 * @param database the maintenance database, which {@link TestDatabase} connects to for CREATE and DROP
 * @param source   a few words on where the address came from, for the log line
 */
record ServerAddress(String host, int port, String user, String password, String database, String source) {

    static final String URL_VARIABLE = "TRANSCRIPT_TEST_PG_URL";
    static final String DEFAULT_HOST = "127.0.0.1";
    static final int DEFAULT_PORT = 5432;
    static final String DEFAULT_USER = "postgres";
    static final String MAINTENANCE_DATABASE = "postgres";

    /** A system property wins over the environment variable of the same name, so one build can override it. */
    static ServerAddress fromEnvironment() {
        return from(name -> System.getProperty(name, System.getenv(name)));
    }

    static ServerAddress from(UnaryOperator<String> variables) {
        UnaryOperator<String> set = name -> {
            String value = variables.apply(name);
            return value == null || value.isBlank() ? null : value.strip();
        };
        String user = orElse(set.apply("PGUSER"), DEFAULT_USER);
        String password = orElse(set.apply("PGPASSWORD"), "");

        String url = set.apply(URL_VARIABLE);
        if (url != null) {
            // pgjdbc's own parser, so anything the driver accepts (query parameters, default port) is read the same way.
            Properties parsed = Driver.parseURL(url, null);
            if (parsed == null) {
                throw new IllegalArgumentException(URL_VARIABLE + " is not a PostgreSQL JDBC URL: " + url);
            }
            return new ServerAddress(parsed.getProperty("PGHOST"), Integer.parseInt(parsed.getProperty("PGPORT")),
                    parsed.getProperty("user", user), parsed.getProperty("password", password),
                    orElse(parsed.getProperty("PGDBNAME"), MAINTENANCE_DATABASE), URL_VARIABLE);
        }

        boolean libpq = Stream.of("PGHOST", "PGPORT", "PGUSER", "PGPASSWORD").anyMatch(name -> set.apply(name) != null);
        String port = set.apply("PGPORT");
        return new ServerAddress(orElse(set.apply("PGHOST"), DEFAULT_HOST),
                port == null ? DEFAULT_PORT : Integer.parseInt(port), user, password, MAINTENANCE_DATABASE,
                libpq ? "PGHOST/PGPORT/PGUSER/PGPASSWORD" : "the default local server");
    }

    /** A server with the default trust-auth credentials at a given address; tests use it to force a closed port. */
    static ServerAddress at(String host, int port, String source) {
        return new ServerAddress(host, port, DEFAULT_USER, "", MAINTENANCE_DATABASE, source);
    }

    String jdbcUrl(String databaseName) {
        // An IPv6 literal needs brackets in a URL, or its colons read as the port separator.
        String urlHost = host.contains(":") ? "[" + host + "]" : host;
        return "jdbc:postgresql://" + urlHost + ":" + port + "/" + databaseName;
    }

    /** For log lines: never includes the password. */
    String describe() {
        return user + "@" + host + ":" + port;
    }

    private static String orElse(String value, String fallback) {
        return value == null || value.isEmpty() ? fallback : value;
    }
}

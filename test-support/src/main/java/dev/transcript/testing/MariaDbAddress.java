package dev.transcript.testing;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.function.UnaryOperator;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Where a MariaDB or MySQL server for tests is expected: {@code TRANSCRIPT_TEST_MARIADB_URL}, else the local
 * server at {@value #DEFAULT_URL} as root without a password. A MySQL server is addressed with a
 * {@code jdbc:mariadb://} URL too: the MariaDB driver speaks to both.
 *
 * @param server   the URL up to and without the path, e.g. {@code jdbc:mariadb://127.0.0.1:3306}
 * @param database the path of the given URL (often empty): where {@link TestMariaDb} connects to create and drop
 * @param query    the given URL's parameters without the {@code ?}, kept on every URL built from it; may be empty
 * @param user     {@code user} from the URL's parameters, else root
 * @param password {@code password} from the URL's parameters, else empty
 * @param source   a few words on where the address came from, for log lines and skip messages
 */
record MariaDbAddress(String server, String database, String query, String user, String password, String source) {

    static final String URL_VARIABLE = "TRANSCRIPT_TEST_MARIADB_URL";
    static final String DEFAULT_URL = "jdbc:mariadb://127.0.0.1:3306/";
    static final String DEFAULT_USER = "root";

    /** {@code jdbc:mariadb:[mode:]//hosts[/database][?parameters]}; modes are the driver's (replication, ...). */
    private static final Pattern URL = Pattern.compile("(jdbc:mariadb:(?:[a-z]+:)?//[^/?]+)(?:/([^?]*))?(?:\\?(.*))?");

    /** A system property wins over the environment variable of the same name, so one build can override it. */
    static MariaDbAddress fromEnvironment() {
        return from(name -> System.getProperty(name, System.getenv(name)));
    }

    static MariaDbAddress from(UnaryOperator<String> variables) {
        String url = variables.apply(URL_VARIABLE);
        if (url == null || url.isBlank()) {
            return parse(DEFAULT_URL, "the default local server");
        }
        return parse(url.strip(), URL_VARIABLE);
    }

    static MariaDbAddress parse(String url, String source) {
        Matcher parts = URL.matcher(url);
        if (!parts.matches()) {
            throw new IllegalArgumentException(source + " is not a jdbc:mariadb://host[:port]/ URL: " + url);
        }
        String query = parts.group(3) == null ? "" : parts.group(3);
        return new MariaDbAddress(parts.group(1), parts.group(2) == null ? "" : parts.group(2), query,
                parameter(query, "user", DEFAULT_USER), parameter(query, "password", ""), source);
    }

    /** The same server and parameters, connected to {@code databaseName} (empty: no database selected). */
    String jdbcUrl(String databaseName) {
        return server + "/" + databaseName + (query.isEmpty() ? "" : "?" + query);
    }

    /** For log lines and skip messages: the URL without its parameters, which may hold a password. */
    String describe() {
        return server + "/" + database + " as " + user;
    }

    private static String parameter(String query, String name, String fallback) {
        for (String pair : query.split("&")) {
            int equals = pair.indexOf('=');
            if (equals > 0 && pair.substring(0, equals).equals(name)) {
                return URLDecoder.decode(pair.substring(equals + 1), StandardCharsets.UTF_8);
            }
        }
        return fallback;
    }
}

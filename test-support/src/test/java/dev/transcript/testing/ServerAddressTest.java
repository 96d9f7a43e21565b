package dev.transcript.testing;

import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

class ServerAddressTest {

    @Test
    void reads_host_port_database_and_credentials_from_the_url_variable() {
        ServerAddress address = ServerAddress.from(Map.of(
                "TRANSCRIPT_TEST_PG_URL", "jdbc:postgresql://db.example:6543/maintenance?user=alice&password=secret",
                "PGUSER", "ignored")::get);

        assertThat(address).isEqualTo(new ServerAddress(
                "db.example", 6543, "alice", "secret", "maintenance", "TRANSCRIPT_TEST_PG_URL"));
    }

    @Test
    void takes_credentials_from_libpq_variables_when_the_url_has_none() {
        ServerAddress address = ServerAddress.from(Map.of(
                "TRANSCRIPT_TEST_PG_URL", "jdbc:postgresql://db.example/",
                "PGUSER", "bob", "PGPASSWORD", "pw")::get);

        assertThat(address).isEqualTo(new ServerAddress(
                "db.example", 5432, "bob", "pw", "postgres", "TRANSCRIPT_TEST_PG_URL"));
    }

    @Test
    void uses_libpq_variables_when_no_url_is_set() {
        ServerAddress address = ServerAddress.from(Map.of("PGHOST", "pg.local", "PGPORT", "5433")::get);

        assertThat(address).isEqualTo(new ServerAddress(
                "pg.local", 5433, "postgres", "", "postgres", "PGHOST/PGPORT/PGUSER/PGPASSWORD"));
    }

    @Test
    void defaults_to_the_local_trust_auth_server() {
        ServerAddress address = ServerAddress.from(Map.of("TRANSCRIPT_TEST_PG_URL", " ")::get);

        assertThat(address).isEqualTo(new ServerAddress(
                "127.0.0.1", 5432, "postgres", "", "postgres", "the default local server"));
    }

    @Test
    void rejects_a_url_that_is_not_for_postgresql() {
        assertThatIllegalArgumentException()
                .isThrownBy(() -> ServerAddress.from(Map.of("TRANSCRIPT_TEST_PG_URL", "jdbc:mysql://x/y")::get));
    }

    @Test
    void brackets_an_ipv6_host_in_jdbc_urls() {
        assertThat(ServerAddress.at("::1", 5432, "test").jdbcUrl("app")).isEqualTo("jdbc:postgresql://[::1]:5432/app");
    }
}

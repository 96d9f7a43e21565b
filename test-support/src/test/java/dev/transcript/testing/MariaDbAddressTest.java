package dev.transcript.testing;

import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

class MariaDbAddressTest {

    @Test
    void defaults_to_the_local_server_as_root_without_a_password() {
        MariaDbAddress address = MariaDbAddress.from(Map.<String, String>of()::get);

        assertThat(address).isEqualTo(new MariaDbAddress(
                "jdbc:mariadb://127.0.0.1:3306", "", "", "root", "", "the default local server"));
        assertThat(address.jdbcUrl("app_1")).isEqualTo("jdbc:mariadb://127.0.0.1:3306/app_1");
    }

    @Test
    void a_blank_variable_counts_as_unset() {
        assertThat(MariaDbAddress.from(Map.of("TRANSCRIPT_TEST_MARIADB_URL", " ")::get).source())
                .isEqualTo("the default local server");
    }

    @Test
    void reads_server_database_and_credentials_from_the_url_variable_and_keeps_its_parameters() {
        MariaDbAddress address = MariaDbAddress.from(Map.of("TRANSCRIPT_TEST_MARIADB_URL",
                "jdbc:mariadb://db.example:3307/mysql?user=alice&password=p%26ss&sslMode=trust")::get);

        assertThat(address).isEqualTo(new MariaDbAddress("jdbc:mariadb://db.example:3307", "mysql",
                "user=alice&password=p%26ss&sslMode=trust", "alice", "p&ss", "TRANSCRIPT_TEST_MARIADB_URL"));
        assertThat(address.jdbcUrl("app_1"))
                .isEqualTo("jdbc:mariadb://db.example:3307/app_1?user=alice&password=p%26ss&sslMode=trust");
    }

    @Test
    void accepts_a_url_without_a_path_or_port() {
        MariaDbAddress address = MariaDbAddress.parse("jdbc:mariadb://db.example", "test");

        assertThat(address.jdbcUrl("x")).isEqualTo("jdbc:mariadb://db.example/x");
        assertThat(address.database()).isEmpty();
    }

    @Test
    void never_describes_the_password() {
        MariaDbAddress address = MariaDbAddress.parse("jdbc:mariadb://h/?user=u&password=secret", "test");

        assertThat(address.describe()).doesNotContain("secret").contains("u", "jdbc:mariadb://h");
    }

    @Test
    void rejects_a_url_that_is_not_for_the_mariadb_driver() {
        assertThatIllegalArgumentException().isThrownBy(() -> MariaDbAddress.from(
                Map.of("TRANSCRIPT_TEST_MARIADB_URL", "jdbc:postgresql://x/y")::get));
        assertThatIllegalArgumentException().isThrownBy(() -> MariaDbAddress.parse("mariadb://x/", "test"));
    }
}

package dev.transcript.migrations;

import dev.transcript.migrations.ChatAppMigrations.Engine;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

class ChatAppMigrationsTest {

    @Test
    void recognisesTheProductNamesTheDriversReport() {
        assertThat(Engine.of("PostgreSQL")).isEqualTo(Engine.POSTGRESQL);
        assertThat(Engine.of("MariaDB")).isEqualTo(Engine.MARIADB);
        assertThat(Engine.of("MySQL")).isEqualTo(Engine.MARIADB);
    }

    @Test
    void refusesAnyOtherEngineByName() {
        assertThatIllegalArgumentException().isThrownBy(() -> Engine.of("SQLite"))
                .withMessageContaining("SQLite").withMessageContaining("PostgreSQL and on MariaDB/MySQL only");
        assertThatIllegalArgumentException().isThrownBy(() -> Engine.of(null));
    }

    @Test
    void theMigrationsAreOnTheClasspathWhereTheHelperLooks() {
        assertThat(ChatAppMigrations.class.getResource("/db/chat_app/V1__create_chat_app.sql")).isNotNull();
        assertThat(ChatAppMigrations.LOCATION).isEqualTo("classpath:db/chat_app");
    }
}

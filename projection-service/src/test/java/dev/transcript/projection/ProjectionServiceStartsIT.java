package dev.transcript.projection;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;

import static org.assertj.core.api.Assertions.assertThat;

@LocalInfrastructure
class ProjectionServiceStartsIT {

    @Autowired
    JdbcTemplate jdbc;

    @Test
    void every_read_model_schema_is_migrated_with_its_own_history() {
        assertThat(jdbc.queryForList("""
                SELECT table_schema FROM information_schema.tables WHERE table_name = 'flyway_schema_history'
                ORDER BY table_schema""", String.class))
                .containsExactly("auth", "builder", "chat", "chat_app", "gateway", "projection", "todo");
    }
}

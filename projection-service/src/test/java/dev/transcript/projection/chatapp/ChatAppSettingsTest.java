package dev.transcript.projection.chatapp;

import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.source.ConfigurationPropertySources;
import org.springframework.core.env.StandardEnvironment;
import org.springframework.core.env.SystemEnvironmentPropertySource;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The environment variables the README names reach the settings chat_app reads. */
class ChatAppSettingsTest {

    @Test
    void the_documented_environment_variables_set_chat_apps_settings() {
        StandardEnvironment environment = new StandardEnvironment();
        environment.getPropertySources().replace(StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME,
                new SystemEnvironmentPropertySource(StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME, Map.of(
                        "TRANSCRIPT_PROJECTION_CHAT_APP_DATASOURCE_URL", "jdbc:mariadb://db:3306/chat_app",
                        "TRANSCRIPT_PROJECTION_CHAT_APP_DATASOURCE_USERNAME", "projector",
                        "TRANSCRIPT_PROJECTION_CHAT_APP_DATASOURCE_PASSWORD", "secret",
                        "TRANSCRIPT_PROJECTION_CHAT_APP_DATASOURCE_MAXIMUM_POOL_SIZE", "8",
                        "TRANSCRIPT_PROJECTION_CHAT_APP_GROUP_ID", "chat_app_v2")));
        ConfigurationPropertySources.attach(environment);

        assertThat(environment.resolvePlaceholders("""
                ${transcript.projection.chat-app.datasource.url:} ${transcript.projection.chat-app.datasource.username:} \
                ${transcript.projection.chat-app.datasource.password:} \
                ${transcript.projection.chat-app.datasource.maximum-pool-size:5} \
                ${transcript.projection.chat-app.group-id:chat_app}"""))
                .isEqualTo("jdbc:mariadb://db:3306/chat_app projector secret 8 chat_app_v2");
    }
}

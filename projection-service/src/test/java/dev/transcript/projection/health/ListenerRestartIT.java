package dev.transcript.projection.health;

import com.fasterxml.jackson.databind.JsonNode;
import dev.transcript.projection.LocalInfrastructure;
import dev.transcript.projection.gateway.GatewayProjector;
import dev.transcript.projection.support.EventLog;
import dev.transcript.projection.support.GatewayTables;
import dev.transcript.projection.support.Http;
import dev.transcript.projection.support.SessionStory;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.kafka.config.KafkaListenerEndpointRegistry;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.kafka.listener.MessageListenerContainer;
import org.springframework.test.context.TestPropertySource;

import java.time.Duration;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Finding 9 of issue 12, and the restart the issue asks for: a read model's listener container that stops turns
 * projection-service's health DOWN, naming the read model (before, health stayed UP over a stopped consumer); the
 * supervisor restarts it after its back-off, health is UP again, the restart is counted, and what reached the topic
 * meanwhile is applied.
 */
@LocalInfrastructure
@TestPropertySource(properties = {"transcript.projection.listeners.initial-backoff=8s",
        "transcript.projection.listeners.check-interval=200ms"})
class ListenerRestartIT {

    static final Duration WITHIN = Duration.ofSeconds(60);

    @Autowired
    KafkaListenerEndpointRegistry listeners;
    @Autowired
    KafkaTemplate<String, byte[]> kafka;
    @Autowired
    JdbcTemplate jdbc;
    @Autowired
    MeterRegistry meters;
    @LocalServerPort
    int port;

    @Test
    void a_stopped_listener_turns_health_down_naming_it_is_restarted_and_applies_what_came_meanwhile() throws Exception {
        MessageListenerContainer gateway = listeners.getListenerContainer(GatewayProjector.READ_MODEL);
        await("the gateway listener running").atMost(WITHIN).until(gateway::isRunning);
        Http http = new Http(port);
        assertThat(http.get("/actuator/health").status()).isEqualTo(200);
        double restartsBefore = restarts();

        gateway.stop();

        Http.Answer down = http.get("/actuator/health");
        assertThat(down.status()).as(down.text()).isEqualTo(503);
        JsonNode readModels = down.body().path("components").path("readModels");
        assertThat(readModels.path("status").asText()).isEqualTo("DOWN");
        assertThat(readModels.path("details").path(GatewayProjector.READ_MODEL).asText()).contains("listener stopped");
        assertThat(readModels.path("details").path("builder").asText()).isEqualTo("listening");
        SessionStory story = new SessionStory();
        kafka.send(new EventLog().append(story.userRegistered()).producerRecord()).get(30, TimeUnit.SECONDS);

        await("health UP again").atMost(WITHIN).pollInterval(Duration.ofMillis(200))
                .until(() -> http.get("/actuator/health").status() == 200);
        assertThat(gateway.isRunning()).isTrue();
        assertThat(restarts()).isEqualTo(restartsBefore + 1);
        GatewayTables tables = new GatewayTables(jdbc);
        await("the registration sent while it was stopped applied").atMost(WITHIN).untilAsserted(() ->
                assertThat(tables.row("users", story.userId)).containsEntry("email", story.email));
    }

    private double restarts() {
        Counter counter = meters.find("transcript.projection.listener_restarts")
                .tag("read_model", GatewayProjector.READ_MODEL).counter();
        return counter == null ? 0 : counter.count();
    }
}

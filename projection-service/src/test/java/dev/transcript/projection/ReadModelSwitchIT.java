package dev.transcript.projection;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.kafka.config.KafkaListenerEndpointRegistry;
import org.springframework.test.context.TestPropertySource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * One instance need not keep every read model: a read model switched off here has no consumer in this
 * instance (another instance keeps it), while the others run as usual.
 */
@LocalInfrastructure
@TestPropertySource(properties = {"transcript.projection.builder.enabled=false",
        "transcript.projection.chat-app.enabled=false"})
class ReadModelSwitchIT {

    @Autowired
    KafkaListenerEndpointRegistry listeners;

    @Test
    void a_read_model_switched_off_has_no_running_listener_and_the_others_run() {
        assertThat(listeners.getListenerContainer("builder").isRunning()).as("builder").isFalse();
        assertThat(listeners.getListenerContainer("chat_app").isRunning()).as("chat_app").isFalse();
        for (String readModel : new String[]{"gateway", "todo", "chat"}) {
            assertThat(listeners.getListenerContainer(readModel).isRunning()).as(readModel).isTrue();
        }
    }
}

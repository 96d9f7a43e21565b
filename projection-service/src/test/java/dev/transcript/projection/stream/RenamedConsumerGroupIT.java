package dev.transcript.projection.stream;

import dev.transcript.projection.LocalInfrastructure;
import dev.transcript.projection.gateway.GatewayProjector;
import dev.transcript.projection.support.CloudEventRecords;
import dev.transcript.projection.support.DeadLetterTopic;
import dev.transcript.projection.todo.TodoProjector;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.autoconfigure.kafka.KafkaProperties;
import org.springframework.kafka.config.KafkaListenerEndpointRegistry;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.kafka.support.KafkaHeaders;
import org.springframework.test.context.TestPropertySource;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * An operator rebuilds a read model by giving its listener a new consumer group, which reads the topic from
 * its start. A record that group gives up is dead-lettered under that group's name, not the read model's,
 * so whoever replays dead letters sends them back to the group that really gave them up.
 */
@LocalInfrastructure
@TestPropertySource(properties = {"transcript.projection.todo.group-id=todo-rebuilt",
        "transcript.projection.builder.enabled=false", "transcript.projection.chat.enabled=false",
        "transcript.projection.chat-app.enabled=false"})
class RenamedConsumerGroupIT {

    static final Duration LANDS = Duration.ofSeconds(30);

    @Autowired
    KafkaTemplate<String, byte[]> kafka;
    @Autowired
    KafkaListenerEndpointRegistry listeners;
    @Autowired
    KafkaProperties kafkaProperties;

    @Test
    void a_poison_record_is_dead_lettered_under_the_consumer_group_that_gave_it_up() throws Exception {
        assertThat(listeners.getListenerContainer(TodoProjector.READ_MODEL).getGroupId()).isEqualTo("todo-rebuilt");
        byte[] poison = "{ not JSON".getBytes(StandardCharsets.UTF_8);

        RecordMetadata poisoned = kafka.send(new ProducerRecord<>(CloudEventRecords.TOPIC,
                UUID.randomUUID().toString(), poison)).get(10, TimeUnit.SECONDS).getRecordMetadata();

        assertThat(deadLetterGroup("todo-rebuilt", poisoned)).isEqualTo("todo-rebuilt");
        assertThat(deadLetterGroup(GatewayProjector.READ_MODEL, poisoned)).isEqualTo("gateway");
    }

    private String deadLetterGroup(String group, RecordMetadata poisoned) {
        ConsumerRecord<String, byte[]> deadLetter = DeadLetterTopic.awaitDeadLetterOf(
                String.join(",", kafkaProperties.getBootstrapServers()), group, poisoned.partition(),
                poisoned.offset(), LANDS);
        return DeadLetterTopic.text(deadLetter, KafkaHeaders.DLT_ORIGINAL_CONSUMER_GROUP);
    }
}

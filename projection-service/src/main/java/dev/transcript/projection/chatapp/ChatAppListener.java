package dev.transcript.projection.chatapp;

import dev.transcript.projection.stream.RecordBatches;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.springframework.kafka.annotation.KafkaListener;
import org.springframework.kafka.support.Acknowledgment;
import org.springframework.stereotype.Component;

import java.util.List;

/**
 * The chat_app read model's consumer group on the event topic: decodes, applies, acknowledges. Its positions and
 * parked events are in PostgreSQL's {@code projection} schema wherever chat_app's tables are.
 */
@Component
class ChatAppListener {

    private final RecordBatches batches;
    private final ChatAppProjector projector;

    ChatAppListener(RecordBatches batches, ChatAppProjector projector) {
        this.batches = batches;
        this.projector = projector;
    }

    @KafkaListener(id = ChatAppProjector.READ_MODEL, groupId = "${transcript.projection.chat-app.group-id:chat_app}",
            topics = "${transcript.kafka.topic:transcript.events}", batch = "true",
            autoStartup = "${transcript.projection.chat-app.enabled:${spring.kafka.listener.auto-startup:true}}")
    void on(List<ConsumerRecord<String, byte[]>> records, Acknowledgment acknowledgment) {
        batches.apply(projector, records);
        acknowledgment.acknowledge(); // only after the poll's transaction (and chat_app's before it) has committed
    }
}

package dev.transcript.projection.chat;

import dev.transcript.projection.stream.RecordBatches;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.springframework.kafka.annotation.KafkaListener;
import org.springframework.kafka.support.Acknowledgment;
import org.springframework.stereotype.Component;

import java.util.List;

/** The chat read model's consumer group on the event topic: decodes, applies, acknowledges. */
@Component
class ChatListener {

    private final RecordBatches batches;
    private final ChatProjector projector;

    ChatListener(RecordBatches batches, ChatProjector projector) {
        this.batches = batches;
        this.projector = projector;
    }

    @KafkaListener(id = ChatProjector.READ_MODEL, groupId = "${transcript.projection.chat.group-id:chat}",
            topics = "${transcript.kafka.topic:transcript.events}", batch = "true",
            autoStartup = "${transcript.projection.chat.enabled:${spring.kafka.listener.auto-startup:true}}")
    void on(List<ConsumerRecord<String, byte[]>> records, Acknowledgment acknowledgment) {
        batches.apply(projector, records);
        acknowledgment.acknowledge(); // only after the read model's transaction has committed
    }
}

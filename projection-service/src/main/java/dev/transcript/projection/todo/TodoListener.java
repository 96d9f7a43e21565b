package dev.transcript.projection.todo;

import dev.transcript.projection.stream.RecordBatches;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.springframework.kafka.annotation.KafkaListener;
import org.springframework.kafka.support.Acknowledgment;
import org.springframework.stereotype.Component;

import java.util.List;

/** The todo read model's consumer group on the event topic: decodes, applies, acknowledges. */
@Component
class TodoListener {

    private final RecordBatches batches;
    private final TodoProjector projector;

    TodoListener(RecordBatches batches, TodoProjector projector) {
        this.batches = batches;
        this.projector = projector;
    }

    @KafkaListener(id = TodoProjector.READ_MODEL, groupId = "${transcript.projection.todo.group-id:todo}",
            topics = "${transcript.kafka.topic:transcript.events}", batch = "true",
            autoStartup = "${transcript.projection.todo.enabled:${spring.kafka.listener.auto-startup:true}}")
    void on(List<ConsumerRecord<String, byte[]>> records, Acknowledgment acknowledgment) {
        batches.apply(projector, records);
        acknowledgment.acknowledge(); // only after the read model's transaction has committed
    }
}

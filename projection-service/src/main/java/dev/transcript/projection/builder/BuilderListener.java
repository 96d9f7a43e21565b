package dev.transcript.projection.builder;

import dev.transcript.projection.stream.RecordBatches;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.springframework.kafka.annotation.KafkaListener;
import org.springframework.kafka.support.Acknowledgment;
import org.springframework.stereotype.Component;

import java.util.List;

/** The builder read model's consumer group on the event topic: decodes, applies, acknowledges. */
@Component
class BuilderListener {

    private final RecordBatches batches;
    private final BuilderProjector projector;

    BuilderListener(RecordBatches batches, BuilderProjector projector) {
        this.batches = batches;
        this.projector = projector;
    }

    @KafkaListener(id = BuilderProjector.READ_MODEL, groupId = "${transcript.projection.builder.group-id:builder}",
            topics = "${transcript.kafka.topic:transcript.events}", batch = "true",
            autoStartup = "${transcript.projection.builder.enabled:${spring.kafka.listener.auto-startup:true}}")
    void on(List<ConsumerRecord<String, byte[]>> records, Acknowledgment acknowledgment) {
        batches.apply(projector, records);
        acknowledgment.acknowledge(); // only after the read model's transaction has committed
    }
}

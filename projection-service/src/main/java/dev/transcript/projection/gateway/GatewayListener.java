package dev.transcript.projection.gateway;

import dev.transcript.projection.stream.RecordBatches;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.springframework.kafka.annotation.KafkaListener;
import org.springframework.kafka.support.Acknowledgment;
import org.springframework.stereotype.Component;

import java.util.List;

/** The gateway read model's consumer group on the event topic: decodes, applies, acknowledges. */
@Component
class GatewayListener {

    private final RecordBatches batches;
    private final GatewayProjector projector;

    GatewayListener(RecordBatches batches, GatewayProjector projector) {
        this.batches = batches;
        this.projector = projector;
    }

    @KafkaListener(id = GatewayProjector.READ_MODEL, groupId = "${transcript.projection.gateway.group-id:gateway}",
            topics = "${transcript.kafka.topic:transcript.events}", batch = "true",
            autoStartup = "${transcript.projection.gateway.enabled:${spring.kafka.listener.auto-startup:true}}")
    void on(List<ConsumerRecord<String, byte[]>> records, Acknowledgment acknowledgment) {
        batches.apply(projector, records);
        acknowledgment.acknowledge(); // only after the read model's transaction has committed
    }
}

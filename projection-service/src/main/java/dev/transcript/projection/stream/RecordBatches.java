package dev.transcript.projection.stream;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

import java.util.ArrayList;
import java.util.List;

/**
 * What every read model's listener does with a poll: decode each record (a poison record that does not even say
 * which event it is goes straight to the dead-letter topic, one that does is dead-lettered in its aggregate's
 * turn, and the rest carry on), then apply the batch in one transaction.
 */
@Component
public class RecordBatches {

    private static final Logger log = LoggerFactory.getLogger(RecordBatches.class);

    private final EnvelopeDecoder decoder;
    private final DeadLetters deadLetters;
    private final BatchApplier applier;

    RecordBatches(EnvelopeDecoder decoder, DeadLetters deadLetters, BatchApplier applier) {
        this.decoder = decoder;
        this.deadLetters = deadLetters;
        this.applier = applier;
    }

    public void apply(Projector projector, List<ConsumerRecord<String, byte[]>> records) {
        List<Envelope> envelopes = new ArrayList<>(records.size());
        for (ConsumerRecord<String, byte[]> record : records) {
            try {
                envelopes.add(decoder.decodeOrMark(record)); // poison naming its event is dead-lettered in turn
            } catch (Poison poison) {
                Origin origin = new Origin(record.topic(), record.partition(), record.offset());
                log.warn("{}: dead-lettering {}: {}", projector.readModel(), origin, poison.getMessage());
                deadLetters.sendUnidentified(projector.readModel(), origin, record.key(), record.value(),
                        poison.getMessage());
            }
        }
        applier.apply(projector, envelopes);
    }
}

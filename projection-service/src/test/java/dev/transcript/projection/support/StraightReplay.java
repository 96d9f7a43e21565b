package dev.transcript.projection.support;

import dev.transcript.projection.stream.Envelope;
import dev.transcript.projection.stream.EnvelopeDecoder;
import dev.transcript.projection.stream.Outcome;
import dev.transcript.projection.stream.Projector;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.springframework.transaction.support.TransactionTemplate;

import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Records applied straight to a projector, past the bookkeeping that would skip each as a redelivery: what
 * BuilderProjectorIT and TodoProjectorIT do to one event, done to a whole stream. Each record is applied twice
 * in a row, each time in a transaction of its own (so that seed 001's trigger, which stamps {@code now()},
 * would show an UPDATE that changed nothing), and the second time must leave every row as the first left it.
 *
 * <p>For read models that write as the service's own user: no {@code SET LOCAL ROLE} is taken.
 */
public final class StraightReplay {

    private final TransactionTemplate transactions;
    private final EnvelopeDecoder decoder;

    public StraightReplay(TransactionTemplate transactions, EnvelopeDecoder decoder) {
        this.transactions = transactions;
        this.decoder = decoder;
    }

    /** @param dump every row of every table of the read model, as a map that compares by value */
    public void applyEachTwice(Projector projector, List<ConsumerRecord<String, byte[]>> records,
                               Supplier<Map<String, List<Map<String, Object>>>> dump) {
        for (ConsumerRecord<String, byte[]> record : records) {
            Envelope envelope = decoder.decode(record);
            assertThat(envelope.known()).as("a type this build knows: %s", envelope.type()).isTrue();
            applyOnce(projector, envelope);
            Map<String, List<Map<String, Object>>> once = dump.get();
            applyOnce(projector, envelope);
            assertThat(dump.get()).as("%s: rows after %s of %s was applied a second time", projector.readModel(),
                    envelope.type(), envelope.aggregateId()).isEqualTo(once);
        }
    }

    /** Every parent row is there by now, so no event may wait. */
    private void applyOnce(Projector projector, Envelope envelope) {
        Outcome outcome = transactions.execute(status -> projector.apply(envelope));
        assertThat(outcome).as("%s of %s", envelope.type(), envelope.aggregateId()).isEqualTo(Outcome.APPLIED);
    }
}

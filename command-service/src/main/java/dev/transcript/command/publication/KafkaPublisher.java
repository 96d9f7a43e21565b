package dev.transcript.command.publication;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.transcript.events.TranscriptEvent;
import io.cloudevents.CloudEvent;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import org.apache.kafka.clients.admin.NewTopic;
import org.axonframework.config.ProcessingGroup;
import org.axonframework.eventhandling.DomainEventMessage;
import org.axonframework.eventhandling.EventHandler;
import org.axonframework.eventhandling.EventMessage;
import org.axonframework.messaging.unitofwork.UnitOfWork;
import org.springframework.kafka.core.KafkaAdmin;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.stereotype.Component;

import java.time.Duration;
import java.time.Instant;

/**
 * Follows the event store with a pooled streaming processor (its token in {@code eventstore.token_entry})
 * and sends every event to Kafka. A command never waits for Kafka: publication runs behind it.
 *
 * <p>Sends are asynchronous within a batch; before the batch's token is stored (in the same database
 * transaction) every send must be acknowledged with {@code acks=all}. If any fails the transaction rolls
 * back, the token stays, and the processor retries the batch with back-off: events reach the topic at
 * least once, in order per aggregate, and none is skipped. A failure retrying cannot fix (an event too
 * large for the record limits, one that cannot be read or encoded) is retried all the same, so nothing
 * is skipped, and turns {@link PublicationHealth} DOWN naming the event.
 */
@Component
@ProcessingGroup(KafkaPublisher.GROUP)
class KafkaPublisher {

    static final String GROUP = "kafka-publisher";

    private final KafkaTemplate<String, CloudEvent> kafka;
    private final KafkaAdmin admin;
    private final NewTopic topic;
    private final CloudEventEncoder encoder;
    private final Duration sendTimeout;
    private final Timer lag;
    private final PublicationHealth health;
    private volatile boolean topicEnsured;

    KafkaPublisher(KafkaTemplate<String, CloudEvent> kafka, KafkaAdmin admin, NewTopic transcriptTopic,
                   ObjectMapper json, PublicationProperties properties, MeterRegistry meters,
                   PublicationHealth health) {
        RecordLimits.check(kafka.getProducerFactory().getConfigurationProperties(), transcriptTopic);
        this.kafka = kafka;
        this.admin = admin;
        this.topic = transcriptTopic;
        this.health = health;
        this.encoder = new CloudEventEncoder(json, properties.source());
        this.sendTimeout = properties.sendTimeout();
        this.lag = Timer.builder("transcript.publication.lag")
                .description("event committed to the store → acknowledged by the broker")
                .publishPercentileHistogram()
                .register(meters);
    }

    @EventHandler
    void on(TranscriptEvent event, EventMessage<?> message, UnitOfWork<?> unitOfWork) {
        ensureTopic();
        Instant stored = message.getTimestamp();
        PendingSends batch = pendingSendsOf(unitOfWork);
        if (batch.anyFailed()) {
            reportFailure(batch, null);
            throw failed("a send of this batch failed; the batch will be retried", null);
        }
        batch.add(PublishedEvent.of(message),
                kafka.send(topic.name(), event.aggregateId(), encoder.encode((DomainEventMessage<?>) message))
                .whenComplete((result, failure) -> {
                    if (failure == null) {
                        lag.record(Duration.between(stored, Instant.now()));
                    }
                }));
    }

    /** One set of pending sends per batch, awaited once as the batch prepares to commit. */
    private PendingSends pendingSendsOf(UnitOfWork<?> unitOfWork) {
        UnitOfWork<?> batch = unitOfWork.root();
        return batch.getOrComputeResource(PendingSends.class.getName(), key -> {
            PendingSends sends = new PendingSends();
            batch.onPrepareCommit(u -> awaitAcknowledgements(sends));
            batch.afterCommit(u -> health.published());
            return sends;
        });
    }

    private void awaitAcknowledgements(PendingSends sends) {
        kafka.flush(); // don't let the last records wait out linger.ms; bounded by delivery.timeout.ms
        try {
            sends.awaitAll(sendTimeout);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw failed("interrupted while awaiting " + sends.size() + " acknowledgements", e);
        } catch (Exception e) {
            reportFailure(sends, e);
            throw failed("the broker did not acknowledge a batch of " + sends.size() + " events", e);
        }
    }

    /** The first failed send names its event if retrying cannot fix it; anything else may pass. */
    private void reportFailure(PendingSends sends, Exception awaiting) {
        sends.firstFailure().ifPresentOrElse(send -> {
            if (Unfixable.failure(send.failure())) {
                health.stuckAt(send.event(), send.failure());
            } else {
                health.failed(send.failure());
            }
        }, () -> health.failed(awaiting));
    }

    /**
     * After a failed batch, start the retry from a clean slate: a fresh producer (the old one may hold a
     * producer id or metadata the broker no longer knows) and a fresh check that the topic exists.
     */
    private PublicationFailed failed(String message, Exception cause) {
        topicEnsured = false;
        kafka.getProducerFactory().reset();
        return new PublicationFailed(message, cause);
    }

    /** The topic is created before the first send, also when the broker was down as the service started. */
    private void ensureTopic() {
        if (!topicEnsured) {
            admin.createOrModifyTopics(topic);
            topicEnsured = true;
        }
    }

    static final class PublicationFailed extends RuntimeException {
        PublicationFailed(String message, Throwable cause) {
            super(message, cause);
        }
    }
}

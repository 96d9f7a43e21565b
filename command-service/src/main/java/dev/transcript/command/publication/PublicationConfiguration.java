package dev.transcript.command.publication;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.micrometer.core.instrument.MeterRegistry;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.config.TopicConfig;
import org.axonframework.config.ConfigurerModule;
import org.axonframework.eventhandling.PropagatingErrorHandler;
import org.axonframework.springboot.TokenStoreProperties;
import org.springframework.beans.factory.InitializingBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.kafka.config.TopicBuilder;

import java.time.Clock;
import java.time.Duration;

@Configuration(proxyBeanMethods = false)
class PublicationConfiguration {

    /** Unlimited retention: the topic is a replayable log of everything, not a queue. */
    @Bean
    NewTopic transcriptTopic(PublicationProperties properties) {
        return TopicBuilder.name(properties.topic())
                .partitions(properties.partitions())
                .replicas(properties.replicationFactor())
                .config(TopicConfig.RETENTION_MS_CONFIG, "-1")
                .config(TopicConfig.RETENTION_BYTES_CONFIG, "-1")
                // Every record the producer may send (its max.request.size); set on an existing topic too
                // (spring.kafka.admin.modify-topic-configs).
                .config(TopicConfig.MAX_MESSAGE_BYTES_CONFIG, String.valueOf(properties.maxRecordBytes().toBytes()))
                .build();
    }

    /**
     * The publisher's claim must outlive the longest wait for acknowledgements, during which nothing renews it;
     * otherwise another instance takes the publisher over mid-batch and sends the batch a second time.
     */
    @Bean
    InitializingBean claimOutlivesSends(TokenStoreProperties tokenStore, PublicationProperties properties) {
        return () -> {
            Duration claim = tokenStore.getClaimTimeout();
            if (claim.compareTo(properties.sendTimeout().multipliedBy(2)) < 0) {
                throw new IllegalStateException("axon.eventhandling.tokenstore.claim-timeout (" + claim + ") must be at"
                        + " least twice transcript.kafka.send-timeout (" + properties.sendTimeout() + ")");
            }
        };
    }

    @Bean("publication")
    PublicationHealth publicationHealth(PublicationProperties properties) {
        return new PublicationHealth(Clock.systemUTC(), properties.unhealthyAfter());
    }

    @Bean
    PublicationLag publicationLag(JdbcTemplate jdbc, ObjectMapper json, MeterRegistry meters) {
        PublicationLag lag = new PublicationLag(jdbc, json, Clock.systemUTC());
        lag.register(meters);
        return lag;
    }

    /**
     * Axon's default logs a failing event handler and moves on; for the publisher that would skip the
     * event on Kafka for ever. Propagating the failure makes the processor retry the batch instead (with
     * back-off, 1 s doubling to 60 s), and the failure is reported to health first, naming the event when
     * retrying cannot fix it (an event the service cannot read from the store or encode).
     */
    @Bean
    ConfigurerModule publisherFailsLoudly(PublicationHealth health) {
        return configurer -> configurer.eventProcessing()
                .registerListenerInvocationErrorHandler(KafkaPublisher.GROUP, c -> (failure, event, handler) -> {
                    if (!(failure instanceof KafkaPublisher.PublicationFailed)) { // reported where it was seen
                        if (Unfixable.failure(failure)) {
                            health.stuckAt(PublishedEvent.of(event), failure);
                        } else {
                            health.failed(failure);
                        }
                    }
                    PropagatingErrorHandler.instance().onError(failure, event, handler);
                });
    }
}

package dev.transcript.projection.stream;

import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.kafka.config.TopicBuilder;
import org.springframework.kafka.listener.CommonErrorHandler;
import org.springframework.kafka.listener.DefaultErrorHandler;
import org.springframework.kafka.listener.RetryListener;
import org.springframework.util.backoff.ExponentialBackOff;

@Configuration(proxyBeanMethods = false)
class StreamConfiguration {

    private static final Logger log = LoggerFactory.getLogger(StreamConfiguration.class);

    /**
     * Poison records and events that keep failing never reach this handler: the listener dead-letters
     * and parks them. What does is a failure of the infrastructure itself (PostgreSQL down): the batch is
     * retried with back-off for as long as it takes, never skipped.
     */
    @Bean
    CommonErrorHandler retryBatchesForever() {
        ExponentialBackOff backOff = new ExponentialBackOff(500, 2.0);
        backOff.setMaxInterval(30_000);
        DefaultErrorHandler handler = new DefaultErrorHandler(backOff);
        handler.setRetryListeners(new LoggedRetries());
        return handler;
    }

    /**
     * spring-kafka retries a failed batch silently until its back-off ends, which here is never: without this,
     * a read model stalled behind a failing batch would show nothing in the log but the retries' absence.
     */
    static final class LoggedRetries implements RetryListener {

        @Override
        public void failedDelivery(ConsumerRecord<?, ?> record, Exception ex, int deliveryAttempt) {
            log.warn("{}-{}@{} failed (attempt {}), retrying", record.topic(), record.partition(), record.offset(),
                    deliveryAttempt, ex);
        }

        @Override
        public void failedDelivery(ConsumerRecords<?, ?> records, Exception ex, int deliveryAttempt) {
            log.warn("a poll of {} records on {} failed (attempt {}), retrying it whole", records.count(),
                    records.partitions(), deliveryAttempt, ex);
        }
    }

    @Bean
    NewTopic deadLetterTopic(@Value("${transcript.kafka.topic:transcript.events}") String topic,
                             @Value("${transcript.projection.dead-letter-suffix:.DLT}") String suffix) {
        return TopicBuilder.name(topic + suffix).partitions(1).config("retention.ms", "-1").build();
    }
}

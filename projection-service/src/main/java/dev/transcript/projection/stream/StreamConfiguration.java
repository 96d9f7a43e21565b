package dev.transcript.projection.stream;

import org.apache.kafka.clients.admin.NewTopic;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.kafka.config.TopicBuilder;
import org.springframework.kafka.listener.CommonErrorHandler;
import org.springframework.kafka.listener.DefaultErrorHandler;
import org.springframework.util.backoff.ExponentialBackOff;

@Configuration(proxyBeanMethods = false)
class StreamConfiguration {

    /**
     * Poison records and events that keep failing never reach this handler: the listener dead-letters
     * and parks them. What does is a failure of the infrastructure itself (PostgreSQL down): the batch is
     * retried with back-off for as long as it takes, never skipped.
     */
    @Bean
    CommonErrorHandler retryBatchesForever() {
        ExponentialBackOff backOff = new ExponentialBackOff(500, 2.0);
        backOff.setMaxInterval(30_000);
        return new DefaultErrorHandler(backOff);
    }

    @Bean
    NewTopic deadLetterTopic(@Value("${transcript.kafka.topic:transcript.events}") String topic,
                             @Value("${transcript.projection.dead-letter-suffix:.DLT}") String suffix) {
        return TopicBuilder.name(topic + suffix).partitions(1).config("retention.ms", "-1").build();
    }
}

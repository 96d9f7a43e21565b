package dev.transcript.projection;

import dev.transcript.testing.FreshDatabase;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.kafka.test.context.EmbeddedKafka;
import org.springframework.test.context.ContextConfiguration;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * projection-service on real infrastructure without Docker: a fresh database on the local (or embedded)
 * PostgreSQL, an in-JVM KRaft Kafka broker, and real HTTP on a random port.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "spring.kafka.bootstrap-servers=${spring.embedded.kafka.brokers}",
        "transcript.projection.parked.drain-interval=100ms"
})
@EmbeddedKafka(kraft = true, count = 1, partitions = 6, topics = "transcript.events")
@ContextConfiguration(initializers = FreshDatabase.class)
public @interface LocalInfrastructure {
}

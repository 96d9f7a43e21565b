package dev.transcript.command;

import dev.transcript.testing.FreshDatabase;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.kafka.test.context.EmbeddedKafka;
import org.springframework.test.context.ContextConfiguration;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * command-service on real infrastructure without Docker: a fresh database on the local (or embedded)
 * PostgreSQL, an in-JVM KRaft Kafka broker, and real HTTP on a random port.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "spring.kafka.bootstrap-servers=${spring.embedded.kafka.brokers}",
        "transcript.users.bcrypt-cost=4"
})
@EmbeddedKafka(kraft = true, count = 1)
@ContextConfiguration(initializers = FreshDatabase.class)
public @interface LocalInfrastructure {
}

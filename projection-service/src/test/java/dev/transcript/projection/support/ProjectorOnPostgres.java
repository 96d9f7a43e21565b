package dev.transcript.projection.support;

import dev.transcript.testing.FreshDatabase;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.ContextConfiguration;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * projection-service wired as in production on a fresh database of the local (or embedded) PostgreSQL, without
 * a broker: the Kafka listener does not start ({@link NoBroker}), and tests hand records to
 * {@code RecordBatches} themselves.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.NONE, properties = {
        NoBroker.BOOTSTRAP, NoBroker.NO_LISTENER, NoBroker.NO_TOPICS, NoBroker.QUICK_DRAINS
})
@ContextConfiguration(initializers = FreshDatabase.class)
public @interface ProjectorOnPostgres {
}

package dev.transcript.projection.chat;

import dev.transcript.projection.support.NoBroker;
import dev.transcript.testing.FreshDatabase;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.ContextConfiguration;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * projection-service as in production on a fresh database, serving real HTTP on a random port, without a broker:
 * tests apply records to the chat projector themselves and read them back through the chat read API. The classes
 * so annotated share one context and one database; each makes users of its own, and row-level security shows
 * each user only theirs.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        NoBroker.BOOTSTRAP, NoBroker.NO_LISTENER, NoBroker.NO_TOPICS, NoBroker.QUICK_DRAINS
})
@ContextConfiguration(initializers = FreshDatabase.class)
@interface ChatApiOnPostgres {
}

package dev.transcript.testing;

import org.springframework.beans.factory.DisposableBean;
import org.springframework.beans.factory.support.DefaultSingletonBeanRegistry;
import org.springframework.context.ApplicationContextInitializer;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.core.env.MapPropertySource;

import java.util.HashMap;

/**
 * Gives each application context a database of its own. Contexts stay cached and running between test
 * classes; two sharing one event store would compete for the publisher's token.
 */
public class FreshDatabase implements ApplicationContextInitializer<ConfigurableApplicationContext> {

    @Override
    public void initialize(ConfigurableApplicationContext context) {
        TestDatabase database = TestDatabase.create("transcript").droppedByItsOwner();
        context.getEnvironment().getPropertySources()
                .addFirst(new MapPropertySource("fresh-database", new HashMap<>(database.springProperties())));
        // Registered first, so destroyed last: the database is dropped once the context's connection pool
        // is closed, not by a JVM exit hook racing the context's own shutdown.
        ((DefaultSingletonBeanRegistry) context.getBeanFactory())
                .registerDisposableBean("freshDatabase", (DisposableBean) database::drop);
    }
}

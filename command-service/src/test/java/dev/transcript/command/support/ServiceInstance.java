package dev.transcript.command.support;

import dev.transcript.command.CommandServiceApplication;
import dev.transcript.testing.TestDatabase;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

import java.util.HashMap;
import java.util.Map;

/**
 * One running command-service on a random port, sharing a database and a broker with the others a test
 * starts: as N instances behind a load balancer share them.
 */
public record ServiceInstance(ConfigurableApplicationContext context, Http http) implements AutoCloseable {

    public static ServiceInstance start(TestDatabase database, String brokers, Map<String, Object> overrides) {
        Map<String, Object> properties = new HashMap<>(database.springProperties());
        properties.put("server.port", 0);
        properties.put("spring.kafka.bootstrap-servers", brokers);
        properties.put("transcript.users.bcrypt-cost", 4);
        // Several instances on one test server: keep each pool small.
        properties.put("spring.datasource.hikari.maximum-pool-size", 10);
        properties.putAll(overrides);
        // As command-line arguments: they outrank application.yml (builder "properties" would not).
        String[] args = properties.entrySet().stream().map(e -> "--" + e.getKey() + "=" + e.getValue())
                .toArray(String[]::new);
        ConfigurableApplicationContext context = new SpringApplicationBuilder(CommandServiceApplication.class).run(args);
        return new ServiceInstance(context, new Http(((WebServerApplicationContext) context).getWebServer().getPort()));
    }

    @Override
    public void close() {
        context.close();
    }
}

package dev.transcript.command.support;

import dev.transcript.testing.TestDatabase;
import org.springframework.kafka.test.EmbeddedKafkaKraftBroker;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * One database and one in-JVM broker that several command-service instances share, as behind a load balancer.
 * Closing it stops the instances it started, then the broker, then drops the database.
 */
public final class SharedInfrastructure implements AutoCloseable {

    private final EmbeddedKafkaKraftBroker kafka;
    private final TestDatabase database;
    private final List<ServiceInstance> instances = new ArrayList<>();

    private SharedInfrastructure(EmbeddedKafkaKraftBroker kafka, TestDatabase database) {
        this.kafka = kafka;
        this.database = database;
    }

    public static SharedInfrastructure start(String databasePrefix) {
        EmbeddedKafkaKraftBroker kafka = new EmbeddedKafkaKraftBroker(1, 1);
        kafka.afterPropertiesSet();
        return new SharedInfrastructure(kafka, TestDatabase.create(databasePrefix));
    }

    public ServiceInstance startInstance(Map<String, Object> overrides) {
        ServiceInstance instance = ServiceInstance.start(database, kafka.getBrokersAsString(), overrides);
        instances.add(instance);
        return instance;
    }

    public String brokers() {
        return kafka.getBrokersAsString();
    }

    @Override
    public void close() {
        instances.reversed().forEach(ServiceInstance::close);
        kafka.destroy();
        database.drop();
    }
}

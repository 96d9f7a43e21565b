package dev.transcript.command.support;

import kafka.server.BrokerServer;
import org.springframework.kafka.test.EmbeddedKafkaBroker;
import org.springframework.kafka.test.EmbeddedKafkaKraftBroker;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

import static org.awaitility.Awaitility.await;

/**
 * A single-node in-JVM KRaft Kafka whose broker can be taken off the network and brought back, on the same
 * address and with the same log: an outage, not a new cluster.
 *
 * <p>The node is combined (controller and broker in one, as {@link EmbeddedKafkaKraftBroker} makes it). Only
 * its broker is stopped: its client listener closes, so every client connection is refused, while the
 * controller keeps the cluster's metadata. Started again, the broker binds the same fixed port, reloads its
 * log from disk, registers with the controller and leads its partitions again, as a restarted real broker
 * would. ({@link EmbeddedKafkaKraftBroker#kafkaPorts} is ignored in KRaft mode; the fixed port is given as
 * the {@code listeners} property instead.)
 */
public final class RestartableBroker implements AutoCloseable {

    private static final String HOST = "127.0.0.1";
    private static final int NODE = 0;

    private final int port;
    private final EmbeddedKafkaKraftBroker kafka;

    private RestartableBroker(int port, EmbeddedKafkaKraftBroker kafka) {
        this.port = port;
        this.kafka = kafka;
    }

    /** Starts a broker on a free port with topic auto-creation off: only an explicit create makes a topic. */
    public static RestartableBroker start() {
        int port = freePort();
        EmbeddedKafkaKraftBroker kafka = new EmbeddedKafkaKraftBroker(1, 1);
        kafka.brokerProperties(Map.of(
                "listeners", "EXTERNAL://" + HOST + ":" + port + ",CONTROLLER://" + HOST + ":0",
                "auto.create.topics.enable", "false"));
        // The embedded broker announces itself in system properties that other test classes' contexts read.
        Map<String, String> announced = systemProperties(EmbeddedKafkaBroker.SPRING_EMBEDDED_KAFKA_BROKERS,
                "spring.kafka.bootstrap-servers");
        try {
            kafka.afterPropertiesSet();
        } finally {
            announced.forEach((key, value) -> {
                if (value == null) {
                    System.clearProperty(key);
                } else {
                    System.setProperty(key, value);
                }
            });
        }
        RestartableBroker broker = new RestartableBroker(port, kafka);
        if (!broker.reachable()) {
            broker.close();
            throw new IllegalStateException("the broker does not listen on " + broker.bootstrapServers());
        }
        return broker;
    }

    public String bootstrapServers() {
        return HOST + ":" + port;
    }

    /** Takes the broker down (controlled shutdown); returns once its port refuses connections. */
    public void stop() {
        BrokerServer broker = broker();
        broker.shutdown(Duration.ofSeconds(30));
        broker.awaitShutdown();
        await("the broker's port closes").atMost(Duration.ofSeconds(10)).until(() -> !reachable());
    }

    /** Brings the broker back on the same port with its log; returns once the controller sees it ready. */
    public void restart() {
        broker().startup();
        try {
            kafka.getCluster().waitForReadyBrokers();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        } catch (Exception e) {
            throw new IllegalStateException("the restarted broker did not become ready", e);
        }
        if (!reachable()) {
            throw new IllegalStateException("the restarted broker does not listen on " + bootstrapServers());
        }
    }

    /** Whether something accepts TCP connections on the broker's port. */
    public boolean reachable() {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(HOST, port), 500);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    @Override
    public void close() {
        kafka.destroy();
    }

    private BrokerServer broker() {
        return kafka.getCluster().brokers().get(NODE);
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Map<String, String> systemProperties(String... keys) {
        Map<String, String> values = new HashMap<>();
        for (String key : keys) {
            values.put(key, System.getProperty(key));
        }
        return values;
    }
}

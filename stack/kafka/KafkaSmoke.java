import java.time.Duration;
import java.util.*;
import org.apache.kafka.clients.admin.*;
import org.apache.kafka.clients.consumer.*;
import org.apache.kafka.clients.producer.*;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.*;

/**
 * Smoke test for the broker of bin/stack: creates a topic (1 partition) if missing, produces one
 * record and reads it back, with the kafka-clients jar from .stack/kafka/libs.
 *
 * <p>Kafka's own console tools (org.apache.kafka.tools.*) live in the kafka-tools artifact, which
 * Maven Central does not serve for 4.4.0, and 4.3.x's tools do not run against 4.4.0's clients;
 * hence this file. Run it from the repo root with the source launcher:
 * <pre>java -Dlog4j2.configurationFile=stack/kafka/log4j2.properties -Dtranscript.kafka.log.level=WARN \
 *      -cp '.stack/kafka/libs/*' stack/kafka/KafkaSmoke.java 127.0.0.1:9092 stack-smoke</pre>
 * Prints SMOKE OK and exits 0 on success.
 */
public class KafkaSmoke {
  public static void main(String[] a) throws Exception {
    String bs = a[0], topic = a[1];
    try (Admin admin = Admin.create(Map.of("bootstrap.servers", bs))) {
      if (!admin.listTopics().names().get().contains(topic)) {
        admin.createTopics(List.of(new NewTopic(topic, 1, (short) 1))).all().get();
        System.out.println("created topic " + topic);
      }
      System.out.println("topics: " + admin.listTopics().names().get());
      System.out.println("describe: " + admin.describeTopics(List.of(topic)).allTopicNames().get().get(topic));
    }
    String value = "hello-" + System.currentTimeMillis();
    Map<String, Object> pc = Map.of("bootstrap.servers", bs, "key.serializer", StringSerializer.class, "value.serializer", StringSerializer.class);
    try (var p = new KafkaProducer<String, String>(pc)) {
      var md = p.send(new ProducerRecord<>(topic, "k", value)).get();
      System.out.println("produced " + value + " at offset " + md.offset());
    }
    Map<String, Object> cc = Map.of("bootstrap.servers", bs, "key.deserializer", StringDeserializer.class, "value.deserializer", StringDeserializer.class);
    try (var c = new KafkaConsumer<String, String>(cc)) {
      var tp = new TopicPartition(topic, 0);
      c.assign(List.of(tp));
      c.seekToBeginning(List.of(tp));
      long deadline = System.currentTimeMillis() + 30_000;
      while (System.currentTimeMillis() < deadline) {
        for (var r : c.poll(Duration.ofMillis(500))) {
          System.out.println("consumed " + r.value() + " at offset " + r.offset());
          if (r.value().equals(value)) { System.out.println("SMOKE OK"); return; }
        }
      }
    }
    System.out.println("SMOKE FAILED"); System.exit(1);
  }
}

package dev.transcript.projection.status;

import dev.transcript.projection.web.Unavailable;
import org.apache.kafka.clients.admin.AdminClient;
import org.apache.kafka.clients.admin.ListOffsetsOptions;
import org.apache.kafka.clients.admin.ListOffsetsResult.ListOffsetsResultInfo;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.kafka.core.KafkaAdmin;
import org.springframework.stereotype.Component;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * The offsets the Kafka cluster holds for each partition of a topic, asked with one long-lived admin client
 * (built from Boot's {@link KafkaAdmin} configuration, so {@code spring.kafka.*} applies) and bounded by
 * {@code spring.kafka.admin.operation-timeout}.
 */
@Component
class TopicOffsets implements DisposableBean {

    /** A partition's first offset still in the log and the offset its next committed record will get. */
    record Offsets(long earliest, long end) {
    }

    private final KafkaAdmin admin;
    private final Duration timeout;
    private AdminClient client;

    TopicOffsets(KafkaAdmin admin) {
        this.admin = admin;
        this.timeout = Duration.ofSeconds(Math.max(1, admin.getOperationTimeout()));
    }

    /** Offsets per partition number, in partition order; empty if the topic does not exist (yet). */
    Optional<Map<Integer, Offsets>> of(String topic) {
        try {
            TopicDescription description = client().describeTopics(List.of(topic)).allTopicNames()
                    .get(timeout.toMillis(), TimeUnit.MILLISECONDS).get(topic);
            List<TopicPartition> partitions = description.partitions().stream()
                    .map(info -> new TopicPartition(topic, info.partition())).toList();
            Map<TopicPartition, ListOffsetsResultInfo> earliest = list(partitions, OffsetSpec.earliest());
            Map<TopicPartition, ListOffsetsResultInfo> end = list(partitions, OffsetSpec.latest());
            Map<Integer, Offsets> offsets = new TreeMap<>();
            partitions.forEach(partition -> offsets.put(partition.partition(),
                    new Offsets(earliest.get(partition).offset(), end.get(partition).offset())));
            return Optional.of(offsets);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof UnknownTopicOrPartitionException) {
                return Optional.empty();
            }
            throw new Unavailable("cannot read the offsets of " + topic + " from Kafka: " + e.getCause(), e);
        } catch (TimeoutException e) {
            throw new Unavailable("Kafka did not answer for the offsets of " + topic + " within " + timeout, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new Unavailable("interrupted while reading the offsets of " + topic, e);
        }
    }

    private Map<TopicPartition, ListOffsetsResultInfo> list(List<TopicPartition> partitions, OffsetSpec spec)
            throws ExecutionException, InterruptedException, TimeoutException {
        // Read-committed, as the projections consume: the end is the last stable offset.
        ListOffsetsOptions options = new ListOffsetsOptions(IsolationLevel.READ_COMMITTED);
        options.timeoutMs((int) timeout.toMillis());
        return client().listOffsets(partitions.stream().collect(Collectors.toMap(Function.identity(), p -> spec)),
                options).all().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    private synchronized AdminClient client() {
        if (client == null) {
            client = AdminClient.create(admin.getConfigurationProperties());
        }
        return client;
    }

    @Override
    public synchronized void destroy() {
        if (client != null) {
            client.close(Duration.ofSeconds(5));
            client = null;
        }
    }
}

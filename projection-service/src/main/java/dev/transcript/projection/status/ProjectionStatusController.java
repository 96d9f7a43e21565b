package dev.transcript.projection.status;

import dev.transcript.projection.stream.Backlog;
import dev.transcript.projection.stream.Projector;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.kafka.config.KafkaListenerEndpointRegistry;
import org.springframework.kafka.listener.MessageListenerContainer;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeSet;

/**
 * How far each read model has got in each partition of the event topic, against the partition's end in
 * Kafka. Every partition of the topic is listed for every read model this instance keeps, also those it
 * has applied nothing from yet. Per read model: its listener, and what it received but has not applied (parked,
 * missing sequences, dead letters), which the lag counts too.
 */
@RestController
@RequestMapping("/api/projections")
public class ProjectionStatusController {

    private final ProgressQueries progress;
    private final TopicOffsets offsets;
    static final int GAPS_LISTED = 100;

    private final ObjectProvider<Projector> projectors;
    private final Backlog backlog;
    private final ObjectProvider<KafkaListenerEndpointRegistry> listeners;
    private final String topic;

    ProjectionStatusController(ProgressQueries progress, TopicOffsets offsets, ObjectProvider<Projector> projectors,
                               Backlog backlog, ObjectProvider<KafkaListenerEndpointRegistry> listeners,
                               @Value("${transcript.kafka.topic}") String topic) {
        this.backlog = backlog;
        this.listeners = listeners;
        this.progress = progress;
        this.offsets = offsets;
        this.projectors = projectors;
        this.topic = topic;
    }

    record Status(String topic, List<ReadModelStatus> readModels, List<PartitionStatus> items) {
    }

    @GetMapping("/status")
    Status status() {
        List<ProgressQueries.Progress> rows = progress.of(topic);
        Optional<Map<Integer, TopicOffsets.Offsets>> partitions = offsets.of(topic);

        SortedSet<String> readModels = new TreeSet<>();
        projectors.orderedStream().forEach(projector -> readModels.add(projector.readModel()));
        Map<String, ProgressQueries.Progress> byKey = new HashMap<>();
        SortedSet<Integer> partitionNumbers = new TreeSet<>(partitions.map(Map::keySet).orElse(Set.of()));
        for (ProgressQueries.Progress row : rows) {
            readModels.add(row.readModel());
            partitionNumbers.add(row.partition());
            byKey.put(row.readModel() + "/" + row.partition(), row);
        }

        Map<String, Backlog.Figures> figures = backlog.byReadModel();
        readModels.addAll(figures.keySet());

        List<ReadModelStatus> wholes = new ArrayList<>();
        List<PartitionStatus> items = new ArrayList<>();
        for (String readModel : readModels) {
            Backlog.Figures backlogged = figures.getOrDefault(readModel, Backlog.Figures.NONE);
            Long lag = 0L;
            for (int partition : partitionNumbers) {
                ProgressQueries.Progress row = byKey.get(readModel + "/" + partition);
                TopicOffsets.Offsets kafka = partitions.map(known -> known.get(partition)).orElse(null);
                PartitionStatus item = status(readModel, partition, row, kafka,
                        backlogged.parkedByPartition().getOrDefault(partition, 0L));
                items.add(item);
                lag = lag == null || item.lag() == null ? null : lag + item.lag();
            }
            List<Backlog.Gap> gaps = backlogged.gaps();
            wholes.add(new ReadModelStatus(readModel, listener(readModel), lag, backlogged.parked(), gaps.size(),
                    gaps.subList(0, Math.min(gaps.size(), GAPS_LISTED)), backlogged.deadLettered()));
        }
        return new Status(topic, wholes, items);
    }

    private PartitionStatus status(String readModel, int partition, ProgressQueries.Progress row,
                                   TopicOffsets.Offsets kafka, long parked) {
        // Without progress, a read model starts from the earliest offset still in the log.
        Long nextOffset = row != null ? Long.valueOf(row.nextOffset()) : kafka != null ? kafka.earliest() : null;
        Long endOffset = kafka == null ? null : kafka.end();
        Long lag = endOffset == null || nextOffset == null ? null : Math.max(0, endOffset - nextOffset) + parked;
        return new PartitionStatus(readModel, topic, partition, row == null ? -1 : row.nextOffset() - 1,
                endOffset, lag, parked, row == null ? null : row.lastEventTime());
    }

    private String listener(String readModel) {
        KafkaListenerEndpointRegistry registry = listeners.getIfAvailable();
        MessageListenerContainer container = registry == null ? null : registry.getListenerContainer(readModel);
        if (container == null || !container.isAutoStartup()) {
            return "disabled";
        }
        return container.isRunning() && container.isInExpectedState() ? "running" : "stopped";
    }
}

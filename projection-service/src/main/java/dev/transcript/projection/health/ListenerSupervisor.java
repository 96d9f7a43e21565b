package dev.transcript.projection.health;

import dev.transcript.projection.stream.Projector;
import io.micrometer.core.instrument.MeterRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.event.ContextClosedEvent;
import org.springframework.context.event.EventListener;
import org.springframework.kafka.config.KafkaListenerEndpointRegistry;
import org.springframework.kafka.event.ConsumerStoppedEvent;
import org.springframework.kafka.listener.MessageListenerContainer;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Restarts a read model's listener container that stopped while it should run (its listener is enabled), with
 * back-off doubling from {@code initial-backoff} to {@code max-backoff}, each restart counted
 * ({@code transcript.projection.listener_restarts}). spring-kafka stops a container for good on what its error
 * handler cannot handle (a fatal {@link Error}, lost authorisation), and the read model would then fall behind
 * in silence; until it runs again, {@link ReadModelsHealth} is DOWN and names it.
 */
@Component
class ListenerSupervisor {

    private static final Logger log = LoggerFactory.getLogger(ListenerSupervisor.class);

    /** A stopped container's restarts so far in a row, when the next is due, and why it stopped. */
    record Stopped(String why, int restarts, Instant nextRestartAt) {
    }

    private final ObjectProvider<KafkaListenerEndpointRegistry> registry;
    private final List<Projector> projectors;
    private final MeterRegistry meters;
    private final Duration initialBackoff;
    private final Duration maxBackoff;
    private final Clock clock = Clock.systemUTC();
    private final Map<String, Stopped> stopped = new ConcurrentHashMap<>();
    /** Why each container's consumer last stopped other than normally, from spring-kafka's event. */
    private final Map<String, String> stopReasons = new ConcurrentHashMap<>();
    private final Map<String, Instant> restartedAt = new ConcurrentHashMap<>();
    private volatile boolean closing;

    ListenerSupervisor(ObjectProvider<KafkaListenerEndpointRegistry> registry, List<Projector> projectors,
                       MeterRegistry meters,
                       @Value("${transcript.projection.listeners.initial-backoff:1s}") Duration initialBackoff,
                       @Value("${transcript.projection.listeners.max-backoff:60s}") Duration maxBackoff) {
        this.registry = registry;
        this.projectors = projectors;
        this.meters = meters;
        this.initialBackoff = initialBackoff;
        this.maxBackoff = maxBackoff;
    }

    @EventListener
    void on(ConsumerStoppedEvent event) {
        if (event.getReason() != ConsumerStoppedEvent.Reason.NORMAL) {
            MessageListenerContainer container = event.getContainer(MessageListenerContainer.class);
            log.warn("the consumer of {} stopped: {}", container.getListenerId(), event.getReason());
            stopReasons.put(container.getListenerId(), "its consumer stopped (" + event.getReason() + ")");
        }
    }

    @EventListener
    void on(ContextClosedEvent event) {
        closing = true; // containers stopping with the application are not to be restarted
    }

    @Scheduled(fixedDelayString = "${transcript.projection.listeners.check-interval:1s}")
    void restartStopped() {
        KafkaListenerEndpointRegistry listeners = registry.getIfAvailable();
        if (closing || listeners == null || !listeners.isRunning()) {
            return;
        }
        Instant now = clock.instant();
        for (Projector projector : projectors) {
            MessageListenerContainer container = listeners.getListenerContainer(projector.readModel());
            if (container == null || !container.isAutoStartup()) {
                continue; // a read model this instance does not keep
            }
            String id = projector.readModel();
            if (isStopped(container)) {
                Stopped state = stopped.computeIfAbsent(id, first -> new Stopped(whyStopped(id, container), 0,
                        now.plus(initialBackoff)));
                if (!now.isBefore(state.nextRestartAt())) {
                    restart(id, container, state, now);
                }
            } else if (stopped.containsKey(id) && runningSinceBackoff(id, now)) {
                stopped.remove(id); // running again for a while: the next stop starts its back-off afresh
                stopReasons.remove(id);
            }
        }
    }

    /** Why the read model's listener is not running, if it is not; empty while it runs (or is disabled). */
    Optional<Stopped> stopped(String readModel) {
        KafkaListenerEndpointRegistry listeners = registry.getIfAvailable();
        MessageListenerContainer container = listeners == null ? null : listeners.getListenerContainer(readModel);
        if (container == null || !container.isAutoStartup() || !isStopped(container)) {
            return Optional.empty();
        }
        return Optional.of(stopped.getOrDefault(readModel, new Stopped(whyStopped(readModel, container), 0, null)));
    }

    /** Whether this instance keeps the read model: its listener exists and is enabled. */
    boolean enabled(String readModel) {
        KafkaListenerEndpointRegistry listeners = registry.getIfAvailable();
        MessageListenerContainer container = listeners == null ? null : listeners.getListenerContainer(readModel);
        return container != null && container.isAutoStartup();
    }

    int restarts(String readModel) {
        Stopped state = stopped.get(readModel);
        return state == null ? 0 : state.restarts();
    }

    /** Running since its last restart for longer than the longest back-off, or it came back without one. */
    private boolean runningSinceBackoff(String id, Instant now) {
        Instant restarted = restartedAt.get(id);
        return restarted == null || restarted.plus(maxBackoff).isBefore(now);
    }

    static boolean isStopped(MessageListenerContainer container) {
        return !container.isRunning() || !container.isInExpectedState();
    }

    private String whyStopped(String id, MessageListenerContainer container) {
        return stopReasons.getOrDefault(id, container.isRunning() ? "a consumer of the container stopped"
                : "the container is not running");
    }

    private void restart(String id, MessageListenerContainer container, Stopped state, Instant now) {
        log.warn("restarting the listener of {} ({}; restart {} in a row)", id, state.why(), state.restarts() + 1);
        meters.counter("transcript.projection.listener_restarts", "read_model", id).increment();
        try {
            if (container.isRunning()) {
                container.stop(); // a concurrent container whose child stopped: stop the rest, then start them all
            }
            container.start();
        } catch (RuntimeException e) {
            log.warn("restarting the listener of {} failed; will retry", id, e);
        }
        restartedAt.put(id, now);
        long factor = 1L << Math.min(state.restarts() + 1, 20);
        Duration backoff = initialBackoff.multipliedBy(factor);
        stopped.put(id, new Stopped(state.why(), state.restarts() + 1,
                now.plus(backoff.compareTo(maxBackoff) > 0 ? maxBackoff : backoff)));
    }
}

package dev.transcript.projection.health;

import dev.transcript.projection.stream.Projector;
import org.springframework.boot.actuate.health.Health;
import org.springframework.boot.actuate.health.HealthIndicator;
import org.springframework.stereotype.Component;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The {@code readModels} health component: DOWN while any read model this instance keeps has its listener stopped,
 * naming each such read model and why ({@link ListenerSupervisor} restarts it meanwhile). A read model whose
 * listener is disabled here is reported as such and does not count.
 */
@Component("readModels")
class ReadModelsHealth implements HealthIndicator {

    private final List<Projector> projectors;
    private final ListenerSupervisor supervisor;

    ReadModelsHealth(List<Projector> projectors, ListenerSupervisor supervisor) {
        this.projectors = projectors;
        this.supervisor = supervisor;
    }

    @Override
    public Health health() {
        Map<String, Object> details = new LinkedHashMap<>();
        boolean down = false;
        for (Projector projector : projectors) {
            String readModel = projector.readModel();
            Optional<ListenerSupervisor.Stopped> stopped = supervisor.stopped(readModel);
            if (!supervisor.enabled(readModel)) {
                details.put(readModel, "listener disabled on this instance");
            } else if (stopped.isPresent()) {
                down = true;
                details.put(readModel, "listener stopped: " + stopped.get().why() + "; restarts so far: "
                        + stopped.get().restarts());
            } else {
                details.put(readModel, "listening");
            }
        }
        return (down ? Health.down() : Health.up()).withDetails(details).build();
    }
}

package dev.transcript.projection.support;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Settings for a projection-service context that never talks to Kafka: its listener does not start, its
 * admin creates no topic, and the bootstrap address is a port nothing listens on, so an unexpected connection
 * fails loudly instead of reaching another test's broker. Records are applied by direct calls.
 */
public final class NoBroker {

    public static final String BOOTSTRAP = "spring.kafka.bootstrap-servers=127.0.0.1:9";
    public static final String NO_LISTENER = "spring.kafka.listener.auto-startup=false";
    public static final String NO_TOPICS = "spring.kafka.admin.auto-create=false";
    public static final String QUICK_DRAINS = "transcript.projection.parked.drain-interval=100ms";

    private NoBroker() {
    }

    static List<String> arguments(Map<String, String> database) {
        List<String> arguments = new ArrayList<>();
        database.forEach((key, value) -> arguments.add("--" + key + "=" + value));
        for (String property : List.of(BOOTSTRAP, NO_LISTENER, NO_TOPICS, QUICK_DRAINS)) {
            arguments.add("--" + property);
        }
        return arguments;
    }
}

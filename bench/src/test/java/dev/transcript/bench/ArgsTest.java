package dev.transcript.bench;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ArgsTest {

    @Test
    void readsBothFormsAndDurations() {
        Args args = Args.parse(new String[]{"--duration", "2m", "--warmup=500ms", "--rate", "1_000"},
                Set.of("duration", "warmup", "rate"));
        assertThat(args.duration("duration", null)).isEqualTo(Duration.ofMinutes(2));
        assertThat(args.duration("warmup", null)).isEqualTo(Duration.ofMillis(500));
        assertThat(args.integer("rate", 0)).isEqualTo(1000);
        assertThat(Args.parseDuration("60")).isEqualTo(Duration.ofSeconds(60));
        assertThat(Args.parseDuration("10s")).isEqualTo(Duration.ofSeconds(10));
    }

    @Test
    void refusesUnknownOptions() {
        assertThatThrownBy(() -> Args.parse(new String[]{"--durration", "1s"}, Set.of("duration")))
                .hasMessageContaining("--durration");
    }
}

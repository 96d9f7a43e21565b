package dev.transcript.projection.stream;

/** Where a record came from, kept with every event so a dead letter can name it. */
public record Origin(String topic, int partition, long offset) {
}

package dev.transcript.command.publication;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

import org.springframework.util.unit.DataSize;

import java.net.URI;
import java.time.Duration;

/**
 * @param topic             the topic every event goes to
 * @param partitions        its partition count when the service creates it (never changed afterwards: that
 *                          would move keys between partitions and break their order)
 * @param replicationFactor its replication factor when the service creates it
 * @param source            the CloudEvents {@code source} of every record
 * @param sendTimeout       how long one batch waits for the broker's acknowledgements before it is retried
 * @param maxRecordBytes    the topic's {@code max.message.bytes}; keep the producer's {@code max.request.size}
 *                          at most this (checked at start-up, with room for the largest event)
 * @param unhealthyAfter    how long publication may fail for a reason that may pass (the broker down)
 *                          before health turns DOWN; a reason retrying cannot fix turns it DOWN at once
 */
@ConfigurationProperties("transcript.kafka")
record PublicationProperties(@DefaultValue("transcript.events") String topic,
                             @DefaultValue("6") int partitions,
                             @DefaultValue("1") short replicationFactor,
                             @DefaultValue("/transcript/command-service") URI source,
                             @DefaultValue("30s") Duration sendTimeout,
                             @DefaultValue("2MB") DataSize maxRecordBytes,
                             @DefaultValue("2m") Duration unhealthyAfter) {
}

package dev.transcript.projection.contract;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * A candidate told as a valid history of its own: its parents first, with fresh ids, then the candidate's event,
 * each event numbered in its aggregate from 0 as command-service numbers them.
 */
record Story(Candidate candidate, List<Event> events) {

    record Event(String typeName, String aggregateId, long sequence, JsonNode data) {
    }

    Set<String> aggregateIds() {
        return events.stream().map(Event::aggregateId).collect(Collectors.toSet());
    }
}

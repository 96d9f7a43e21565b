package dev.transcript.command.audit;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.transcript.command.NotFound;
import dev.transcript.events.EventCatalog;
import org.axonframework.eventhandling.DomainEventMessage;
import org.axonframework.eventsourcing.eventstore.DomainEventStream;
import org.axonframework.eventsourcing.eventstore.EventStorageEngine;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * The auditor's view: a session exactly as the event store holds it, read from the events themselves
 * (never from a snapshot), oldest first.
 */
@RestController
@RequestMapping("/api/audit")
public class AuditController {

    private final EventStorageEngine events;
    private final ObjectMapper json;

    AuditController(EventStorageEngine events, ObjectMapper json) {
        this.events = events;
        this.json = json;
    }

    record AuditedEvent(String eventId, String type, long sequence, Instant time, Object payload) {
    }

    /**
     * The answer is written whole before any of it is sent: an event Jackson cannot write (nested past its
     * limits) fails the request with a 500 problem+json, instead of a 200 whose body breaks off.
     */
    @GetMapping("/sessions/{id}/events")
    ResponseEntity<byte[]> sessionEvents(@PathVariable UUID id) throws JsonProcessingException {
        List<AuditedEvent> audited = new ArrayList<>();
        DomainEventStream stream = events.readEvents(id.toString(), 0);
        while (stream.hasNext()) {
            audited.add(audit(stream.next()));
        }
        if (audited.isEmpty()) {
            throw new NotFound("session " + id + " has no events");
        }
        return ResponseEntity.ok().contentType(MediaType.APPLICATION_JSON).body(json.writeValueAsBytes(audited));
    }

    private static AuditedEvent audit(DomainEventMessage<?> message) {
        return new AuditedEvent(message.getIdentifier(), EventCatalog.typeOf(message.getPayloadType()).typeName(),
                message.getSequenceNumber(), message.getTimestamp(), message.getPayload());
    }
}

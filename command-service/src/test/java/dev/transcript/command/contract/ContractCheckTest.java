package dev.transcript.command.contract;

import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.transcript.command.InvalidField;
import dev.transcript.events.session.MessagePosted;
import dev.transcript.events.session.MessageRole;
import dev.transcript.events.user.LoginOpened;
import org.axonframework.eventhandling.EventMessage;
import org.axonframework.eventhandling.GenericEventMessage;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The append-time check on events built in code, past what an HTTP parser would let through: metadata
 * 998 deep and tool calls 900 deep are refused naming the field, without overflowing the stack.
 */
class ContractCheckTest {

    /** As Spring Boot configures it: dates as ISO-8601 text. */
    private final ContractCheck check = new ContractCheck(JsonMapper.builder().findAndAddModules()
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS).build());

    @Test
    void an_event_within_the_contract_passes_unchanged() {
        EventMessage<?> message = GenericEventMessage.asEventMessage(posted(Map.of("source", "cli"), null));

        assertThat(check.handle(List.of(message)).apply(0, message)).isSameAs(message);
    }

    @Test
    void metadata_nested_998_deep_is_refused_naming_metadata() {
        assertRefused(posted(nested(998), null), "metadata");
    }

    @Test
    void tool_calls_nested_900_deep_are_refused_naming_tool_calls() {
        assertRefused(posted(Map.of(), List.of(nested(900))), "toolCalls");
    }

    @Test
    void an_event_field_is_named_as_the_request_names_it() {
        LoginOpened opened = new LoginOpened(UUID.randomUUID(), UUID.randomUUID(), "not a sha-256", null, null,
                Instant.parse("2026-01-23T10:15:30Z"));

        assertRefused(opened, "token");
    }

    private void assertRefused(Object event, String field) {
        EventMessage<?> message = GenericEventMessage.asEventMessage(event);

        assertThatThrownBy(() -> check.handle(List.of(message)).apply(0, message))
                .isInstanceOfSatisfying(InvalidField.class, refused -> assertThat(refused.field()).isEqualTo(field));
    }

    private static MessagePosted posted(Map<String, Object> metadata, List<Map<String, Object>> toolCalls) {
        return new MessagePosted(UUID.randomUUID(), UUID.randomUUID(), UUID.randomUUID(), 1, MessageRole.USER,
                "hello", 1, List.of(), metadata, toolCalls, null);
    }

    /** {@code levels} maps inside each other, the outermost included. */
    private static Map<String, Object> nested(int levels) {
        Map<String, Object> node = new HashMap<>();
        for (int level = 1; level < levels; level++) {
            node = new HashMap<>(Map.of("a", node));
        }
        return node;
    }
}

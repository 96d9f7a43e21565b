package dev.transcript.command.session;

import org.junit.jupiter.api.Test;

import java.util.HashSet;
import java.util.Set;
import java.util.UUID;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;

class MessageIdsTest {

    private static final UUID CONVERSATION_ID = UUID.fromString("0195a0d2-4c1e-7b3a-9f00-00000000c0c0");
    private static final UUID OTHER_CONVERSATION_ID = UUID.fromString("0195a0d2-4c1e-7b3a-9f00-00000000c0c1");
    private static final int[] NUMBERS = {1, 2, 3, 10, 255, 256, 65_535, 65_536, 1_000_000, Integer.MAX_VALUE};
    private static final int MANY = 10_000;

    /** Ids are stored in events for ever: the derivation must never change. */
    private static final UUID FIRST_ID = UUID.fromString("00000001-4162-8201-a00a-bc62a93ed1a4");
    private static final UUID SECOND_ID = UUID.fromString("00000002-f4e4-84ad-bfb8-ca10b5e7f75a");

    @Test
    void ids_are_uuids_of_version_8_and_variant_2() {
        for (int number : NUMBERS) {
            UUID id = MessageIds.of(CONVERSATION_ID, number);
            assertThat(id.version()).as("version of message %d", number).isEqualTo(8);
            assertThat(id.variant()).as("variant of message %d", number).isEqualTo(2);
        }
    }

    @Test
    void ids_read_back_as_canonical_uuid_text() {
        for (int number : NUMBERS) {
            UUID id = MessageIds.of(CONVERSATION_ID, number);
            assertThat(UUID.fromString(id.toString())).isEqualTo(id);
            assertThat(id.toString()).matches("[0-9a-f]{8}-[0-9a-f]{4}-8[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}");
        }
    }

    @Test
    void the_number_reads_back_from_the_id() {
        for (int number : NUMBERS) {
            assertThat(MessageIds.numberIn(MessageIds.of(CONVERSATION_ID, number))).isEqualTo(number);
        }
        IntStream.rangeClosed(1, MANY).forEach(number ->
                assertThat(MessageIds.numberIn(MessageIds.of(CONVERSATION_ID, number))).isEqualTo(number));
    }

    @Test
    void the_number_of_an_id_of_another_conversation_reads_back_but_the_id_differs() {
        UUID foreign = MessageIds.of(OTHER_CONVERSATION_ID, 1);

        assertThat(MessageIds.numberIn(foreign)).isEqualTo(1);
        assertThat(foreign).isNotEqualTo(MessageIds.of(CONVERSATION_ID, 1));
    }

    @Test
    void different_conversations_give_different_ids() {
        for (int number : NUMBERS) {
            assertThat(MessageIds.of(CONVERSATION_ID, number)).isNotEqualTo(MessageIds.of(OTHER_CONVERSATION_ID, number));
        }
    }

    @Test
    void different_numbers_give_different_ids() {
        Set<UUID> ids = new HashSet<>();
        IntStream.rangeClosed(1, MANY).forEach(number -> ids.add(MessageIds.of(CONVERSATION_ID, number)));

        assertThat(ids).hasSize(MANY);
    }

    @Test
    void ids_are_deterministic() {
        for (int number : NUMBERS) {
            assertThat(MessageIds.of(CONVERSATION_ID, number)).isEqualTo(MessageIds.of(CONVERSATION_ID, number));
        }
        assertThat(MessageIds.of(CONVERSATION_ID, 1)).isEqualTo(FIRST_ID);
        assertThat(MessageIds.of(CONVERSATION_ID, 2)).isEqualTo(SECOND_ID);
    }
}

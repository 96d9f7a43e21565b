package dev.transcript.projection.chatapp;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDateTime;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class ChatAppValuesTest {

    @Test
    void text_that_fits_65535_bytes_of_utf8_is_kept_whole() {
        String exactly = "€".repeat(21_845); // 65,535 bytes
        assertThat(ChatAppValues.boundedText(exactly)).isSameAs(exactly);
        assertThat(ChatAppValues.exceedsText(exactly)).isFalse();
        assertThat(ChatAppValues.boundedText("short")).isEqualTo("short");
        assertThat(ChatAppValues.boundedText(null)).isNull();
    }

    @Test
    void longer_text_is_cut_before_the_first_character_that_does_not_fit_never_inside_one() {
        String emoji = "a".repeat(65_533) + "😀"; // 65,533 + 4 bytes: the emoji (a surrogate pair) does not fit
        String cut = ChatAppValues.boundedText(emoji);
        assertThat(cut).isEqualTo("a".repeat(65_533));
        assertThat(ChatAppValues.exceedsText(emoji)).isTrue();

        String mixed = "😀".repeat(16_383) + "ü€"; // 65,532 + 2 + 3 bytes: ü fits, € does not
        assertThat(ChatAppValues.boundedText(mixed)).isEqualTo("😀".repeat(16_383) + "ü");
        assertThat(ChatAppValues.boundedText(mixed).getBytes(StandardCharsets.UTF_8)).hasSize(65_534);
    }

    @Test
    void u0000_becomes_the_replacement_character() {
        assertThat(ChatAppValues.text("a\0b\0")).isEqualTo("a\uFFFDb\uFFFD");
        assertThat(ChatAppValues.boundedText("a\0b")).isEqualTo("a\uFFFDb");
        assertThat(ChatAppValues.text(null)).isNull();
    }

    @Test
    void json_has_its_keys_sorted_at_every_level_and_is_null_when_too_long_to_keep() {
        Map<String, Object> inner = new LinkedHashMap<>();
        inner.put("y", 1);
        inner.put("x", List.of(Map.of("b", 1), "s"));
        Map<String, Object> outer = new LinkedHashMap<>();
        outer.put("z", inner);
        outer.put("a", null);

        assertThat(ChatAppValues.json(outer)).isEqualTo("{\"a\":null,\"z\":{\"x\":[{\"b\":1},\"s\"],\"y\":1}}");
        assertThat(ChatAppValues.json(Map.of())).isEqualTo("{}");
        assertThat(ChatAppValues.json(null)).isNull();
        assertThat(ChatAppValues.json(Map.of("k", "é".repeat(32_768)))).as("65,544 bytes").isNull();
    }

    @Test
    void times_are_utc_to_the_microsecond() {
        assertThat(ChatAppValues.utc(Instant.parse("2026-03-29T01:30:00.123456789Z")))
                .isEqualTo(LocalDateTime.parse("2026-03-29T01:30:00.123456"));
    }
}

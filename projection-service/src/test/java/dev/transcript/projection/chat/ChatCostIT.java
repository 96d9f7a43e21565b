package dev.transcript.projection.chat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.transcript.events.TranscriptEvent;
import dev.transcript.events.session.MessageRole;
import dev.transcript.events.session.TokenUsageRecorded;
import dev.transcript.projection.stream.RecordBatches;
import dev.transcript.projection.support.EventLog;
import dev.transcript.projection.support.Http;
import dev.transcript.projection.support.Published;
import org.assertj.core.api.recursive.comparison.RecursiveComparisonConfiguration;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.JdbcTemplate;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import java.util.stream.StreamSupport;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Costs as the events carry them: each charge keeps the cost of the prices in force when it was recorded, a later
 * price change (events carrying other prices) leaves it as it was, and the daily summary per model equals the
 * sums computed here from the events themselves, exactly, with charges of unknown cost counted and not summed.
 * The charges straddle midnight UTC, so they fall on two days.
 */
@ChatApiOnPostgres
class ChatCostIT {

    /** Prices per million tokens: input, output. */
    private static final BigDecimal[] GPT_BEFORE = {new BigDecimal("2.50"), new BigDecimal("10.00")};
    private static final BigDecimal[] GPT_AFTER = {new BigDecimal("3.00"), new BigDecimal("12.00")};
    private static final BigDecimal[] MINI = {new BigDecimal("0.15"), new BigDecimal("0.60")};
    private static final LocalDate DAY_1 = LocalDate.parse("2026-04-01");
    private static final LocalDate DAY_2 = LocalDate.parse("2026-04-02");
    private static final RecursiveComparisonConfiguration EXACT_DECIMALS = RecursiveComparisonConfiguration.builder()
            .withComparatorForType(BigDecimal::compareTo, BigDecimal.class).build();

    @LocalServerPort
    int port;
    @Autowired
    RecordBatches batches;
    @Autowired
    ChatProjector projector;
    @Autowired
    JdbcTemplate jdbc;

    Http http;
    EventLog log;
    ChatStory story;
    ChatTables tables;

    @BeforeEach
    void aUserWithAChatLateOnDayOne() {
        http = new Http(port);
        log = new EventLog(DAY_1.atTime(23, 59, 30).toInstant(ZoneOffset.UTC));
        story = new ChatStory();
        tables = new ChatTables(jdbc);
        deliver(story.userRegistered());
        deliver(story.chatSessionStarted("costs"));
        deliver(story.chatMessage(1, MessageRole.USER, "hello"));
        deliver(story.chatMessage(2, MessageRole.ASSISTANT, "hi"));
    }

    @Test
    void charges_keep_the_cost_of_the_price_in_force_when_recorded_and_a_later_price_changes_none_of_them() {
        List<Published> before = List.of(
                deliver(charge("gpt-x", 1234, 567, GPT_BEFORE)),
                deliver(charge("mini", 10_000, 2_000, MINI)),
                deliver(charge("gpt-x", 777, 333, GPT_BEFORE)));
        Map<UUID, Map<String, Object>> recorded = rowsOf(before);

        // The price of gpt-x changes: later charges carry the new prices.
        List<Published> after = List.of(
                deliver(charge("gpt-x", 1234, 567, GPT_AFTER)),
                deliver(charge("gpt-x", 777, 333, GPT_AFTER)));

        assertThat(rowsOf(before)).as("the charges recorded before the change").isEqualTo(recorded);
        for (Published charge : concat(before, after)) {
            TokenUsageRecorded event = (TokenUsageRecorded) charge.event();
            assertThat((BigDecimal) tables.row("chat.usage_tracking", event.usageId()).get("cost"))
                    .as("the cost of %s, as its event says", event.usageId()).isEqualByComparingTo(event.cost());
        }
        BigDecimal old = ((TokenUsageRecorded) before.getFirst().event()).cost();
        BigDecimal changed = ((TokenUsageRecorded) after.getFirst().event()).cost();
        assertThat(old).isEqualByComparingTo("0.008755");
        assertThat(changed).as("the same tokens at the new price").isEqualByComparingTo("0.010506");
    }

    @Test
    void the_daily_summary_per_model_equals_the_sums_of_the_events_with_unknown_costs_counted_not_summed() {
        List<Published> charges = new ArrayList<>();
        charges.add(deliver(charge("gpt-x", 1234, 567, GPT_BEFORE)));
        charges.add(deliver(charge("mini", 10_000, 2_000, MINI)));
        charges.add(deliver(story.unpricedCharge("embedder", 500, 0)));
        charges.add(deliver(charge("gpt-x", 100, 50, GPT_AFTER)));
        log.advance(Duration.ofMinutes(1)); // past midnight UTC
        charges.add(deliver(charge("gpt-x", 4_000, 1_000, GPT_AFTER)));
        charges.add(deliver(story.unpricedCharge("gpt-x", 10, 10))); // while gpt-x had no price
        charges.add(deliver(charge("mini", 1, 1, MINI)));
        charges.add(deliver(story.unpricedCharge("embedder", 250, 0)));
        assertThat(charges.stream().map(charge -> day(charge.time())).distinct()).containsExactly(DAY_1, DAY_2);

        List<Daily> both = summary(DAY_1, DAY_2);
        List<Daily> first = summary(DAY_1, DAY_1);

        assertThat(both).usingRecursiveFieldByFieldElementComparator(EXACT_DECIMALS)
                .containsExactlyInAnyOrderElementsOf(expected(charges, DAY_1, DAY_2));
        assertThat(both).extracting(Daily::day).isSorted();
        assertThat(first).usingRecursiveFieldByFieldElementComparator(EXACT_DECIMALS)
                .containsExactlyInAnyOrderElementsOf(expected(charges, DAY_1, DAY_1));
        assertThat(both).filteredOn(daily -> daily.model().equals("embedder"))
                .allSatisfy(daily -> assertThat(daily.cost()).isZero())
                .allSatisfy(daily -> assertThat(daily.unpricedCharges()).isEqualTo(1));
        assertThat(both).filteredOn(daily -> daily.day().equals(DAY_2) && daily.model().equals("gpt-x"))
                .singleElement().satisfies(daily -> {
                    assertThat(daily.charges()).isEqualTo(2);
                    assertThat(daily.unpricedCharges()).isEqualTo(1);
                    assertThat(daily.cost()).isEqualByComparingTo("0.024");
                });
    }

    @Test
    void a_cost_the_column_cannot_hold_exactly_is_refused_and_parked_never_rounded() {
        TokenUsageRecorded tooFine = new TokenUsageRecorded(story.chatSessionId, story.chatConversationId,
                UUID.randomUUID(), null, "gpt-x", 1, 0, 1, new BigDecimal("0.00001"), BigDecimal.ZERO,
                new BigDecimal("0.00000000001"), ChatStory.CURRENCY);
        Published charge = log.append(tooFine);

        batches.apply(projector, EventLog.records(List.of(charge)));

        assertThat(tables.row("chat.usage_tracking", tooFine.usageId())).isEmpty();
        assertThat(jdbc.queryForList("SELECT reason FROM projection.parked_event WHERE read_model = 'chat'"
                + " AND event_id = ?", String.class, charge.id()))
                .singleElement().asString().contains("0.00000000001", "would be rounded");
    }

    @Test
    void the_daily_summary_refuses_a_range_it_cannot_answer() {
        assertRefused("/api/chat/usage/daily?from=2026-04-02&to=2026-04-01", "to");
        assertThat(http.get("/api/chat/usage/daily?from=2026-01-01&to=2027-01-01",
                Map.of("X-Transcript-User-Id", story.userId.toString())).status()).as("366 days").isEqualTo(200);
        assertRefused("/api/chat/usage/daily?from=2026-01-01&to=2027-01-02", "to");
        assertRefused("/api/chat/usage/daily?from=yesterday&to=2026-04-01", "from");
        assertRefused("/api/chat/usage/daily?to=2026-04-01", "from");
    }

    // --- helpers

    /** One day, model and currency of the summary; cost as an exact decimal. */
    record Daily(LocalDate day, String model, String currency, long inputTokens, long outputTokens, long totalTokens,
                 long charges, long unpricedCharges, BigDecimal cost) {
    }

    /** The summary computed from the charges themselves: per UTC day of their events, model and currency. */
    private static List<Daily> expected(List<Published> charges, LocalDate from, LocalDate to) {
        Map<List<Object>, Daily> sums = new LinkedHashMap<>();
        for (Published published : charges) {
            TokenUsageRecorded charge = (TokenUsageRecorded) published.event();
            LocalDate day = day(published.time());
            if (day.isBefore(from) || day.isAfter(to)) {
                continue;
            }
            Daily one = new Daily(day, charge.model(), charge.currency(), charge.inputTokens(), charge.outputTokens(),
                    charge.totalTokens(), 1, charge.cost() == null ? 1 : 0,
                    Objects.requireNonNullElse(charge.cost(), BigDecimal.ZERO));
            sums.merge(List.of(day, charge.model(), charge.currency()), one, (a, b) -> new Daily(a.day(), a.model(),
                    a.currency(), a.inputTokens() + b.inputTokens(), a.outputTokens() + b.outputTokens(),
                    a.totalTokens() + b.totalTokens(), a.charges() + b.charges(),
                    a.unpricedCharges() + b.unpricedCharges(), a.cost().add(b.cost())));
        }
        return List.copyOf(sums.values());
    }

    private List<Daily> summary(LocalDate from, LocalDate to) {
        Http.Answer answer = http.get("/api/chat/usage/daily?from=" + from + "&to=" + to,
                Map.of("X-Transcript-User-Id", story.userId.toString()));
        assertThat(answer.status()).as(answer.text()).isEqualTo(200);
        assertThat(answer.body().path("from").asText()).isEqualTo(from.toString());
        assertThat(answer.body().path("to").asText()).isEqualTo(to.toString());
        return StreamSupport.stream(answer.body().path("items").spliterator(), false).map(item -> {
            assertThat(item.path("cost").isTextual()).as("cost as a decimal string: %s", item).isTrue();
            return new Daily(LocalDate.parse(item.path("day").asText()), item.path("model").asText(),
                    item.path("currency").asText(), item.path("inputTokens").asLong(),
                    item.path("outputTokens").asLong(), item.path("totalTokens").asLong(),
                    item.path("charges").asLong(), item.path("unpricedCharges").asLong(),
                    new BigDecimal(item.path("cost").asText()));
        }).toList();
    }

    private void assertRefused(String path, String field) {
        Http.Answer answer = http.get(path, Map.of("X-Transcript-User-Id", story.userId.toString()));
        assertThat(answer.status()).as(path + ": " + answer.text()).isEqualTo(400);
        JsonNode errors = answer.body().path("errors");
        assertThat(errors.get(0).path("field").asText()).as(path).isEqualTo(field);
    }

    private TokenUsageRecorded charge(String model, int input, int output, BigDecimal[] prices) {
        return story.charge(story.chatMessageId(2), model, input, output, prices[0], prices[1]);
    }

    private Map<UUID, Map<String, Object>> rowsOf(List<Published> charges) {
        Map<UUID, Map<String, Object>> rows = new LinkedHashMap<>();
        for (Published charge : charges) {
            UUID id = ((TokenUsageRecorded) charge.event()).usageId();
            rows.put(id, tables.row("chat.usage_tracking", id));
        }
        return rows;
    }

    /** Publishes the event and applies it as a poll of one record; it must not be parked. */
    private Published deliver(TranscriptEvent event) {
        Published published = log.append(event);
        batches.apply(projector, List.of(published.consumerRecord()));
        assertThat(jdbc.queryForObject("SELECT count(*) FROM projection.parked_event WHERE read_model = 'chat'"
                + " AND aggregate_id = ?", Long.class, published.key())).as("parked of %s", published.key()).isZero();
        return published;
    }

    private static LocalDate day(Instant time) {
        return LocalDate.ofInstant(time, ZoneOffset.UTC);
    }

    private static <T> List<T> concat(List<T> first, List<T> second) {
        List<T> all = new ArrayList<>(first);
        all.addAll(second);
        return all;
    }
}

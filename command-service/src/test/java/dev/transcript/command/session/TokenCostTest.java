package dev.transcript.command.session;

import dev.transcript.command.pricing.Price;
import dev.transcript.command.pricing.PriceList;
import dev.transcript.command.usage.RecordTokenUsage;
import dev.transcript.events.session.ChatSessionStarted;
import dev.transcript.events.session.TokenUsageRecorded;
import org.axonframework.eventhandling.DomainEventMessage;
import org.axonframework.test.aggregate.AggregateTestFixture;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A charge priced by the price list in force when it is recorded, given-when-then. Two fixtures hold two
 * price lists, as two deployments (or one before and after a price change) would. The expected events hold
 * exact decimals in canonical form, and the fixture compares them with {@link BigDecimal#equals}, scale and
 * all: 0.008755, not 0.00875500.
 */
class TokenCostTest {

    private static final UUID SESSION_ID = UUID.fromString("0195a0d2-4c1e-7b3a-9f00-0000000000a1");
    private static final UUID USER_ID = UUID.fromString("0195a0d2-4c1e-7b3a-9f00-0000000000b1");
    private static final UUID CONVERSATION_ID = UUID.fromString("0195a0d2-4c1e-7b3a-9f00-0000000000c1");
    private static final UUID USAGE_ID = UUID.fromString("0195a0d2-4c1e-7b3a-9f00-0000000000e1");
    private static final UUID LATER_USAGE_ID = UUID.fromString("0195a0d2-4c1e-7b3a-9f00-0000000000e2");

    private static final ChatSessionStarted STARTED = new ChatSessionStarted(SESSION_ID, USER_ID, CONVERSATION_ID, "Costs");

    /** Today's list. */
    private static final PriceList PRICES = new PriceList("USD", Map.of(
            "gpt-4o", price("2.50", "10.00"),
            "gpt-4o-mini", price("0.15", "0.60"),
            "claude-opus-4", price("15.00", "75.00")));
    /** The list after a price change: gpt-4o dearer, in euros. */
    private static final PriceList NEW_PRICES = new PriceList("EUR", Map.of("gpt-4o", price("5.00", "20.00")));

    private final AggregateTestFixture<Session> fixture = fixtureWith(PRICES);
    private final AggregateTestFixture<Session> afterThePriceChange = fixtureWith(NEW_PRICES);

    @Test
    void a_known_model_is_charged_its_prices_and_their_exact_cost() {
        fixture.given(STARTED)
               .when(usage(USAGE_ID, "gpt-4o", 1_234, 567))
               .expectSuccessfulHandlerExecution()
               .expectEvents(charge(USAGE_ID, "gpt-4o", 1_234, 567, "2.5", "10", "0.008755", "USD"));
    }

    @Test
    void an_unknown_model_is_recorded_with_its_cost_unknown() {
        fixture.given(STARTED)
               .when(usage(USAGE_ID, "llama-70b", 1_234, 567))
               .expectSuccessfulHandlerExecution()
               .expectEvents(new TokenUsageRecorded(SESSION_ID, CONVERSATION_ID, USAGE_ID, null, "llama-70b", 1_234,
                       567, 1_801, null, null, null, "USD"));
    }

    /** No guessing: a dated snapshot or another spelling of a model is another model until it is listed. */
    @Test
    void a_model_is_looked_up_by_its_exact_name() {
        fixture.given(STARTED)
               .when(usage(USAGE_ID, "GPT-4o-2024-08-06", 10, 10))
               .expectSuccessfulHandlerExecution()
               .expectEvents(new TokenUsageRecorded(SESSION_ID, CONVERSATION_ID, USAGE_ID, null, "GPT-4o-2024-08-06",
                       10, 10, 20, null, null, null, "USD"));
    }

    @Test
    void no_tokens_cost_zero() {
        fixture.given(STARTED)
               .when(usage(USAGE_ID, "gpt-4o", 0, 0))
               .expectSuccessfulHandlerExecution()
               .expectEvents(charge(USAGE_ID, "gpt-4o", 0, 0, "2.5", "10", "0", "USD"));
    }

    @Test
    void a_single_token_is_charged_to_the_last_digit() {
        fixture.given(STARTED)
               .when(usage(USAGE_ID, "gpt-4o-mini", 1, 0))
               .expectSuccessfulHandlerExecution()
               .expectEvents(charge(USAGE_ID, "gpt-4o-mini", 1, 0, "0.15", "0.6", "0.00000015", "USD"));
    }

    /** The largest counts accepted, without overflow or rounding, and a whole amount written as a whole number. */
    @Test
    void the_largest_charge_is_exact_and_whole() {
        fixture.given(STARTED)
               .when(usage(USAGE_ID, "claude-opus-4", 1_000_000_000, 1_000_000_000))
               .expectSuccessfulHandlerExecution()
               .expectEvents(charge(USAGE_ID, "claude-opus-4", 1_000_000_000, 1_000_000_000, "15", "75", "90000",
                       "USD"));
    }

    @Test
    void the_same_charge_costs_what_the_price_list_in_force_says() {
        RecordTokenUsage command = usage(USAGE_ID, "gpt-4o", 1_234, 567);

        fixture.given(STARTED)
               .when(command)
               .expectEvents(charge(USAGE_ID, "gpt-4o", 1_234, 567, "2.5", "10", "0.008755", "USD"));
        afterThePriceChange.given(STARTED)
                           .when(command)
                           .expectEvents(charge(USAGE_ID, "gpt-4o", 1_234, 567, "5", "20", "0.01751", "EUR"));
    }

    /**
     * A charge recorded before the price change, replayed into a session that records another one after it:
     * the old charge keeps its old prices and cost; only the new one is priced by the new list.
     */
    @Test
    void a_recorded_charge_is_never_re_priced() {
        TokenUsageRecorded before = charge(USAGE_ID, "gpt-4o", 1_234, 567, "2.5", "10", "0.008755", "USD");
        fixture.given(STARTED).when(usage(USAGE_ID, "gpt-4o", 1_234, 567)).expectEvents(before);

        afterThePriceChange.given(STARTED, before)
                           .when(usage(LATER_USAGE_ID, "gpt-4o", 1_234, 567))
                           .expectSuccessfulHandlerExecution()
                           .expectEvents(charge(LATER_USAGE_ID, "gpt-4o", 1_234, 567, "5", "20", "0.01751", "EUR"));

        List<Object> stored = afterThePriceChange.getEventStore().readEvents(SESSION_ID.toString()).asStream()
                .map(DomainEventMessage::getPayload).map(Object.class::cast).toList();
        assertThat(stored).hasSize(3);
        assertThat(stored.get(1)).isEqualTo(before);
    }

    private static AggregateTestFixture<Session> fixtureWith(PriceList prices) {
        AggregateTestFixture<Session> fixture = new AggregateTestFixture<>(Session.class);
        fixture.registerInjectableResource(prices);
        return fixture;
    }

    private static RecordTokenUsage usage(UUID usageId, String model, int inputTokens, int outputTokens) {
        return new RecordTokenUsage(SESSION_ID, usageId, model, inputTokens, outputTokens, null);
    }

    private static TokenUsageRecorded charge(UUID usageId, String model, int inputTokens, int outputTokens,
                                             String inputPrice, String outputPrice, String cost, String currency) {
        return new TokenUsageRecorded(SESSION_ID, CONVERSATION_ID, usageId, null, model, inputTokens, outputTokens,
                inputTokens + outputTokens, new BigDecimal(inputPrice), new BigDecimal(outputPrice),
                new BigDecimal(cost), currency);
    }

    private static Price price(String inputPerMillion, String outputPerMillion) {
        return new Price(new BigDecimal(inputPerMillion), new BigDecimal(outputPerMillion));
    }
}

package dev.transcript.command.pricing;

import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.bind.BindException;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.env.SpringApplicationJsonEnvironmentPostProcessor;
import org.springframework.boot.env.YamlPropertySourceLoader;
import org.springframework.core.env.MapPropertySource;
import org.springframework.core.env.PropertySource;
import org.springframework.core.env.StandardEnvironment;
import org.springframework.core.env.SystemEnvironmentPropertySource;
import org.springframework.core.io.ClassPathResource;

import java.io.IOException;
import java.math.BigDecimal;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * {@code transcript.pricing} bound as Spring binds it: from the application.yml that ships, from plain
 * properties, and overridden by the environment.
 */
class PriceListBindingTest {

    @Test
    void the_shipped_price_list_binds_exactly_with_a_dotted_model_name() throws IOException {
        PriceList prices = bind(environment(shippedConfiguration()));

        assertThat(prices.currency()).isEqualTo("USD");
        assertThat(prices.priceOf("gpt-4o")).contains(price("2.50", "10.00"));
        assertThat(prices.priceOf("gpt-4o-mini")).contains(price("0.15", "0.60"));
        assertThat(prices.priceOf("claude-sonnet-4")).contains(price("3.00", "15.00"));
        assertThat(prices.priceOf("claude-haiku-3.5")).contains(price("0.80", "4.00"));
        assertThat(prices.priceOf("gpt-4.1")).contains(price("2.00", "8.00"));
        assertThat(prices.models()).allSatisfy((model, price) -> assertThat(model).doesNotContain("[", "]"));
    }

    @Test
    void a_bracketed_key_keeps_its_dots_and_an_unbracketed_one_does_not() {
        PriceList prices = bind(environment(new MapPropertySource("test", Map.of(
                "transcript.pricing.models[claude-haiku-3.5].input-per-million", "0.80",
                "transcript.pricing.models[claude-haiku-3.5].output-per-million", "4.00"))));

        assertThat(prices.models()).containsOnlyKeys("claude-haiku-3.5");
        assertThat(prices.priceOf("claude-haiku-3.5").orElseThrow().inputPerMillion()).isEqualTo(new BigDecimal("0.8"));
    }

    /** Read as written, never through a double (which would make 0.1 a 0.1000000000000000055511151231257827). */
    @Test
    void prices_are_exact_decimals_in_canonical_form() {
        PriceList prices = bind(environment(new MapPropertySource("test", Map.of(
                "transcript.pricing.models[m].input-per-million", "0.1000000000",
                "transcript.pricing.models[m].output-per-million", "1.50E+1"))));

        Price price = prices.priceOf("m").orElseThrow();
        assertThat(price.inputPerMillion()).isEqualTo(new BigDecimal("0.1"));
        assertThat(price.outputPerMillion()).isEqualTo(new BigDecimal("15"));
        assertThat(price.outputPerMillion().toPlainString()).isEqualTo("15");
    }

    /** 4 decimals and the 6 of a price per million make the 10 that the chat read model keeps a cost to. */
    @Test
    void a_price_with_four_decimal_places_binds_and_its_smallest_charge_keeps_ten() {
        PriceList prices = bind(environment(new MapPropertySource("test", Map.of(
                "transcript.pricing.models[gpt-4o].input-per-million", "0.0125",
                "transcript.pricing.models[gpt-4o].output-per-million", "1.0001"))));

        Price price = prices.priceOf("gpt-4o").orElseThrow();
        assertThat(price).isEqualTo(price("0.0125", "1.0001"));
        assertThat(price.costOf(1, 1)).isEqualTo(new BigDecimal("0.0000010126")).hasScaleOf(10);
    }

    @Test
    void a_price_with_five_decimal_places_fails_the_binding_naming_the_model_and_the_price() {
        assertThatThrownBy(() -> bind(environment(new MapPropertySource("test", Map.of(
                "transcript.pricing.models[gemini-2.5-flash].input-per-million", "0.00125",
                "transcript.pricing.models[gemini-2.5-flash].output-per-million", "10")))))
                .isInstanceOf(BindException.class)
                .rootCause().hasMessageContaining("transcript.pricing.models[gemini-2.5-flash].input-per-million")
                .hasMessageContaining("0.00125")
                .hasMessageContaining("at most 4 decimal places");
        assertThatThrownBy(() -> bind(environment(new MapPropertySource("test", Map.of(
                "transcript.pricing.models[gpt-4o].input-per-million", "2.50",
                "transcript.pricing.models[gpt-4o].output-per-million", "0.000001")))))
                .isInstanceOf(BindException.class)
                .rootCause().hasMessageContaining("transcript.pricing.models[gpt-4o].output-per-million is 0.000001");
    }

    /**
     * The largest charge accepted, a billion tokens of each kind, costs 1,000 × (input + output price): it fits
     * the 10 integer digits the chat read model keeps while the two prices add up to less than 10,000,000.
     */
    @Test
    void a_price_whose_largest_charge_would_not_fit_ten_integer_digits_fails_the_binding() {
        PriceList dearest = bind(environment(new MapPropertySource("test", Map.of(
                "transcript.pricing.models[m].input-per-million", "4999999.9999",
                "transcript.pricing.models[m].output-per-million", "5000000"))));
        assertThat(dearest.priceOf("m").orElseThrow().costOf(1_000_000_000, 1_000_000_000))
                .isEqualTo(new BigDecimal("9999999999.9"));

        assertThatThrownBy(() -> bind(environment(new MapPropertySource("test", Map.of(
                "transcript.pricing.models[m].input-per-million", "5000000",
                "transcript.pricing.models[m].output-per-million", "5000000")))))
                .isInstanceOf(BindException.class)
                .rootCause().hasMessageContaining("transcript.pricing.models[m] prices 5000000 and 5000000")
                .hasMessageContaining("would cost 10000000000");
    }

    @Test
    void with_nothing_configured_the_list_is_empty_and_in_usd() {
        PriceList prices = new Binder().bindOrCreate("transcript.pricing", Bindable.of(PriceList.class));

        assertThat(prices.currency()).isEqualTo("USD");
        assertThat(prices.models()).isEmpty();
        assertThat(prices.priceOf("gpt-4o")).isEmpty();
    }

    /**
     * The environment wins over application.yml, Spring's usual way: a plain variable for the currency, and
     * SPRING_APPLICATION_JSON for a model, whose name a variable cannot spell. Maps merge: the models the
     * environment does not name keep their shipped prices.
     */
    @Test
    void the_environment_overrides_the_currency_and_a_model_price() throws IOException {
        StandardEnvironment environment = environment(shippedConfiguration());
        environment.getPropertySources().addFirst(new SystemEnvironmentPropertySource(
                StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME, Map.of(
                        "TRANSCRIPT_PRICING_CURRENCY", "EUR",
                        "SPRING_APPLICATION_JSON", """
                                {"transcript": {"pricing": {"models": {
                                  "[gpt-4o]": {"input-per-million": "2.00", "output-per-million": "8.00"},
                                  "[mistral-large-2.1]": {"input-per-million": "2", "output-per-million": "6"}}}}}""")));
        new SpringApplicationJsonEnvironmentPostProcessor().postProcessEnvironment(environment, null);

        PriceList prices = bind(environment);

        assertThat(prices.currency()).isEqualTo("EUR");
        assertThat(prices.priceOf("gpt-4o")).contains(price("2", "8"));
        assertThat(prices.priceOf("mistral-large-2.1")).contains(price("2", "6"));
        assertThat(prices.priceOf("claude-haiku-3.5")).contains(price("0.80", "4.00"));
    }

    @Test
    void a_negative_or_missing_price_or_a_currency_that_is_no_iso_code_fails_the_binding() {
        assertThatThrownBy(() -> bind(environment(new MapPropertySource("test", Map.of(
                "transcript.pricing.models[gpt-4o].input-per-million", "-0.01",
                "transcript.pricing.models[gpt-4o].output-per-million", "10")))))
                .isInstanceOf(BindException.class)
                .rootCause().hasMessageContaining("input-per-million must be at least 0");
        assertThatThrownBy(() -> bind(environment(new MapPropertySource("test", Map.of(
                "transcript.pricing.models[gpt-4o].input-per-million", "2.50")))))
                .isInstanceOf(BindException.class)
                .rootCause().hasMessageContaining("output-per-million must be set");
        assertThatThrownBy(() -> bind(environment(new MapPropertySource("test", Map.of(
                "transcript.pricing.currency", "usd")))))
                .isInstanceOf(BindException.class)
                .rootCause().hasMessageContaining("ISO 4217");
        assertThatThrownBy(() -> bind(environment(new MapPropertySource("test", Map.of(
                "transcript.pricing.currency", "ABC")))))
                .isInstanceOf(BindException.class)
                .rootCause().hasMessageContaining("ISO 4217");
    }

    @Test
    void a_cost_is_exact_and_canonical() {
        assertThat(price("2.50", "10.00").costOf(1_234, 567)).isEqualTo(new BigDecimal("0.008755"));
        assertThat(price("0.15", "0.60").costOf(1, 0)).isEqualTo(new BigDecimal("0.00000015"));
        assertThat(price("3.00", "15.00").costOf(1_000_000, 1_000_000)).isEqualTo(new BigDecimal("18"));
        assertThat(price("3.00", "15.00").costOf(0, 0)).isEqualTo(BigDecimal.ZERO);
        assertThat(price("0.1", "0.2").costOf(3, 0)).isEqualTo(new BigDecimal("0.0000003"));
    }

    private static PriceList bind(StandardEnvironment environment) {
        return Binder.get(environment).bindOrCreate("transcript.pricing", Bindable.of(PriceList.class));
    }

    private static StandardEnvironment environment(PropertySource<?> source) {
        StandardEnvironment environment = new StandardEnvironment();
        environment.getPropertySources().remove(StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME);
        environment.getPropertySources().remove(StandardEnvironment.SYSTEM_PROPERTIES_PROPERTY_SOURCE_NAME);
        environment.getPropertySources().addLast(source);
        return environment;
    }

    private static PropertySource<?> shippedConfiguration() throws IOException {
        return new YamlPropertySourceLoader().load("application.yml", new ClassPathResource("application.yml"))
                .getFirst();
    }

    private static Price price(String inputPerMillion, String outputPerMillion) {
        return new Price(new BigDecimal(inputPerMillion), new BigDecimal(outputPerMillion));
    }
}

package dev.transcript.command.pricing;

import dev.transcript.events.session.TokenUsageRecorded;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

import java.util.Currency;
import java.util.Map;
import java.util.Optional;

/**
 * The prices of the models Transcript knows, in one currency ({@code transcript.pricing} in application.yml):
 * a token charge is priced by the list in force when it is recorded, and its event keeps those prices and the
 * cost, so a later change of this list never re-prices a recorded charge.
 *
 * <p>Every price has at most 4 decimal places and is small enough that the largest charge accepted costs less
 * than 10 integer digits hold (see {@link PriceLimits}): any other price is refused as the list binds, so the
 * service does not start with a price whose charges the read models could not keep exactly.
 *
 * <p>A model is looked up by its exact name. A model not listed has no price: its charges are recorded with
 * the cost unknown, never refused, never guessed.
 *
 * @param currency the ISO 4217 code every price here is in, USD when not set
 * @param models   model name → its price; a name with a dot is a bracketed key, {@code "[claude-haiku-3.5]"}
 */
@ConfigurationProperties("transcript.pricing")
public record PriceList(@DefaultValue(TokenUsageRecorded.DEFAULT_CURRENCY) String currency, Map<String, Price> models) {

    public PriceList {
        currency = currency == null ? TokenUsageRecorded.DEFAULT_CURRENCY : currency;
        if (!currency.matches("[A-Z]{3}") || !isIsoCurrency(currency)) {
            throw new IllegalArgumentException("transcript.pricing.currency must be an ISO 4217 code such as USD, not "
                    + currency);
        }
        models = models == null ? Map.of() : Map.copyOf(models);
        models.forEach(PriceLimits::check);
    }

    /** The model's price, or nothing when the model has none. */
    public Optional<Price> priceOf(String model) {
        return Optional.ofNullable(models.get(model));
    }

    private static boolean isIsoCurrency(String code) {
        try {
            Currency.getInstance(code);
            return true;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }
}

package dev.transcript.command.pricing;

import dev.transcript.command.usage.RecordTokenUsage;

import java.math.BigDecimal;

/**
 * What a configured price may be so that every charge it prices has a cost the read models keep exactly. The
 * chat read model keeps a cost as {@code NUMERIC(20, 10)}: 10 decimal places and 10 integer digits, and it
 * parks a charge whose cost does not fit rather than round it. A recorded charge is never re-priced, so a price
 * that could give such a cost is refused when the price list binds: the service does not start with it.
 */
final class PriceLimits {

    /** A cost has its price's decimals + 6 (prices are per million tokens); 4 + 6 is the column's 10. */
    static final int MAX_DECIMALS = 4;
    private static final int COST_INTEGER_DIGITS = 10;

    private PriceLimits() {
    }

    static void check(String model, Price price) {
        checkDecimals(model, "input-per-million", price.inputPerMillion());
        checkDecimals(model, "output-per-million", price.outputPerMillion());
        checkDearestCharge(model, price);
    }

    private static void checkDecimals(String model, String name, BigDecimal amount) {
        if (amount.scale() > MAX_DECIMALS) {
            throw new IllegalArgumentException(property(model) + "." + name + " is " + amount.toPlainString()
                    + ": a price may have at most " + MAX_DECIMALS + " decimal places, since a charge's cost has 6"
                    + " more (prices are per million tokens) and the read models keep a cost to 10");
        }
    }

    /** The largest charge the command accepts, at this price, must cost less than 10 integer digits hold. */
    private static void checkDearestCharge(String model, Price price) {
        int most = RecordTokenUsage.MAX_TOKENS;
        BigDecimal cost = price.costOf(most, most);
        if (cost.precision() - cost.scale() > COST_INTEGER_DIGITS) {
            throw new IllegalArgumentException(property(model) + " prices " + price.inputPerMillion().toPlainString()
                    + " and " + price.outputPerMillion().toPlainString() + " per million tokens: the largest charge"
                    + " accepted (" + most + " input and " + most + " output tokens) would cost "
                    + cost.toPlainString() + ", more than the " + COST_INTEGER_DIGITS
                    + " integer digits the read models keep a cost to");
        }
    }

    private static String property(String model) {
        return "transcript.pricing.models[" + model + "]";
    }
}

package dev.transcript.command.pricing;

import java.math.BigDecimal;
import java.util.Objects;

/**
 * What a model costs per million tokens read and per million written, in its price list's currency.
 *
 * <p>Amounts are exact decimals in one canonical form: trailing zeros stripped, never in exponent form
 * ({@code 2.50} becomes {@code 2.5}, {@code 15000} stays {@code 15000}). So two equal amounts are equal records
 * however the configuration spelled them, and each has exactly one JSON spelling.
 *
 * @param inputPerMillion  the price of a million input (prompt) tokens, at least 0
 * @param outputPerMillion the price of a million output (completion) tokens, at least 0
 */
public record Price(BigDecimal inputPerMillion, BigDecimal outputPerMillion) {

    private static final int TOKENS_PER_PRICE = 6; // prices are per 10^6 tokens

    public Price {
        inputPerMillion = amount(inputPerMillion, "input-per-million");
        outputPerMillion = amount(outputPerMillion, "output-per-million");
    }

    /**
     * {@code (inputTokens × inputPerMillion + outputTokens × outputPerMillion) / 1,000,000}, exactly: only
     * multiplication, addition and a shift of the decimal point, so nothing is ever rounded.
     */
    public BigDecimal costOf(long inputTokens, long outputTokens) {
        BigDecimal perMillion = BigDecimal.valueOf(inputTokens).multiply(inputPerMillion)
                .add(BigDecimal.valueOf(outputTokens).multiply(outputPerMillion));
        return canonical(perMillion.movePointLeft(TOKENS_PER_PRICE));
    }

    private static BigDecimal amount(BigDecimal amount, String name) {
        Objects.requireNonNull(amount, () -> name + " must be set");
        if (amount.signum() < 0) {
            throw new IllegalArgumentException(name + " must be at least 0, not " + amount.toPlainString());
        }
        return canonical(amount);
    }

    /** Stripped of trailing zeros, but with a scale of at least 0: 1.5E+4 would be exact but is no way to write 15000. */
    static BigDecimal canonical(BigDecimal amount) {
        BigDecimal stripped = amount.stripTrailingZeros();
        return stripped.scale() < 0 ? stripped.setScale(0) : stripped;
    }
}

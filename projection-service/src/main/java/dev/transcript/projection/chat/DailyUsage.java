package dev.transcript.projection.chat;

import org.springframework.jdbc.core.RowMapper;

import java.math.BigDecimal;
import java.time.LocalDate;

/**
 * The caller's charges of one UTC day, model and currency.
 *
 * @param charges         how many charges
 * @param unpricedCharges how many of them have no known cost (the model had no price): counted, not in {@code cost}
 * @param cost            the exact sum of the known costs, in {@code currency}, as a decimal string (a JSON number
 *                        would be read into a binary floating point by many clients); "0" when none is known
 */
record DailyUsage(LocalDate day, String model, String currency, long inputTokens, long outputTokens,
                  long totalTokens, long charges, long unpricedCharges, String cost) {

    static final RowMapper<DailyUsage> ROW = (row, n) -> new DailyUsage(
            row.getObject("day", LocalDate.class),
            row.getString("model"),
            row.getString("currency"),
            row.getLong("input_tokens"),
            row.getLong("output_tokens"),
            row.getLong("total_tokens"),
            row.getLong("charges"),
            row.getLong("unpriced_charges"),
            plain(row.getBigDecimal("cost")));

    /** Exact, without an exponent and without the column's trailing zeros: 0.0012500000 → "0.00125". */
    static String plain(BigDecimal cost) {
        return cost.signum() == 0 ? "0" : cost.stripTrailingZeros().toPlainString();
    }
}

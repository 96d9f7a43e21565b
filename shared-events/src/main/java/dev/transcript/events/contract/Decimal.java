package dev.transcript.events.contract;

import com.fasterxml.jackson.databind.JsonNode;

import java.math.BigDecimal;
import java.util.List;

/**
 * {@code "decimal": {"precision": p, "scale": s}}: the number fits SQL's {@code NUMERIC(p, s)} exactly, at most s
 * digits after the point and p − s before it. A read model that rounded it would keep another number than the event
 * says (a cost, a price, a CPU limit), and one past the integer digits cannot be stored at all.
 */
final class Decimal extends InstanceKeyword {

    Decimal() {
        super("decimal");
    }

    @Override
    Problem problem(JsonNode limit, JsonNode instance) {
        if (!instance.isNumber()) {
            return null;
        }
        int precision = limit.path("precision").asInt();
        int scale = limit.path("scale").asInt();
        // A double is read as it was written (its shortest form), never as its binary expansion.
        BigDecimal value = (instance.isDouble() || instance.isFloat()
                ? BigDecimal.valueOf(instance.doubleValue()) : instance.decimalValue()).stripTrailingZeros();
        int decimals = Math.max(value.scale(), 0);
        int integerDigits = value.precision() - value.scale();
        if (decimals > scale) {
            return new Problem(List.of(), "has " + decimals + " decimal places, more than " + scale);
        }
        if (integerDigits > precision - scale) {
            return new Problem(List.of(), "has " + integerDigits + " digits before the point, more than "
                    + (precision - scale));
        }
        return null;
    }
}

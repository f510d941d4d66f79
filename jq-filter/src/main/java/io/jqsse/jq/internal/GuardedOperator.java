package io.jqsse.jq.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import net.thisptr.jackson.jq.exception.JsonQueryException;
import net.thisptr.jackson.jq.internal.operators.BinaryOperator;

/**
 * Wraps a jq binary operator: counts a step, and refuses before computing it a result that would be
 * too large ({@code "x" * 1e9} string repetition, {@code +} doubling strings or arrays in a loop).
 */
final class GuardedOperator implements BinaryOperator {

    private final BinaryOperator delegate;

    GuardedOperator(BinaryOperator delegate) {
        this.delegate = delegate;
    }

    @Override
    public JsonNode apply(ObjectMapper mapper, JsonNode lhs, JsonNode rhs) throws JsonQueryException {
        Budget.step(1);
        Budget budget = Budget.current();
        if (budget != null) {
            precheck(budget, lhs, rhs);
        }
        JsonNode result = delegate.apply(mapper, lhs, rhs);
        Budget.checkValue(result);
        Budget.checkConstructed(result);
        return result;
    }

    private void precheck(Budget budget, JsonNode lhs, JsonNode rhs) {
        String image = delegate.image();
        if ("*".equals(image)) {
            if (lhs.isTextual() && rhs.isNumber()) {
                budget.checkBytes(repeatedLength(lhs, rhs));
            } else if (rhs.isTextual() && lhs.isNumber()) {
                budget.checkBytes(repeatedLength(rhs, lhs));
            }
        } else if ("+".equals(image)) {
            if (lhs.isTextual() && rhs.isTextual()) {
                budget.checkBytes((long) lhs.textValue().length() + rhs.textValue().length());
            } else if (lhs.isContainerNode() && rhs.isContainerNode()) {
                budget.checkElements((long) lhs.size() + rhs.size());
            }
        }
    }

    private static long repeatedLength(JsonNode text, JsonNode times) {
        double n = times.asDouble();
        if (!(n > 0)) {
            return 0;
        }
        double length = text.textValue().length() * Math.ceil(n);
        return length >= Long.MAX_VALUE ? Long.MAX_VALUE : (long) length;
    }

    @Override
    public String image() {
        return delegate.image();
    }
}

package io.jqsse.jq.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import net.thisptr.jackson.jq.exception.JsonQueryException;
import net.thisptr.jackson.jq.internal.operators.BinaryOperator;

/**
 * Wraps a jq binary operator: counts a step, and refuses before computing it a result that would be
 * too large ({@code "x" * 1e9} string repetition, {@code +} doubling strings or arrays in a loop).
 * {@code +} copies both sides, so it also counts their lengths or sizes (a {@code reduce}
 * concatenating into its state is quadratic, and is cut as such), and array {@code -} compares every
 * pair; the result's size counting shared subtrees is derived from the operands' (see
 * {@link Budget#checkSum}). An operator with a container operand (deep equality, comparison, merge)
 * checks the deadline after computing.
 */
final class GuardedOperator implements BinaryOperator {

    /** Elements copied (or compared, for array {@code -}) that count as one step. */
    private static final int COPIES_PER_STEP = 8;

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
        if (lhs.isContainerNode() || rhs.isContainerNode()) {
            Budget.checkDeadline();
        }
        Budget.checkValue(result);
        if ("+".equals(delegate.image())) {
            Budget.checkSum(lhs, rhs, result);
        } else {
            Budget.checkConstructed(result);
        }
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
                long length = (long) lhs.textValue().length() + rhs.textValue().length();
                budget.checkBytes(length);
                BuiltinCosts.charge(length / BuiltinCosts.CHARS_PER_STEP);
            } else if (lhs.isContainerNode() && rhs.isContainerNode()) {
                long elements = (long) lhs.size() + rhs.size();
                budget.checkElements(elements);
                BuiltinCosts.charge(elements / COPIES_PER_STEP);
            }
        } else if ("-".equals(image) && lhs.isArray() && rhs.isArray()) {
            BuiltinCosts.charge((long) lhs.size() * rhs.size() / COPIES_PER_STEP);
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

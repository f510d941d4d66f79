package io.jqsse.jq.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import java.lang.reflect.Field;
import net.thisptr.jackson.jq.Expression;
import net.thisptr.jackson.jq.PathOutput;
import net.thisptr.jackson.jq.Scope;
import net.thisptr.jackson.jq.exception.JsonQueryException;
import net.thisptr.jackson.jq.internal.tree.ArrayConstruction;
import net.thisptr.jackson.jq.internal.tree.ObjectConstruction;
import net.thisptr.jackson.jq.internal.tree.ThisObject;
import net.thisptr.jackson.jq.internal.tree.fieldaccess.BracketFieldAccess;
import net.thisptr.jackson.jq.path.Path;

/**
 * Wraps one node of a compiled jq expression: counts a step per application and per output (and,
 * for a slice {@code .[i:j]}, which copies, a step per {@value #COPIES_PER_STEP} elements of its
 * result), and checks each output's shallow size (and, for array and object constructions, its size
 * counting shared subtrees, see {@link Budget#checkConstructed}) and, in path mode (assignments,
 * {@code path(f)}), that no array index would pad an array beyond the budget.
 */
final class GuardedExpression implements Expression {

    private static final String LITERALS = "net.thisptr.jackson.jq.internal.tree.literal.";

    /** Elements of a slice's result that count as one step (a slice copies them). */
    private static final int COPIES_PER_STEP = 8;

    private final Expression delegate;
    private final boolean constructs;
    private final boolean slices;

    private GuardedExpression(Expression delegate) {
        this.delegate = delegate;
        this.constructs = delegate instanceof ArrayConstruction || delegate instanceof ObjectConstruction;
        this.slices = delegate instanceof BracketFieldAccess && isRange((BracketFieldAccess) delegate);
    }

    private static boolean isRange(BracketFieldAccess access) {
        try {
            Field range = BracketFieldAccess.class.getDeclaredField("isRange");
            range.setAccessible(true);
            return range.getBoolean(access);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("jackson-jq tree: BracketFieldAccess.isRange (expected: a readable field)", e);
        }
    }

    /**
     * {@code e} wrapped, except for leaves that jackson-jq itself tests by class (literals, which it
     * casts to {@code StringLiteral} in object patterns, and {@code .}, which field access tests for):
     * they cost a constant and generate one value, so counting them adds nothing.
     */
    static Expression wrap(Expression e) {
        if (e == null || e instanceof GuardedExpression || e instanceof ThisObject
                || e.getClass().getName().startsWith(LITERALS)) {
            return e;
        }
        return new GuardedExpression(e);
    }

    @Override
    public void apply(Scope scope, JsonNode in, Path path, PathOutput output, boolean requirePath)
            throws JsonQueryException {
        Budget.step(1);
        delegate.apply(scope, in, path, (value, valuePath) -> {
            Budget.step(1);
            Budget.checkValue(value);
            if (constructs) {
                Budget.checkConstructed(value);
            } else if (slices && value != null) {
                BuiltinCosts.charge(value.isTextual() ? value.textValue().length() / BuiltinCosts.CHARS_PER_STEP
                        : value.size() / COPIES_PER_STEP);
            }
            if (valuePath != null && requirePath) {
                checkIndices(valuePath);
            }
            output.emit(value, valuePath);
        }, requirePath);
    }

    private static void checkIndices(Path path) throws JsonQueryException {
        Budget budget = Budget.current();
        if (budget == null) {
            return;
        }
        ArrayNode segments = JsonNodeFactory.instance.arrayNode();
        path.toJsonNode(segments);
        for (JsonNode segment : segments) {
            if (segment.isNumber()) {
                budget.checkElements((long) Math.abs(segment.asDouble()));
            }
        }
    }

    @Override
    public String toString() {
        return delegate.toString();
    }
}

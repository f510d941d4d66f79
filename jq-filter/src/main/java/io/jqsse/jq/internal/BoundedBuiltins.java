package io.jqsse.jq.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.TextNode;
import java.io.IOException;
import java.util.List;
import net.thisptr.jackson.jq.Expression;
import net.thisptr.jackson.jq.Function;
import net.thisptr.jackson.jq.PathOutput;
import net.thisptr.jackson.jq.Scope;
import net.thisptr.jackson.jq.Version;
import net.thisptr.jackson.jq.exception.JsonQueryException;
import net.thisptr.jackson.jq.internal.misc.JsonNodeUtils;
import net.thisptr.jackson.jq.path.Path;

/**
 * Replacements for jackson-jq builtins that could run or allocate without bound: {@code range} counts
 * a step per generated number, {@code tojson}/{@code tostring} serialize within the size bound, and
 * {@code setpath} refuses indices that would pad an array beyond the budget. Every builtin is also
 * wrapped by {@link #counting} so that each call, including the recursive ones inside jq-defined
 * builtins, counts a step and checks the deadline before and after it runs.
 */
final class BoundedBuiltins {

    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private BoundedBuiltins() {
    }

    /** {@code delegate} counting a step per call and checking the deadline before and after it. */
    static Function counting(Function delegate) {
        return (scope, args, in, path, output, version) -> {
            Budget.step(1);
            Budget.checkDeadline();
            delegate.apply(scope, args, in, path, output, version);
            Budget.checkDeadline();
        };
    }

    static Function range(int arity) {
        return (scope, args, in, path, output, version) -> {
            Budget.step(1);
            if (arity == 1) {
                args.get(0).apply(scope, in, upto -> emitRange(output, NODES.numberNode(0), upto, NODES.numberNode(1)));
            } else {
                args.get(0).apply(scope, in, from -> args.get(1).apply(scope, in, upto -> {
                    if (arity == 2) {
                        emitRange(output, from, upto, NODES.numberNode(1));
                    } else {
                        args.get(2).apply(scope, in, by -> emitRange(output, from, upto, by));
                    }
                }));
            }
        };
    }

    private static void emitRange(PathOutput output, JsonNode from, JsonNode upto, JsonNode by)
            throws JsonQueryException {
        if (!from.isNumber() || !upto.isNumber() || !by.isNumber()) {
            throw new JsonQueryException("Range bounds must be numeric");
        }
        double start = from.asDouble();
        double end = upto.asDouble();
        double step = by.asDouble();
        if (step == 0 || Double.isNaN(step)) {
            return;
        }
        for (double x = start; step > 0 ? x < end : x > end; x += step) {
            Budget.step(1);
            output.emit(JsonNodeUtils.asNumericNode(x), null);
        }
    }

    static Function toJson() {
        return (scope, args, in, path, output, version) -> {
            Budget.step(1);
            output.emit(TextNode.valueOf(serialize(scope, in)), null);
        };
    }

    static Function toStringFunction() {
        return (scope, args, in, path, output, version) -> {
            Budget.step(1);
            output.emit(in.isTextual() ? in : TextNode.valueOf(serialize(scope, in)), null);
        };
    }

    private static String serialize(Scope scope, JsonNode in) throws JsonQueryException {
        io.jqsse.jq.FilterLimits limits = Budget.currentLimits();
        long max = limits == null ? Long.MAX_VALUE : limits.maxOutputBytes();
        try {
            return BoundedJson.write(scope.getObjectMapper(), in, max);
        } catch (IOException e) {
            throw new JsonQueryException(e);
        }
    }

    static Function setPath(Function delegate) {
        return new Function() {
            @Override
            public void apply(Scope scope, List<Expression> args, JsonNode in, Path path, PathOutput output,
                              Version version) throws JsonQueryException {
                Budget.step(1);
                Budget budget = Budget.current();
                if (budget != null) {
                    args.get(0).apply(scope, in, p -> {
                        for (JsonNode segment : p) {
                            if (segment.isNumber()) {
                                budget.checkElements((long) Math.abs(segment.asDouble()));
                            }
                        }
                    });
                }
                delegate.apply(scope, args, in, path, output, version);
            }
        };
    }
}

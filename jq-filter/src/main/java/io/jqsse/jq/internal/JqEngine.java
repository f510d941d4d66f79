package io.jqsse.jq.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.jqsse.jq.FilterSyntaxException;
import java.lang.reflect.Field;
import java.util.ArrayList;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import net.thisptr.jackson.jq.BuiltinFunctionLoader;
import net.thisptr.jackson.jq.Expression;
import net.thisptr.jackson.jq.Function;
import net.thisptr.jackson.jq.JsonQuery;
import net.thisptr.jackson.jq.Output;
import net.thisptr.jackson.jq.Scope;
import net.thisptr.jackson.jq.Version;
import net.thisptr.jackson.jq.Versions;
import net.thisptr.jackson.jq.exception.JsonQueryException;
import net.thisptr.jackson.jq.internal.JsonQueryFunction;

/**
 * The guarded jackson-jq runtime: one builtin scope (jq 1.7 builtins, every one counting steps and
 * checking the deadline around its call, the expensive Java ones counting their cost first (see
 * {@link BuiltinCosts}), the jq-defined ones guarded inside like client filters, the unbounded and
 * the quadratic ones replaced), compilation with compile-time function resolution and refusals,
 * and evaluation within the thread's open {@link Budget}. Thread-safe; compiled queries are shared.
 */
public final class JqEngine {

    /** The jq language version compiled against: the newest jackson-jq 1.6.0 has. */
    public static final Version VERSION = Versions.JQ_1_7;

    private static final Pattern LINE_COLUMN = Pattern.compile("line (\\d+), column (\\d+)");
    private static final Scope ROOT = buildRoot();

    private JqEngine() {
    }

    private static Scope buildRoot() {
        Scope root = Scope.newEmptyScope();
        BuiltinFunctionLoader.getInstance().loadFunctions(VERSION, root);
        for (Map.Entry<String, Function> e : new ArrayList<>(root.getLocalFunctions().entrySet())) {
            String key = e.getKey();
            int slash = key.lastIndexOf('/');
            if (slash > 0) {
                Function builtin = e.getValue();
                if (builtin instanceof JsonQueryFunction) {
                    instrumentBody((JsonQueryFunction) builtin);
                }
                root.addFunction(key.substring(0, slash), Integer.parseInt(key.substring(slash + 1)),
                        BoundedBuiltins.counting(BuiltinCosts.costed(key, builtin)));
            }
        }
        replaceUnbounded(root);
        return root;
    }

    private static void replaceUnbounded(Scope root) {
        for (int arity = 1; arity <= 3; arity++) {
            replace(root, "range", arity, BoundedBuiltins.range(arity));
        }
        replace(root, "tojson", 0, BoundedBuiltins.toJson());
        replace(root, "tostring", 0, BoundedBuiltins.toStringFunction());
        replace(root, "_match_impl", 3, BoundedRegex.match(root.getFunction("_match_impl", 3)));
        replace(root, "_sub_impl", 3, BoundedRegex.sub(root.getFunction("_sub_impl", 3)));
        replace(root, "setpath", 2, BoundedBuiltins.setPath(root.getFunction("setpath", 2)));
        replace(root, "add", 0, LinearBuiltins.add(root.getFunction("add", 0)));
        replace(root, "ascii_downcase", 0, LinearBuiltins.asciiCase(false, root.getFunction("ascii_downcase", 0)));
        replace(root, "ascii_upcase", 0, LinearBuiltins.asciiCase(true, root.getFunction("ascii_upcase", 0)));
        replace(root, "join", 1, LinearBuiltins.join(root.getFunction("join", 1)));
        replace(root, "_flatten", 1, LinearBuiltins.flatten(root.getFunction("_flatten", 1)));
        replace(root, "_nwise", 2, LinearBuiltins.chunks(root.getFunction("_nwise", 2)));
    }

    /** Replaces a builtin; the replacement checks the deadline around its calls like every other. */
    private static void replace(Scope root, String name, int arity, Function replacement) {
        root.addFunction(name, arity, BoundedBuiltins.counting(replacement));
    }

    /**
     * Guards the body of a builtin written in jq ({@code map}, {@code walk}, {@code flatten}, ...) like
     * a client filter's tree, so that the operators and steps inside it count and check the deadline.
     */
    private static void instrumentBody(JsonQueryFunction function) {
        try {
            Field body = JsonQueryFunction.class.getDeclaredField("body");
            body.setAccessible(true);
            body.set(function, JqGuard.instrument((Expression) body.get(function)));
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("jackson-jq: JsonQueryFunction.body (expected: a writable field)", e);
        }
    }

    /** The object mapper jackson-jq serializes with. */
    public static ObjectMapper mapper() {
        return ROOT.getObjectMapper();
    }

    /**
     * Compiles {@code text} (plain jq) and guards it.
     *
     * @param shown  the text to show in error messages (the client's filter)
     * @param offset added to positions (where {@code text} starts inside {@code shown})
     * @throws FilterSyntaxException for an unknown or a refused function; a {@link JqParseException}
     *                               for a syntax error
     */
    public static JsonQuery compile(String text, String shown, int offset) {
        JsonQuery query;
        try {
            query = JsonQuery.compile(text, VERSION);
        } catch (JsonQueryException e) {
            throw syntaxError(text, shown, offset, e);
        }
        try {
            Field expr = JsonQuery.class.getDeclaredField("expr");
            expr.setAccessible(true);
            expr.set(query, JqGuard.guard((Expression) expr.get(query), text, shown, ROOT));
        } catch (FilterSyntaxException e) {
            if (offset == 0 || e instanceof JqParseException) {
                throw e;
            }
            throw new FilterSyntaxException(e.getMessage().replace("at position " + e.position(),
                    "at position " + (e.position() + offset)), e.position() + offset);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("jackson-jq: JsonQuery.expr (expected: a readable field)", e);
        }
        return query;
    }

    /** Runs {@code query} on {@code in}, within the thread's open budget. Never mutates {@code in}. */
    public static void run(JsonQuery query, JsonNode in, Output output) throws JsonQueryException {
        query.apply(Scope.newChildScope(ROOT), in, output);
    }

    private static JqParseException syntaxError(String text, String shown, int offset, JsonQueryException e) {
        Throwable cause = e.getCause() == null ? e : e.getCause();
        String detail = String.valueOf(cause.getMessage());
        int position = text.length();
        Matcher m = LINE_COLUMN.matcher(detail);
        if (detail.contains("\"<EOF>\"")) {
            position = text.length();
        } else if (m.find()) {
            position = offsetOf(text, Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2)));
        }
        String first = detail.lines().findFirst().orElse(detail).replaceAll("\\s*at line \\d+, column \\d+\\.?", "");
        int at = position + offset;
        return new JqParseException("filter: " + shown + " (expected: valid jq at position " + at + ", "
                + first.strip() + ")", at);
    }

    private static int offsetOf(String text, int line, int column) {
        int offset = 0;
        for (int l = 1; l < line; l++) {
            int nl = text.indexOf('\n', offset);
            if (nl < 0) {
                return text.length();
            }
            offset = nl + 1;
        }
        return Math.max(0, Math.min(text.length(), offset + column - 1));
    }
}

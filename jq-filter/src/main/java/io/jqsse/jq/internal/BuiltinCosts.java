package io.jqsse.jq.internal;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.ToLongFunction;
import net.thisptr.jackson.jq.Expression;
import net.thisptr.jackson.jq.Function;
import net.thisptr.jackson.jq.Scope;
import net.thisptr.jackson.jq.exception.JsonQueryException;

/**
 * What a call of a jackson-jq Java builtin costs, in steps, counted before the call runs: one step
 * cannot stand for sorting 200 000 elements or splitting a megabyte into characters, and the clock
 * is only read between steps. Sorts count {@code n log n}, linear scans {@code n} (or {@code n / 64}
 * for bulk character work), substring searches {@code n m / 64}. A call whose cost exceeds the steps
 * left fails before it starts.
 */
final class BuiltinCosts {

    /** Characters of bulk string work (copying, scanning) that count as one step. */
    static final int CHARS_PER_STEP = 64;

    private static final Map<String, ToLongFunction<JsonNode>> BY_INPUT = Map.ofEntries(
            Map.entry("sort_by/1", BuiltinCosts::sort),
            Map.entry("group_by/1", BuiltinCosts::sort),
            Map.entry("keys/0", in -> in.isObject() ? sort(in) : size(in)),
            Map.entry("keys_unsorted/0", BuiltinCosts::size),
            Map.entry("to_entries/0", BuiltinCosts::size),
            Map.entry("from_entries/0", BuiltinCosts::size),
            Map.entry("min_by/1", BuiltinCosts::size),
            Map.entry("max_by/1", BuiltinCosts::size),
            Map.entry("reverse/0", in -> in.isTextual() ? chars(in) : size(in)),
            Map.entry("implode/0", BuiltinCosts::size),
            Map.entry("explode/0", in -> in.isTextual() ? in.textValue().length() : 0),
            Map.entry("fromjson/0", BuiltinCosts::chars),
            Map.entry("utf8bytelength/0", BuiltinCosts::chars),
            Map.entry("ltrimstr/1", BuiltinCosts::chars),
            Map.entry("rtrimstr/1", BuiltinCosts::chars),
            Map.entry("@base64/0", BuiltinCosts::chars),
            Map.entry("@base64d/0", BuiltinCosts::chars),
            Map.entry("@html/0", BuiltinCosts::chars),
            Map.entry("@uri/0", BuiltinCosts::chars),
            Map.entry("@sh/0", in -> in.isTextual() ? chars(in) : size(in)),
            Map.entry("@csv/0", BuiltinCosts::size),
            Map.entry("@tsv/0", BuiltinCosts::size));

    /** Builtins that search their argument in their input: the cost depends on both. */
    private static final Map<String, Boolean> SEARCHES = Map.of(
            "contains/1", true, "indices/1", true, "index/1", true, "rindex/1", true, "split/1", true);

    private BuiltinCosts() {
    }

    /** {@code delegate} (the builtin {@code key}, "name/arity") with its cost counted first, if it has one. */
    static Function costed(String key, Function delegate) {
        ToLongFunction<JsonNode> byInput = BY_INPUT.get(key);
        if (byInput != null) {
            return (scope, args, in, path, output, version) -> {
                charge(byInput.applyAsLong(in));
                delegate.apply(scope, args, in, path, output, version);
            };
        }
        if (SEARCHES.containsKey(key)) {
            return (scope, args, in, path, output, version) -> {
                for (JsonNode needle : values(scope, args.get(0), in)) {
                    charge(search(in, needle));
                    if (key.equals("split/1")) {
                        charge(parts(in, needle));
                    }
                }
                delegate.apply(scope, args, in, path, output, version);
            };
        }
        return delegate;
    }

    /** Counts {@code steps} (capped just past the bound, so that huge costs cannot overflow the count). */
    static void charge(long steps) {
        long remaining = Budget.remainingSteps();
        if (remaining != Long.MAX_VALUE && steps > 0) {
            Budget.step(Math.min(steps, remaining + 1));
        }
    }

    static long sort(JsonNode in) {
        long n = in.isContainerNode() ? in.size() : 0;
        return n < 2 ? n : n * (64 - Long.numberOfLeadingZeros(n - 1));
    }

    static long size(JsonNode in) {
        return in.isContainerNode() ? in.size() : 0;
    }

    static long chars(JsonNode in) {
        return in.isTextual() ? in.textValue().length() / CHARS_PER_STEP : 0;
    }

    /** A naive substring or subarray search: every position of the input against the whole needle. */
    private static long search(JsonNode in, JsonNode needle) {
        if (in.isTextual() && needle.isTextual()) {
            long n = in.textValue().length();
            long m = Math.max(1, needle.textValue().length());
            return Math.max(1, n * m / CHARS_PER_STEP);
        }
        if (in.isContainerNode() && needle.isContainerNode()) {
            return Math.max(1, (long) in.size() * Math.max(1, needle.size()));
        }
        return 1;
    }

    /** How many strings {@code split} would allocate: one per character for "", else one per separator + 1. */
    private static long parts(JsonNode in, JsonNode separator) {
        if (!in.isTextual() || !separator.isTextual()) {
            return 0;
        }
        String text = in.textValue();
        String sep = separator.textValue();
        if (sep.isEmpty()) {
            return text.codePointCount(0, text.length());
        }
        long parts = 1;
        for (int at = text.indexOf(sep); at >= 0; at = text.indexOf(sep, at + sep.length())) {
            parts++;
        }
        return parts;
    }

    private static List<JsonNode> values(Scope scope, Expression e, JsonNode in) throws JsonQueryException {
        List<JsonNode> out = new ArrayList<>();
        e.apply(scope, in, out::add);
        return out;
    }
}

package io.jqsse.jq;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import net.thisptr.jackson.jq.BuiltinFunctionLoader;
import net.thisptr.jackson.jq.JsonQuery;
import net.thisptr.jackson.jq.Scope;
import net.thisptr.jackson.jq.Versions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The guards change nothing about what a bounded filter computes: compare with plain jackson-jq. */
class GuardedSemanticsTest {

    private static final JsonNode DOCUMENT = Cases.json("{\"a\": [3, 1, 2], \"o\": {\"k\": \"v\", \"n\": null, "
            + "\"list\": [{\"id\": 1, \"t\": \"x\"}, {\"id\": 2, \"t\": \"y\"}, {\"id\": 3, \"t\": \"x\"}]}, "
            + "\"s\": \"Hello, World\", \"m\": [[1, 2], [3, 4]], \"f\": 1.5}");
    private static final Scope PLAIN = plainScope();

    private final FilterCompiler compiler = new FilterCompiler(FilterLimits.defaults());

    private static Scope plainScope() {
        Scope scope = Scope.newEmptyScope();
        BuiltinFunctionLoader.getInstance().loadFunctions(Versions.JQ_1_7, scope);
        return scope;
    }

    @ParameterizedTest
    @ValueSource(strings = {
        ".a | sort", ".a | map(. * 2) | add", "[.a[] | select(. > 1)]", ".o | keys", ".o | to_entries",
        ".o.list | group_by(.t) | map(length)", ".o.list | unique_by(.t) | map(.id)", ".o.list | min_by(.id)",
        ".m | transpose", ".m | flatten", "[.m[][]] | add", ".s | ascii_downcase", ".s | explode | implode",
        ".s | test(\"world\"; \"i\")", ".s | [match(\"o\"; \"g\").offset]", ".s | sub(\"World\"; \"jq\")",
        ".s | gsub(\"o\"; \"0\")", ".s | capture(\"(?<w>W\\\\w+)\")", ".s | split(\", \")", ".s | ltrimstr(\"Hello\")",
        ".a | tojson | fromjson", ".s | @base64 | @base64d", "[.a[] | tostring] | join(\"-\")", ".a | @csv",
        ".o.k | @html", ".s | @uri", ".a | contains([1])", ".a | inside([1, 2, 3, 4])", ".a | indices(1)",
        ".o | has(\"k\")", ".o.n // \"default\"", ".o | .n //= 5", ".a[1:]", ".a[-2:]", ".s[0:5]",
        ".a | .[1] += 10", ".o | del(.k)", ".o | with_entries(.value |= tostring)", ".o.list | map_values(.id)",
        "[paths] | length", "[leaf_paths] | length", "[.. | numbers] | add", "walk(if type == \"array\" then sort else . end)",
        "reduce .a[] as $x (0; . + $x)", "[foreach .a[] as $x (0; . + $x; [$x, .])]", ". as {a: [$first]} | $first",
        ".m[] as [$x, $y] | $x + $y", "[label $out | .a[] | if . == 1 then break $out else . end]",
        "[limit(2; .a[])]", "first(.a[])", "[.a[] | . as $v | try error(\"e\\($v)\") catch .]", "any(.a[]; . > 2)",
        "all(.a[]; . > 0)", "if .f > 1 then \"big\" elif .f > 0 then \"small\" else \"none\" end",
        "[.a[] | (. > 1) and (. < 3)]", "[range(0; 10; 3)]", "[.a[] | . % 2]", ".f | floor", "pow(2; 10)",
        "[.f, 4] | map(sqrt)", "\"\\(.a | length) items\"", "{(.o.k): .a}", "{a, s}", "[.o.list[] | {id}]",
        "path(..) | length", "[paths(type == \"number\")]", "getpath([\"o\", \"list\", 0, \"t\"])",
        "[splits(\"a\")?]", "[.a[] | tostring]", "[.o.list[] | select(.t == \"x\") | .id]", "infinite > 1e308",
        "nan | isnan", ".a | combinations? // 0", "[[1, 2], [3, 4]] | [combinations]", ".a | length as $n | $n * 2",
        "[.a[] | if . > 1 then . else empty end]", "@text \"v: \\(.o.k)\"", "[.a[] as $x | $x * $x]", ". as {$a} | $a", "{\"lit\": 1, (.o.k): 2, \"\\(.s)\": 3}", ".a as [$x, $y] | {$x, $y}", ".o | .[\"k\"]", ".\"o\".\"k\"", "{a: .a} | .a[0]", "@base64 \"\\(.s)\"", ". as $d | .o.list | map(.id + ($d.a | length))", ".o.list | map(select(.t == \"x\") | .id)", "[.a[] | {v: .}] | map(.v)", ".o as {k: $v, $n} | [$v, $n]", ".o.list as [$first, {id: $second}] | [$first.t, $second]"
    })
    void guardedEvaluationAgreesWithPlainJacksonJq(String text) throws Exception {
        List<JsonNode> plain = new ArrayList<>();
        boolean plainFailed = false;
        try {
            JsonQuery.compile(text, Versions.JQ_1_7).apply(Scope.newChildScope(PLAIN), DOCUMENT.deepCopy(), plain::add);
        } catch (Exception e) {
            plainFailed = true;
        }
        Filter filter;
        try {
            filter = compiler.compile(text);
        } catch (FilterSyntaxException e) {
            assertEquals(true, plainFailed, "refused only what plain jackson-jq cannot run: " + e.getMessage());
            return;
        }
        if (plainFailed) {
            return;
        }
        JsonNode expected = plain.size() == 1 ? plain.get(0) : JsonNodeFactory.instance.arrayNode().addAll(plain);
        assertEquals(expected, filter.view(DOCUMENT).value());
    }

    @Test
    void sharedFiltersEvaluateIndependentlyOnManyThreads() throws Exception {
        FilterCompiler patient = new FilterCompiler(new FilterLimits(60_000, FilterLimits.DEFAULT_MAX_OUTPUT_BYTES, 200_000));
        ComputedFilter sum = assertInstanceOf(ComputedFilter.class, patient.compile("[range(20000)] | add"));
        ComputedFilter runaway = assertInstanceOf(ComputedFilter.class, patient.compile("[range(1e9)] | length"));
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<Boolean>> results = new ArrayList<>();
            for (int i = 0; i < 16; i++) {
                boolean good = i % 2 == 0;
                results.add(pool.submit(() -> {
                    if (good) {
                        return sum.evaluate(DOCUMENT).asLong() == 199990000L;
                    }
                    try {
                        runaway.evaluate(DOCUMENT);
                        return false;
                    } catch (FilterEvaluationException expected) {
                        return true;
                    }
                }));
            }
            for (Future<Boolean> result : results) {
                assertEquals(true, result.get(30, TimeUnit.SECONDS));
            }
        } finally {
            pool.shutdownNow();
        }
    }
}

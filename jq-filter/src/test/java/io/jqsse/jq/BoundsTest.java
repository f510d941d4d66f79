package io.jqsse.jq;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import java.util.Collections;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

class BoundsTest {

    private static final JsonNode DOCUMENT = Cases.json(
            "{\"a\": [1, 2, 3], \"o\": {\"k\": \"v\", \"n\": [{\"x\": 1}]}, \"s\": \"text\"}");
    private final FilterCompiler compiler = new FilterCompiler(FilterLimits.defaults());

    static Stream<Arguments> cut() {
        return Cases.lines("cut.jsonl", "filter");
    }

    @ParameterizedTest
    @MethodSource("cut")
    void runawayEvaluationIsCutWithAnEvaluationError(JsonNode c) {
        ComputedFilter filter = assertInstanceOf(ComputedFilter.class, compiler.compile(c.get("filter").asText()));
        FilterEvaluationException e = assertThrows(FilterEvaluationException.class, () -> filter.evaluate(DOCUMENT));
        String bound = c.get("message").asText();
        boolean named = bound.equals("any") ? e.getMessage().contains(" exceeded its limits: ")
                : bound.equals("work")
                ? e.getMessage().contains("exceeded its limits: steps: ") || e.getMessage().contains("exceeded its limits: time: ")
                : e.getMessage().contains("exceeded its limits: " + bound + ": ");
        assertTrue(named, e.getMessage());
    }

    @Test
    void evaluationPastItsDeadlineIsCutEvenWithinTheStepBudget() {
        FilterCompiler slow = new FilterCompiler(new FilterLimits(20, FilterLimits.DEFAULT_MAX_OUTPUT_BYTES, Long.MAX_VALUE));
        ComputedFilter filter = (ComputedFilter) slow.compile("reduce range(1e12) as $i (0; . + 1)");
        FilterEvaluationException e = assertThrows(FilterEvaluationException.class, () -> filter.evaluate(DOCUMENT));
        assertTrue(e.getMessage().contains("time: more than 20 ms"), e.getMessage());
    }

    @Test
    void viewLargerThanTheOutputBoundIsAnEvaluationError() {
        FilterCompiler small = new FilterCompiler(new FilterLimits(1000, 16, 1000));
        ComputedFilter filter = (ComputedFilter) small.compile("[.a[], .a[], .a[], .a[], .a[]]");
        FilterEvaluationException e = assertThrows(FilterEvaluationException.class, () -> filter.evaluate(DOCUMENT));
        assertTrue(e.getMessage().contains("size: more than 16 bytes"), e.getMessage());
        assertEquals(Cases.json("[1,2,3]"), ((ComputedFilter) small.compile("[.a[]]")).evaluate(DOCUMENT));
    }

    @Test
    void jqTryCannotSwallowACutEvaluation() {
        ComputedFilter filter = (ComputedFilter) compiler.compile("[.[] | try ([range(1e9)] | length) catch \"caught\"]");
        assertThrows(FilterEvaluationException.class, () -> filter.evaluate(DOCUMENT));
    }

    @Test
    void jqRuntimeErrorIsAnEvaluationErrorNamingTheFilter() {
        ComputedFilter filter = (ComputedFilter) compiler.compile(".s + 1");
        FilterEvaluationException e = assertThrows(FilterEvaluationException.class, () -> filter.evaluate(DOCUMENT));
        assertTrue(e.getMessage().startsWith("filter: .s + 1 (expected: an evaluation without error"), e.getMessage());
    }

    @Test
    void selectConditionThatRunsAwayFailsThePathFilterInsteadOfCountingAsFalse() {
        PathFilter filter = (PathFilter) compiler.compile(".a[] | select([range(1e9)] | length > 0)");
        FilterEvaluationException e = assertThrows(FilterEvaluationException.class, () -> filter.locations(DOCUMENT));
        assertTrue(e.getMessage().contains(" exceeded its limits: "), e.getMessage());
        assertThrows(FilterEvaluationException.class, () -> filter.view(DOCUMENT));
        PathFilter ok = (PathFilter) compiler.compile(".a[] | select(. > 1)");
        assertEquals(2, ok.locations(DOCUMENT).size());
    }

    @Test
    void selectConditionWithAJqErrorStillCountsAsFalse() {
        PathFilter filter = (PathFilter) compiler.compile(".a[] | select(. == 2 or error(\"no\"))");
        assertEquals(List.of(List.of("a", 1)), filter.locations(DOCUMENT).stream().map(Location::path).toList());
    }

    @Test
    void budgetRunningOutMidWalkFailsTheWholeCallInsteadOfDroppingLaterMatches() {
        JsonNode items = Cases.json("{\"items\": [" + String.join(",", Collections.nCopies(2000,
                "{\"price\": 60}")) + "]}");
        PathFilter filter = (PathFilter) new FilterCompiler(new FilterLimits(60_000, FilterLimits.DEFAULT_MAX_OUTPUT_BYTES,
                5000)).compile(".items[] | select(.price > 50)");
        FilterEvaluationException e = assertThrows(FilterEvaluationException.class, () -> filter.locations(items));
        assertTrue(e.getMessage().contains("exceeded its limits: steps: "), e.getMessage());
        PathFilter roomy = (PathFilter) new FilterCompiler(new FilterLimits(60_000, FilterLimits.DEFAULT_MAX_OUTPUT_BYTES,
                100_000)).compile(".items[] | select(.price > 50)");
        assertEquals(2000, roomy.locations(items).size());
    }

    @Test
    void pathViewRepeatingDeepSubtreesIsBoundedByTheOutputSize() {
        JsonNode deep = Cases.json("\"" + "x".repeat(1000) + "\"");
        for (int i = 0; i < 200; i++) {
            deep = JsonNodeFactory.instance.objectNode().set("a", deep);
        }
        JsonNode document = deep;
        FilterCompiler small = new FilterCompiler(new FilterLimits(60_000, 64 * 1024, FilterLimits.DEFAULT_MAX_STEPS));
        for (String text : List.of("..", ".. | select(true)")) {
            FilterEvaluationException e = assertThrows(FilterEvaluationException.class,
                    () -> small.compile(text).view(document));
            assertTrue(e.getMessage().startsWith("view: more than 65536 bytes (expected: at most maxOutputBytes 65536"),
                    e.getMessage());
        }
        JsonNode shallow = Cases.json("{\"a\": {\"a\": \"" + "x".repeat(1000) + "\"}}");
        assertEquals(3, small.compile("..").view(shallow).value().size());
    }

    @ParameterizedTest
    @ValueSource(strings = {
        ".o.k |= ascii_upcase", ".a |= map(. * 10)", ".o += {z: 1}", "del(.o.n[0])", "delpaths([[\"a\", 0]])",
        "setpath([\"o\", \"n\", 0, \"x\"]; 9)", ".a | sort | reverse", ".o | to_entries", "with_entries(.value = 1)",
        "walk(if type == \"number\" then . + 1 else . end)", ".a[1] = 7", ".o.n[] |= (.y = 2)", "map_values(tostring)",
        "to_entries | from_entries", ".a += [4]", ". as $d | $d | .s = \"changed\"", "[paths] | length"
    })
    void evaluationNeverMutatesTheSharedDocument(String text) {
        JsonNode document = DOCUMENT.deepCopy();
        ((ComputedFilter) compiler.compile(text)).evaluate(document);
        assertEquals(DOCUMENT, document);
    }

    @Test
    void pathFilterViewsNeverMutateTheSharedDocument() {
        JsonNode document = DOCUMENT.deepCopy();
        for (String text : List.of(".a[]", ".. | select(. == 1)", ".o.n[x=1].x", ".missing.deep", ".a[-1]")) {
            compiler.compile(text).view(document);
        }
        assertEquals(DOCUMENT, document);
    }

    @Test
    void limitsAreValidatedAtTheEdge() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new FilterLimits(0, 1, 1));
        assertEquals("maxEvalMillis: 0 (expected: > 0)", e.getMessage());
        assertEquals(new FilterLimits(FilterLimits.DEFAULT_MAX_EVAL_MILLIS, FilterLimits.DEFAULT_MAX_OUTPUT_BYTES,
                FilterLimits.DEFAULT_MAX_STEPS), FilterLimits.defaults());
    }
}

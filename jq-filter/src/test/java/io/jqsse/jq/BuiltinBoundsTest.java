package io.jqsse.jq;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import net.thisptr.jackson.jq.BuiltinFunctionLoader;
import net.thisptr.jackson.jq.JsonQuery;
import net.thisptr.jackson.jq.Scope;
import net.thisptr.jackson.jq.Versions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Builtins cost what they do: the jq-defined ones count the steps inside their bodies, the expensive
 * Java ones count their cost before running, and the quadratic ones are linear. Every cut here is by
 * steps or size under a generous time budget, so none depends on the machine's speed.
 */
class BuiltinBoundsTest {

    private static final int WORDS = 20_000;
    private static final JsonNode DOCUMENT = document();
    private static final Scope PLAIN = plainScope();

    private static JsonNode document() {
        ObjectNode document = JsonNodeFactory.instance.objectNode();
        ArrayNode words = document.putArray("words");
        ArrayNode items = document.putArray("items");
        for (int i = 0; i < WORDS; i++) {
            words.add("w" + i);
            items.addObject().put("name", "n" + i).put("id", i);
        }
        document.put("big", "Ab".repeat(100_000));
        return document;
    }

    private static Scope plainScope() {
        Scope scope = Scope.newEmptyScope();
        BuiltinFunctionLoader.getInstance().loadFunctions(Versions.JQ_1_7, scope);
        return scope;
    }

    private static ComputedFilter computed(long maxSteps, String text) {
        FilterLimits limits = new FilterLimits(600_000, FilterLimits.DEFAULT_MAX_OUTPUT_BYTES, maxSteps);
        return (ComputedFilter) new FilterCompiler(limits).compile(text);
    }

    private static void assertCutBySteps(ComputedFilter filter) {
        FilterEvaluationException e = assertThrows(FilterEvaluationException.class, () -> filter.evaluate(DOCUMENT));
        assertTrue(e.getMessage().contains("exceeded its limits: steps: "), e.getMessage());
    }

    @Test
    void stepsInsideJqDefinedBuiltinBodiesCount() {
        assertCutBySteps(computed(30_000, ".words | map(.) | length"));
        assertCutBySteps(computed(30_000, ".words | map_values(.) | length"));
        assertEquals(WORDS, computed(1_000_000, ".words | map_values(.) | length").evaluate(DOCUMENT).asInt());
        assertEquals(WORDS, computed(5_000_000, ".items | walk(.) | length").evaluate(DOCUMENT).asInt());
        assertEquals(WORDS, computed(3 * WORDS, ".words | flatten | length").evaluate(DOCUMENT).asInt());
    }

    @Test
    void concatenatingIntoAnAccumulatorCountsTheCopies() {
        assertCutBySteps(computed(500_000, "reduce .words[] as $w (\"\"; . + $w) | length"));
        assertEquals(4, computed(500_000, "reduce .words[:2][] as $w (\"\"; . + $w) | length")
                .evaluate(DOCUMENT).asInt());
    }

    /** jq's own {@code add} would be cut here: each {@code +} would count the string copied so far. */
    @Test
    void addIsLinearInItsInput() {
        int length = 0;
        for (JsonNode word : DOCUMENT.get("words")) {
            length += word.textValue().length();
        }
        ComputedFilter strings = computed(3 * WORDS, ".words | add | length");
        assertEquals(length, strings.evaluate(DOCUMENT).asInt());
        ComputedFilter objects = computed(20 * WORDS, ".items | map({(.name): .id}) | add | length");
        assertEquals(WORDS, objects.evaluate(DOCUMENT).asInt());
        ComputedFilter arrays = computed(20 * WORDS, ".items | map([.id]) | add | length");
        assertEquals(WORDS, arrays.evaluate(DOCUMENT).asInt());
    }

    @Test
    void sortingCountsNLogNBeforeItRuns() {
        assertCutBySteps(computed(200_000, ".words | sort | length"));
        assertCutBySteps(computed(200_000, ".items | group_by(.id) | length"));
        assertCutBySteps(computed(200_000, ".words | unique | length"));
        assertEquals(WORDS, computed(2_000_000, ".words | sort | length").evaluate(DOCUMENT).asInt());
    }

    @Test
    void splittingIntoCharactersCountsEveryCharacter() {
        assertCutBySteps(computed(100_000, ".big | split(\"\") | length"));
        assertCutBySteps(computed(100_000, ".big | split(\"b\") | length"));
        assertEquals(100_001, computed(1_000_000, ".big | split(\"b\") | length").evaluate(DOCUMENT).asInt());
        assertCutBySteps(computed(100_000, ".big | explode | length"));
        assertEquals(100_001, computed(5_000_000, ".big | [splits(\"b\")] | length").evaluate(DOCUMENT).asInt());
    }

    @Test
    void searchingCountsInputTimesNeedle() {
        assertCutBySteps(computed(200_000, ".big | contains(.[0:5000])"));
        assertCutBySteps(computed(200_000, ".words | contains(.[0:100])"));
        assertEquals(true, computed(200_000, ".big | contains(\"bA\")").evaluate(DOCUMENT).asBoolean());
    }

    @Test
    void joinRefusesAResultLargerThanTheSizeBoundBeforeBuildingIt() {
        FilterLimits limits = new FilterLimits(600_000, 1024 * 1024, FilterLimits.DEFAULT_MAX_STEPS);
        ComputedFilter filter = (ComputedFilter) new FilterCompiler(limits)
                .compile(".big as $s | [range(1000) | $s] | join(\",\") | length");
        FilterEvaluationException e = assertThrows(FilterEvaluationException.class, () -> filter.evaluate(DOCUMENT));
        assertTrue(e.getMessage().contains("exceeded its limits: size: "), e.getMessage());
    }

    @ParameterizedTest
    @ValueSource(strings = {
        ".big as $s | [range(1000) | $s] | length", ".big as $s | [range(1000) | $s] | \"\\(.)\" | length",
        ".big as $s | [range(1000) | $s] | @csv | length", ".big as $s | reduce range(1000) as $i ([]; . + [$s]) | length",
        ".big as $s | [range(1000) | {a: $s}] | @base64 | length"
    })
    void valuesRepeatingALongStringAreBoundedByTheirCharacters(String text) {
        FilterLimits limits = new FilterLimits(600_000, 1024 * 1024, FilterLimits.DEFAULT_MAX_STEPS);
        ComputedFilter filter = (ComputedFilter) new FilterCompiler(limits).compile(text);
        FilterEvaluationException e = assertThrows(FilterEvaluationException.class, () -> filter.evaluate(DOCUMENT));
        assertTrue(e.getMessage().contains("exceeded its limits: size: "), e.getMessage());
    }

    @Test
    void asciiCaseMapsOnlyAsciiLettersAndKeepsOtherCharacters() {
        assertEquals("hello, wÖrld \uD83D\uDE00", computed(1000, "\"HeLLo, WÖrLD \uD83D\uDE00\" | ascii_downcase")
                .evaluate(DOCUMENT).asText());
        assertEquals("HELLO, WöRLD", computed(1000, "\"HeLLo, WöRLD\" | ascii_upcase").evaluate(DOCUMENT).asText());
        assertEquals(200_000, computed(100_000, ".big | ascii_downcase | length").evaluate(DOCUMENT).asInt());
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "[] | add", "{} | add", "[1, 2, 3] | add", "[1.5, 2] | add", "[\"a\", \"b\"] | add", "[null, \"a\", null, \"b\"] | add",
        "[[1], [2, 3], null, [4]] | add", "[{\"a\": 1}, {\"a\": 2, \"b\": 3}] | add", "{\"x\": 1, \"y\": 2} | add",
        "[null] | add", "[1, null] | add", "[null, [1]] | add", "[{\"b\": 1, \"a\": 2}, {\"a\": 3}] | add | keys_unsorted",
        "[1, \"a\"] | add", "[\"a\", 1] | add", "[[1], {\"a\": 1}] | add", "[{}, []] | add", "[\"a\", [1]] | add",
        "null | add", "\"abc\" | add", "5 | add", "[[1], [2]] | add | .[0]", "\"ABC def\" | ascii_downcase",
        "\"ABC def\" | ascii_upcase", "1 | ascii_downcase", "[1] | ascii_upcase", "[\"a\", 1, null, true] | join(\"-\")",
        "[\"a\", [1]] | join(\"-\")", "[\"a\", \"b\"] | join(1)", "{\"a\": \"x\", \"b\": \"y\"} | join(\",\")",
        "\"a,b\" | split(\",\")", "\"abc\" | split(\"\")", "[1, 2] | contains([1])", "\"foobar\" | contains(\"bar\")",
        "[3, 1, 2] | sort", "[1, [2, [3, [4]]], {\"a\": [5]}] | flatten", "[1, [2, [3, [4]]]] | flatten(1)",
        "[1, [2, [3]]] | flatten(0)", "[1, [2]] | flatten(-1)", "{\"a\": [1, [2]], \"b\": 3} | flatten", "\"x\" | flatten",
        "[[1, [2]]] | flatten(1.5)", "[[1]] | flatten(\"a\")", "{\"b\": 1, \"a\": {\"c\": [2, 1]}} | walk(.)", "[{\"a\": 2}, {\"a\": 1}] | sort_by(.a)", "\"a,b, c\" | indices(\", \")", "[1, 2, 1] | index(1)",
        "[1, 2, 3, 4, 5] | [_nwise(2)]", "[] | [_nwise(2)]", "[1, 2] | [_nwise(5)]", "\"abcde\" | [_nwise(2)]",
        "\"a,b,,c\" | [splits(\",\")]", "\"a1b22c\" | [splits(\"[0-9]+\")]", "\"abc\" | [splits(\"\")]",
        "[1, 2, 3] | .[1:]", "\"abcdef\" | .[2:4]"
    })
    void replacedAndCostedBuiltinsAgreeWithPlainJacksonJq(String text) throws Exception {
        List<JsonNode> plain = new ArrayList<>();
        String plainError = null;
        try {
            JsonQuery.compile(text, Versions.JQ_1_7).apply(Scope.newChildScope(PLAIN), DOCUMENT, plain::add);
        } catch (Exception e) {
            plainError = e.getMessage();
        }
        ComputedFilter filter = computed(FilterLimits.DEFAULT_MAX_STEPS, text);
        if (plainError != null) {
            FilterEvaluationException e = assertThrows(FilterEvaluationException.class, () -> filter.evaluate(DOCUMENT));
            assertTrue(e.getMessage().contains(plainError), e.getMessage() + " (plain: " + plainError + ")");
            return;
        }
        JsonNode expected = plain.size() == 1 ? plain.get(0) : JsonNodeFactory.instance.arrayNode().addAll(plain);
        assertEquals(expected, filter.evaluate(DOCUMENT));
    }
}

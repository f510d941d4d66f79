package io.jqsse.jq;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class FilterSyntaxTest {

    private final FilterCompiler compiler = new FilterCompiler(FilterLimits.defaults());

    static Stream<Arguments> syntaxErrors() {
        return Cases.lines("syntax-errors.jsonl", "filter");
    }

    static Stream<Arguments> refused() {
        return Cases.lines("refused.jsonl", "filter");
    }

    @ParameterizedTest
    @MethodSource("syntaxErrors")
    void badFilterFailsToCompileSayingWhatAndWhere(JsonNode c) {
        FilterSyntaxException e = assertThrows(FilterSyntaxException.class,
                () -> compiler.compile(c.get("filter").asText()));
        assertTrue(e.getMessage().contains(c.get("message").asText()), e.getMessage());
        assertTrue(e.getMessage().startsWith("filter: "), e.getMessage());
        assertEquals(c.get("position").asInt(), e.position(), e.getMessage());
    }

    @ParameterizedTest
    @MethodSource("refused")
    void unboundedOrOutsideReachingConstructIsRefusedAtCompileTime(JsonNode c) {
        FilterSyntaxException e = assertThrows(FilterSyntaxException.class,
                () -> compiler.compile(c.get("filter").asText()));
        assertTrue(e.getMessage().contains(c.get("message").asText()), e.getMessage());
    }
}

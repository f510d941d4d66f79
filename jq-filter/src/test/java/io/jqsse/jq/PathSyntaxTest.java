package io.jqsse.jq;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class PathSyntaxTest {

    static Stream<Arguments> writePaths() {
        return Cases.lines("write-paths.jsonl", "path");
    }

    static Stream<Arguments> splits() {
        return Cases.lines("split.jsonl", "value");
    }

    @ParameterizedTest
    @MethodSource("writePaths")
    void writePathParsesToConcreteSegmentsOrIsRejected(JsonNode c) {
        String text = c.get("path").asText();
        if (c.has("segments")) {
            assertEquals(Cases.segments(c.get("segments")), FilterCompiler.parseWritePath(text));
            return;
        }
        FilterSyntaxException e = assertThrows(FilterSyntaxException.class, () -> FilterCompiler.parseWritePath(text));
        assertTrue(e.getMessage().startsWith("path: " + text + " (expected: "), e.getMessage());
        assertTrue(e.getMessage().contains(c.get("error").asText()), e.getMessage());
        if (c.has("position")) {
            assertEquals(c.get("position").asInt(), e.position(), e.getMessage());
        }
    }

    @ParameterizedTest
    @MethodSource("splits")
    void filterValueSplitsOnTopLevelCommasOnly(JsonNode c) {
        List<String> expected = new ArrayList<>();
        c.get("parts").forEach(p -> expected.add(p.asText()));
        assertEquals(expected, FilterCompiler.splitTopLevel(c.get("value").asText()));
    }
}

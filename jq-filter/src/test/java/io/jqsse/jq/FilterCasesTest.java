package io.jqsse.jq;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class FilterCasesTest {

    private static final JsonNode DOCUMENTS = Cases.resource("documents.json");
    private final FilterCompiler compiler = new FilterCompiler(FilterLimits.defaults());

    static Stream<Arguments> filters() {
        return Cases.lines("filters.jsonl", "filter");
    }

    @ParameterizedTest
    @MethodSource("filters")
    void filterIsClassifiedAndGivesItsView(JsonNode c) {
        JsonNode document = DOCUMENTS.get(c.get("doc").asText());
        Filter filter = compiler.compile(c.get("filter").asText());
        View view = filter.view(document);
        assertEquals(c.get("value"), view.value(), "value");
        if (c.get("kind").asText().equals("path")) {
            PathFilter path = assertInstanceOf(PathFilter.class, filter);
            assertEquals(c.get("singular").asBoolean(), path.singular(), "singular");
            assertEquals(Cases.paths(c.get("paths")), view.paths(), "paths");
        } else {
            ComputedFilter computed = assertInstanceOf(ComputedFilter.class, filter);
            assertNull(view.paths(), "paths");
            assertEquals(c.get("value"), computed.evaluate(document), "evaluate");
        }
    }

    @ParameterizedTest
    @MethodSource("filters")
    void locationsOfPathFiltersAreTheirViewIndexForIndex(JsonNode c) {
        JsonNode document = DOCUMENTS.get(c.get("doc").asText());
        Filter filter = compiler.compile(c.get("filter").asText());
        if (!(filter instanceof PathFilter path)) {
            return;
        }
        List<Location> locations = path.locations(document);
        View view = path.view(document);
        if (path.singular() && view.value().isNull() && locations.isEmpty()) {
            return;
        }
        assertEquals(view.paths(), locations.stream().map(Location::path).toList());
        for (int i = 0; i < locations.size(); i++) {
            JsonNode expected = path.singular() ? view.value() : view.value().get(i);
            assertEquals(expected, locations.get(i).value());
        }
    }

    @Test
    void sameTextCompilesToTheSameSharedFilter() {
        assertSame(compiler.compile(".data.users[*].name"), compiler.compile(".data.users[*].name"));
        assertSame(compiler.compile("{a: .x}"), compiler.compile("{a: .x}"));
    }

    @Test
    void absentLocationsAreNotNamedButTheSingularViewIsNull() {
        PathFilter filter = (PathFilter) compiler.compile(".a.b");
        JsonNode document = Cases.json("{\"a\": {}}");
        assertEquals(List.of(), filter.locations(document));
        assertEquals(new View(Cases.json("null"), List.of(List.of("a", "b"))), filter.view(document));
    }

    @Test
    void locationPathsFormatCanonically() {
        assertEquals(".", Location.format(List.of()));
        assertEquals(".data[\"a b\"][0].x", Location.format(List.of("data", "a b", 0, "x")));
        assertEquals("[\"q\\\"\"]._k1", Location.format(List.of("q\"", "_k1")));
    }
}

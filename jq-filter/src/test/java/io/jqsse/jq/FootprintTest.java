package io.jqsse.jq;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class FootprintTest {

    private final FilterCompiler compiler = new FilterCompiler(FilterLimits.defaults());

    static Stream<Arguments> footprints() {
        return Cases.lines("footprints.jsonl", "filter");
    }

    static Stream<Arguments> affected() {
        return Cases.lines("affected.jsonl", "touched");
    }

    @ParameterizedTest
    @MethodSource("footprints")
    void filterFootprintIsItsStepSequenceWithWildcards(JsonNode c) {
        Footprint footprint = compiler.compile(c.get("filter").asText()).footprint();
        assertEquals(Cases.paths(c.get("patterns")), footprint.patterns());
    }

    @ParameterizedTest
    @MethodSource("affected")
    void writeAffectsAFootprintWhenAPatternAndTheTouchedPathArePrefixCompatible(JsonNode c) {
        Footprint footprint = Footprint.of(Cases.paths(c.get("patterns")));
        assertEquals(c.get("affected").asBoolean(), footprint.mayBeAffectedBy(Cases.segments(c.get("touched"))));
    }

    @Test
    void everythingIsAffectedByEveryWrite() {
        assertEquals(List.of(List.of()), Footprint.everything().patterns());
        assertEquals(true, Footprint.everything().mayBeAffectedBy(List.of("a", 1)));
    }

    @Test
    void footprintRefusesNegativeIndicesAndForeignSegments() {
        assertThrows(IllegalArgumentException.class, () -> Footprint.of(List.of(List.of("a", -1))));
        assertThrows(IllegalArgumentException.class, () -> Footprint.of(List.of(List.of(1.5))));
        assertThrows(IllegalArgumentException.class, () -> Footprint.of(List.of()));
    }

    @Test
    void writeChangingAMatchKeyAffectsTheMatchFilter() {
        Footprint footprint = compiler.compile(".data.users[name=Alice].age").footprint();
        assertEquals(true, footprint.mayBeAffectedBy(List.of("data", "users", 4, "name")));
        assertEquals(true, footprint.mayBeAffectedBy(List.of("data", "users", 4, "age")));
        assertEquals(false, footprint.mayBeAffectedBy(List.of("data", "users", 4, "email")));
        assertEquals(false, footprint.mayBeAffectedBy(List.of("meta")));
    }
}

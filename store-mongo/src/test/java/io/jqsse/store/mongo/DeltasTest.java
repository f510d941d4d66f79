package io.jqsse.store.mongo;

import static io.jqsse.store.mongo.ChangeEvents.json;
import static io.jqsse.store.mongo.ChangeEvents.update;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import com.fasterxml.jackson.databind.JsonNode;
import io.jqsse.store.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Applying a change stream {@code updateDescription} (decoded by the driver from an event built here,
 * since mongo-java-server sends none) to the replica's tree: the new tree and the touched paths.
 */
class DeltasTest {

    static Stream<Arguments> descriptions() {
        return Stream.of(
                Arguments.of("an array index in a dotted path",
                        "{\"users\": [{\"name\": \"A\", \"status\": \"on\"}]}",
                        "{updatedFields: {'data.users.0.status': 'away', rev: 6}, removedFields: []}",
                        "{\"users\": [{\"name\": \"A\", \"status\": \"away\"}]}",
                        List.of(Path.of("users", 0, "status"))),
                Arguments.of("a removed field",
                        "{\"users\": [{\"name\": \"A\", \"status\": \"on\"}], \"x\": 1}",
                        "{updatedFields: {rev: 7}, removedFields: ['data.users.0.status', 'data.x']}",
                        "{\"users\": [{\"name\": \"A\"}]}",
                        List.of(Path.of("users", 0, "status"), Path.of("x"))),
                Arguments.of("a truncated array then a set inside it",
                        "{\"list\": [1, 2, 3]}",
                        "{updatedFields: {'data.list.0': 9, rev: 2}, removedFields: [],"
                                + " truncatedArrays: [{field: 'data.list', newSize: 1}]}",
                        "{\"list\": [9]}",
                        List.of(Path.of("list"))),
                Arguments.of("an append touches the array",
                        "{\"list\": [1, 2]}",
                        "{updatedFields: {'data.list.2': 3, rev: 2}, removedFields: []}",
                        "{\"list\": [1, 2, 3]}",
                        List.of(Path.of("list"))),
                Arguments.of("missing parents become objects",
                        "{}",
                        "{updatedFields: {'data.a.b': {c: [1, 2.5, 'x']}, rev: 2}, removedFields: []}",
                        "{\"a\": {\"b\": {\"c\": [1, 2.5, \"x\"]}}}",
                        List.of(Path.of("a", "b"))),
                Arguments.of("a numeric key of an object stays a key",
                        "{\"m\": {\"0\": 1}}",
                        "{updatedFields: {'data.m.0': 2, rev: 2}, removedFields: []}",
                        "{\"m\": {\"0\": 2}}",
                        List.of(Path.of("m", "0"))),
                Arguments.of("disambiguated paths name a dotted key",
                        "{\"a.b\": 1}",
                        "{updatedFields: {'data.a.b': 2, rev: 2}, removedFields: [],"
                                + " disambiguatedPaths: {'data.a.b': ['data', 'a.b']}}",
                        "{\"a.b\": 2}",
                        List.of(Path.of("a.b"))),
                Arguments.of("the whole data replaced",
                        "{\"old\": true}",
                        "{updatedFields: {data: {new: true}, rev: 3}, removedFields: []}",
                        "{\"new\": true}",
                        List.of(Path.root())),
                Arguments.of("only fields outside data",
                        "{\"a\": 1}",
                        "{updatedFields: {rev: 3, probe: 'p:1'}, removedFields: []}",
                        "{\"a\": 1}",
                        List.of()));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("descriptions")
    void updateDescriptionGivesTheNewTreeAndTouchedPaths(String name, String before, String description,
                                                         String after, List<Path> touched) {
        JsonNode original = json(before);
        JsonNode copy = original.deepCopy();
        Deltas.Applied applied = Deltas.apply(original, update(description).getUpdateDescription());
        assertNotNull(applied, name);
        assertEquals(json(after), applied.data());
        assertEquals(touched, applied.touched());
        assertEquals(copy, original, "the replica's tree was mutated");
    }

    static Stream<Arguments> ambiguous() {
        return Stream.of(
                Arguments.of("a path through a scalar", "{\"a\": 1}",
                        "{updatedFields: {'data.a.b': 2, rev: 2}, removedFields: []}"),
                Arguments.of("a dotted key without disambiguated paths", "{\"a.b\": 1}",
                        "{updatedFields: {'data.a.b': 2, rev: 2}, removedFields: []}"),
                Arguments.of("a key on an array", "{\"list\": [1]}",
                        "{updatedFields: {'data.list.x': 2, rev: 2}, removedFields: []}"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("ambiguous")
    void descriptionThatCannotBeResolvedExactlyIsNotApplied(String name, String before, String description) {
        assertNull(Deltas.apply(json(before), update(description).getUpdateDescription()), name);
    }
}

package io.jqsse.store.mongo;

import static io.jqsse.store.mongo.ChangeEvents.json;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.jqsse.store.Documents;
import io.jqsse.store.Path;
import io.jqsse.store.Write;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.bson.BsonDocument;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/** The write descriptor {@code w}: stored without values, it rebuilds the change its writer published. */
class WriteDescriptorTest {

    static final String BASE = "{\"a\": {\"b\": 1}, \"list\": [{\"id\": 1}, {\"id\": 2}], \"k\": \"v\"}";

    static Stream<Arguments> writes() {
        return Stream.of(
                Arguments.of("set at a plain path", new Write.Set(Path.of("a", "b"), json("2"))),
                Arguments.of("set creating missing parents", new Write.Set(Path.of("x", "y"), json("{\"q\": true}"))),
                Arguments.of("append at the array's length", new Write.Set(Path.of("list", 2), json("3"))),
                Arguments.of("set by negative index", new Write.Set(Path.of("list", -1), json("{\"id\": 20}"))),
                Arguments.of("set a null", new Write.Set(Path.of("a", "b"), json("null"))),
                Arguments.of("key with a dot", new Write.Set(Path.of("dotted.key"), json("1"))),
                Arguments.of("key starting with a dollar", new Write.Set(Path.of("a", "$weird"), json("\"x\""))),
                Arguments.of("empty key", new Write.Set(Path.of("a", ""), json("\"empty\""))),
                Arguments.of("set the root", new Write.Set(Path.root(), json("{\"fresh\": [1, 2]}"))),
                Arguments.of("delete an array element", new Write.Delete(Path.of("list", 0))),
                Arguments.of("delete by negative index", new Write.Delete(Path.of("list", -1))),
                Arguments.of("delete an object key", new Write.Delete(Path.of("a"))),
                Arguments.of("merge patch", new Write.Merge(Path.root(), json("{\"a\": {\"b\": null, \"c\": 3}, \"k\": null}"))),
                Arguments.of("merge below the root", new Write.Merge(Path.of("a"), json("{\"z\": [1]}"))),
                Arguments.of("json patch", new Write.Patch(Path.root(), json(
                        "[{\"op\": \"remove\", \"path\": \"/list/0\"}, {\"op\": \"add\", \"path\": \"/n\", \"value\": 5}]"))),
                Arguments.of("replace", new Write.Replace(json("{\"list\": [{\"id\": 9}], \"a\": \"scalar\"}"))));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("writes")
    void storedDescriptorRebuildsTheChangeTheWriterPublished(String name, Write write) {
        JsonNode before = json(BASE);
        Documents.Applied applied = Documents.apply(before, write);
        WriteDescriptor written = WriteDescriptor.of("e1", 7, applied);
        WriteDescriptor read = WriteDescriptor.fromBson(BsonDocument.parse(written.toBson().toJson()));
        assertEquals(written, read, "read back from its BSON");

        WriteDescriptor.Rebuilt rebuilt = read.rebuild(before, BsonJson.toJson(BsonJson.toBson(applied.document())));
        assertNotNull(rebuilt, name);
        assertEquals(applied.document(), rebuilt.after());
        assertEquals(applied.touched(), rebuilt.touched());
        boolean replace = write instanceof Write.Replace;
        assertEquals(replace, rebuilt.reset());
        if (write instanceof Write.Set || write instanceof Write.Delete || replace) {
            assertEquals(applied.resolved(), rebuilt.write());
        } else {
            assertNull(rebuilt.write(), "a merge or patch is rebuilt without its patch document");
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("writes")
    void descriptorRebuildsNoDataThatWasAlsoChangedOutsideWhatItTouched(String name, Write write) {
        JsonNode before = json(BASE);
        Documents.Applied applied = Documents.apply(before, write);
        JsonNode alsoChanged = Trees.set(applied.document(), Path.of("elsewhere"), json("true"));
        WriteDescriptor.Rebuilt rebuilt = WriteDescriptor.of("e1", 7, applied).rebuild(before, alsoChanged);
        if (applied.touched().contains(Path.root())) {
            assertNotNull(rebuilt, name + " touches the root, so any new data is its own");
        } else {
            assertNull(rebuilt, name + " rebuilt over a change it did not make");
        }
    }

    @Test
    void patchWithManyTargetsIsDescribedByItsPathAndStillRebuildsExactly() {
        List<String> ops = new ArrayList<>();
        for (int i = 0; i <= WriteDescriptor.MAX_TOUCHED; i++) {
            ops.add("{\"op\": \"add\", \"path\": \"/a/k" + i + "\", \"value\": " + i + "}");
        }
        JsonNode before = json(BASE);
        Documents.Applied applied = Documents.apply(before, new Write.Patch(Path.root(), json(ops.toString())));
        WriteDescriptor w = WriteDescriptor.of("e1", 7, applied);
        assertEquals(List.of(Path.root()), w.touched());
        WriteDescriptor.Rebuilt rebuilt = w.rebuild(before, applied.document());
        assertNotNull(rebuilt);
        assertEquals(applied.document(), rebuilt.after());
        assertTrue(w.bsonSize() < 100, "bytes: " + w.bsonSize());
    }

    @ParameterizedTest
    @ValueSource(strings = {"'set'", "{rev: 1, epoch: 'e', op: 'move', path: [], touched: [[]]}",
        "{rev: 1, epoch: 'e', op: 'set', path: [1.5], touched: [[]]}",
        "{rev: 1, epoch: 'e', op: 'set', path: ['a'], touched: []}",
        "{epoch: 'e', op: 'set', path: ['a'], touched: [['a']]}",
        "{rev: 1, op: 'set', path: ['a'], touched: [['a']]}"})
    void malformedDescriptorIsIgnored(String stored) {
        assertNull(WriteDescriptor.fromBson(BsonDocument.parse("{w: " + stored + "}").get("w")));
    }

    @Test
    void updateSetsTheDescriptorBeforeIncrementingTheRev() {
        JsonNode before = json(BASE);
        Documents.Applied applied = Documents.apply(before, new Write.Delete(Path.of("k")));
        BsonDocument update = Updates.describing(
                Updates.compareAndSwap(before, applied.document(), applied.touched()),
                WriteDescriptor.of("e1", 3, applied));
        assertEquals(BsonDocument.parse("{$unset: {'data.k': ''}, $set: {w: {rev: {$numberLong: '3'}, epoch: 'e1',"
                + " op: 'delete', path: ['k'], touched: [['k']]}}, $inc: {rev: 1}}"), update);
        assertEquals(List.of("$unset", "$set", "$inc"), new ArrayList<>(update.keySet()));
        assertFalse(update.getDocument("$set").containsKey("data"));
    }
}

package io.jqsse.store.mongo;

import static io.jqsse.store.mongo.ChangeEvents.json;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import io.jqsse.store.Documents;
import io.jqsse.store.Path;
import io.jqsse.store.Write;
import java.util.stream.Stream;
import org.bson.BsonDocument;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The MongoDB update each write becomes, computed from the document at the rev it is filtered on. */
class UpdatesTest {

    static Stream<Arguments> writes() {
        return Stream.of(
                Arguments.of("a plain key is its dotted path", "{\"a\": {\"b\": 0}}",
                        new Write.Set(Path.of("a", "b"), json("1")),
                        "{$set: {'data.a.b': 1}, $inc: {rev: 1}}"),
                Arguments.of("missing parents are set whole", "{}",
                        new Write.Set(Path.of("a", "b"), json("1")),
                        "{$set: {'data.a': {b: 1}}, $inc: {rev: 1}}"),
                Arguments.of("an array element in bounds is its index", "{\"list\": [1, 2]}",
                        new Write.Set(Path.of("list", 1), json("5")),
                        "{$set: {'data.list.1': 5}, $inc: {rev: 1}}"),
                Arguments.of("an append is a push of the new element", "{\"list\": [1, 2]}",
                        new Write.Set(Path.of("list", 2), json("3")),
                        "{$push: {'data.list': {$each: [3]}}, $inc: {rev: 1}}"),
                Arguments.of("a removal from an array sets the array", "{\"list\": [1, 2, 3]}",
                        new Write.Delete(Path.of("list", 0)),
                        "{$set: {'data.list': [2, 3]}, $inc: {rev: 1}}"),
                Arguments.of("a removed key is unset", "{\"a\": 1, \"b\": 2}",
                        new Write.Delete(Path.of("a")),
                        "{$unset: {'data.a': ''}, $inc: {rev: 1}}"),
                Arguments.of("a key with a dot sets its parent", "{\"x\": {\"a.b\": 1}}",
                        new Write.Set(Path.of("x", "a.b"), json("2")),
                        "{$set: {'data.x': {'a.b': 2}}, $inc: {rev: 1}}"),
                Arguments.of("a top-level key with a dollar sets the data", "{\"k\": 1}",
                        new Write.Set(Path.of("$k"), json("2")),
                        "{$set: {data: {k: 1, '$k': 2}}, $inc: {rev: 1}}"),
                Arguments.of("a numeric key of an object is its dotted path", "{\"m\": {\"0\": 1}}",
                        new Write.Set(Path.of("m", "0"), json("2")),
                        "{$set: {'data.m.0': 2}, $inc: {rev: 1}}"),
                Arguments.of("a merge sets and unsets each key", "{\"m\": {\"x\": 1, \"y\": 2}}",
                        new Write.Merge(Path.of("m"), json("{\"x\": null, \"z\": 3}")),
                        null));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("writes")
    void writeBecomesTheSmallestExactUpdate(String name, String before, Write write, String expected) {
        JsonNode doc = json(before);
        Documents.Applied applied = Documents.apply(doc, write);
        BsonDocument update = Updates.compareAndSwap(doc, applied.document(), applied.touched());
        if (expected != null) {
            assertEquals(BsonDocument.parse(expected), update, name);
        }
        assertEquals(applied.document(), replay(doc, update), "the update does not produce the write's result");
    }

    /** What MongoDB makes of {@code update} on {@code {data: doc}}, for the operators used here. */
    private static JsonNode replay(JsonNode doc, BsonDocument update) {
        JsonNode data = doc;
        for (String field : update.getDocument("$unset", new BsonDocument()).keySet()) {
            data = Trees.unset(data, path(data, field));
        }
        for (var e : update.getDocument("$set", new BsonDocument()).entrySet()) {
            data = Trees.set(data, path(data, e.getKey()), BsonJson.toJson(e.getValue()));
        }
        for (var e : update.getDocument("$push", new BsonDocument()).entrySet()) {
            Path p = path(data, e.getKey());
            JsonNode array = Trees.get(data, p);
            for (var v : e.getValue().asDocument().getArray("$each")) {
                data = Trees.set(data, p.child(array.size()), BsonJson.toJson(v));
                array = Trees.get(data, p);
            }
        }
        return data;
    }

    private static Path path(JsonNode data, String field) {
        return Deltas.resolve(data, field, BsonDocument.parse("{}"));
    }
}

package io.jqsse.store.memory;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.IntNode;
import com.fasterxml.jackson.databind.node.TextNode;
import io.jqsse.store.Change;
import io.jqsse.store.ContractSupport;
import io.jqsse.store.DocumentStore;
import io.jqsse.store.DocumentTooLargeException;
import io.jqsse.store.Documents;
import io.jqsse.store.Path;
import io.jqsse.store.RecordingListener;
import io.jqsse.store.Snapshot;
import io.jqsse.store.StoreException;
import io.jqsse.store.StoreUnavailableException;
import io.jqsse.store.WriteCase;
import io.jqsse.store.Write;
import java.util.List;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

class MemoryStoreTest extends ContractSupport {

    private static final Pattern EPOCH = Pattern.compile("[A-Za-z0-9_-]{8}");

    @Test
    void defaultsAreAnEmptyObjectAnd64MebibytesAndTypeMemory() {
        store = new MemoryStore();
        assertEquals(64L << 20, store.maxDocumentBytes());
        assertEquals(MemoryStore.DEFAULT_MAX_DOCUMENT_BYTES, store.maxDocumentBytes());
        assertEquals(json("{}"), store.snapshot().document());
        assertEquals("memory", store.type());
    }

    @Test
    void epochIsEightUrlSafeCharactersAndDiffersBetweenInstances() {
        String a = new MemoryStore().snapshot().epoch();
        String b = new MemoryStore().snapshot().epoch();
        assertTrue(EPOCH.matcher(a).matches(), "epoch: " + a);
        assertTrue(EPOCH.matcher(b).matches(), "epoch: " + b);
        assertNotEquals(a, b);
    }

    @Test
    void initialDocumentIsTheDocumentAtRevisionZero() {
        JsonNode initial = json("{\"users\": [{\"name\": \"Alice\"}]}");
        store = MemoryStore.builder().initialDocument(initial).build();
        assertSame(initial, store.snapshot().document());
        assertEquals(0, store.snapshot().rev());
    }

    @Test
    void builderRejectsBadValuesNamingTheSetting() {
        IllegalArgumentException limit = assertThrows(IllegalArgumentException.class,
                () -> MemoryStore.builder().maxDocumentBytes(0));
        assertEquals("maxDocumentBytes: 0 (expected: > 0)", limit.getMessage());
        IllegalArgumentException initial = assertThrows(IllegalArgumentException.class,
                () -> MemoryStore.builder().maxDocumentBytes(10).initialDocument(json("{\"key\": \"too long\"}")).build());
        assertEquals("initialDocument: 18 bytes (expected: at most maxDocumentBytes 10)", initial.getMessage());
    }

    @Test
    void writeBeyondTheLimitFailsAndChangesNothing() {
        store = MemoryStore.builder().maxDocumentBytes(18).build();
        commit(new Write.Set(Path.of("a"), TextNode.valueOf("0123456789")));
        Snapshot before = store.snapshot();
        StoreException e = failure(store.write(new Write.Set(Path.of("a"), TextNode.valueOf("01234567890")),
                DocumentStore.ANY_REV));
        assertInstanceOf(DocumentTooLargeException.class, e);
        assertEquals("document: 19 bytes (expected: at most maxDocumentBytes 18)", e.getMessage());
        assertSame(before, store.snapshot());
        assertEquals(Documents.estimateBytes(before.document()), ((MemoryStore) store).sizeBytes());
        assertEquals(2, commit(new Write.Set(Path.of("a"), TextNode.valueOf("012345678"))).rev());
    }

    @Test
    void documentExactlyAtTheLimitIsAccepted() {
        store = MemoryStore.builder().maxDocumentBytes("{\"a\":\"0123456789\"}".length()).build();
        assertEquals(1, commit(new Write.Set(Path.of("a"), TextNode.valueOf("0123456789"))).rev());
    }

    @Test
    void runningSizeMatchesAFreshEstimateAfterEveryKindOfWrite() {
        MemoryStore memory = MemoryStore.builder().initialDocument(json("{\"seed\": [1, 2.5, null]}")).build();
        store = memory;
        String[] writes = {
            "[\"set\", [\"a\", \"b\"], 1]", "[\"set\", [\"a\", \"c\"], \"text \u00e9 \\n\"]",
            "[\"set\", [\"list\", 0], {\"k\": [1]}]", "[\"set\", [\"list\", 1], true]",
            "[\"set\", [\"list\", -1], false]", "[\"set\", [\"a\", \"b\"], null]",
            "[\"set\", [\"a\", \"b\", \"c\"], 3]", "[\"set\", [\"seed\", 3], 4]",
            "[\"set\", [\"key with space\"], {}]", "[\"delete\", [\"list\", 0]]", "[\"delete\", [\"a\", \"c\"]]",
            "[\"delete\", [\"seed\", -1]]", "[\"merge\", [\"a\"], {\"b\": null, \"n\": {\"x\": 1, \"y\": null}}]",
            "[\"merge\", [\"fresh\"], {\"z\": 1}]", "[\"merge\", [\"seed\"], [9]]",
            "[\"patch\", [], [{\"op\": \"add\", \"path\": \"/p\", \"value\": [1]},"
                + " {\"op\": \"move\", \"from\": \"/seed\", \"path\": \"/p/0\"}]]",
            "[\"patch\", [\"deep\", \"er\"], [{\"op\": \"add\", \"path\": \"\", \"value\": {\"q\": []}}]]",
            "[\"delete\", [\"fresh\"]]", "[\"delete\", [\"a\"]]", "[\"delete\", [\"list\"]]", "[\"delete\", [\"p\"]]",
            "[\"delete\", [\"deep\"]]", "[\"delete\", [\"key with space\"]]", "[\"replace\", [1, {\"a\": 2}]]",
            "[\"set\", [1, \"b\"], 3]", "[\"delete\", [0]]",
        };
        for (String w : writes) {
            commit(write(json(w)));
            assertEquals(Documents.estimateBytes(store.snapshot().document()), memory.sizeBytes(), w);
        }
        assertEquals(json("[{\"a\": 2, \"b\": 3}]"), store.snapshot().document());
    }

    @Test
    void runningSizeMatchesAFreshEstimateAfterEveryKindOfMeasuredWrite() {
        MemoryStore memory = new MemoryStore();
        store = memory;
        List<Write> writes = List.of(
                new Write.Replace(Documents.measured(json("{\"seed\": [1, 2.5, null], \"n\": null}"))),
                new Write.Set(Path.of("seed", 0), Documents.measured(json("{\"k\": \"\u00e9\\n\"}"))),
                new Write.Set(Path.of("a", "b", "c"), Documents.measured(json("[1, {\"d\": true}]"))),
                new Write.Set(Path.of("n", "x"), Documents.measured(json("\"through null\""))),
                new Write.Set(Path.of("seed", 3), Documents.measured(json("4"))),
                new Write.Merge(Path.of("a"), Documents.measured(json("{\"b\": null, \"e\": {\"f\": 1}}"))),
                new Write.Merge(Path.of("g"), Documents.measured(json("[9, 10]"))),
                new Write.Set(Path.root(), Documents.measured(json("{\"root\": [\"set\"]}"))),
                new Write.Merge(Path.root(), Documents.measured(json("{\"root\": null, \"m\": 1}"))));
        for (Write w : writes) {
            commit(w);
            assertEquals(Documents.estimateBytes(store.snapshot().document()), memory.sizeBytes(), w.toString());
        }
        assertEquals(json("{\"m\": 1}"), store.snapshot().document());
    }

    @Test
    void aMeasuredDocumentBeyondTheLimitFailsAndChangesNothing() {
        store = MemoryStore.builder().maxDocumentBytes(18).build();
        Snapshot before = store.snapshot();
        StoreException e = failure(store.write(new Write.Replace(Documents.measured(json("{\"a\":\"01234567890\"}"))),
                DocumentStore.ANY_REV));
        assertInstanceOf(DocumentTooLargeException.class, e);
        assertEquals("document: 19 bytes (expected: at most maxDocumentBytes 18)", e.getMessage());
        assertSame(before, store.snapshot());
    }

    @Test
    void aWriteSharesTheUntouchedPartsOfTheDocument() {
        store = MemoryStore.builder().initialDocument(json("{\"big\": {\"x\": [1, 2, 3]}, \"small\": {\"n\": 1}}")).build();
        Snapshot before = store.snapshot();
        commit(new Write.Set(Path.of("small", "n"), IntNode.valueOf(2)));
        assertSame(before.document().get("big"), store.snapshot().document().get("big"));
    }

    @Test
    void aFailingListenerDoesNotFailTheCommittedWrite() {
        store = new MemoryStore();
        store.subscribe(change -> {
            throw new IllegalStateException("listener bug");
        });
        assertEquals(1, commit(new Write.Set(Path.of("a"), IntNode.valueOf(1))).rev());
        assertEquals(1, store.snapshot().rev());
    }

    @Test
    void changesCarryTheResolvedWriteAndResetOnlyForReplace() {
        store = new MemoryStore();
        RecordingListener listener = new RecordingListener(DEADLINE);
        store.subscribe(listener);
        commit(new Write.Set(Path.of("list", 0), IntNode.valueOf(1)));
        commit(new Write.Set(Path.of("list", -1), IntNode.valueOf(2)));
        commit(new Write.Replace(json("{}")));
        Change first = listener.next();
        assertFalse(first.reset());
        assertEquals(List.of(Path.of("list", 0)), first.touched());
        assertEquals(new Write.Set(Path.of("list", 0), IntNode.valueOf(2)), listener.next().write());
        Change replace = listener.next();
        assertTrue(replace.reset());
        assertEquals(List.of(Path.root()), replace.touched());
        assertEquals(2, replace.sizeBytes());
    }

    @Test
    void closedStoreRefusesWritesAndReportsUnhealthy() {
        store = new MemoryStore();
        store.close();
        store.close();
        assertInstanceOf(StoreUnavailableException.class,
                failure(store.write(new Write.Set(Path.of("a"), IntNode.valueOf(1)), DocumentStore.ANY_REV)));
        assertFalse(store.health().available());
        assertEquals(0, store.snapshot().rev());
    }

    /** {@code ["set", path, value]}, {@code ["delete", path]}, {@code ["merge"|"patch", path, body]}, {@code ["replace", doc]}. */
    private static Write write(JsonNode w) {
        String kind = w.get(0).textValue();
        switch (kind) {
            case "set": return new Write.Set(WriteCase.path(w.get(1)), w.get(2));
            case "delete": return new Write.Delete(WriteCase.path(w.get(1)));
            case "merge": return new Write.Merge(WriteCase.path(w.get(1)), w.get(2));
            case "patch": return new Write.Patch(WriteCase.path(w.get(1)), w.get(2));
            default: return new Write.Replace(w.get(1));
        }
    }
}

package io.jqsse.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.IntNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.TextNode;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The behaviour every {@link DocumentStore} promises, as an abstract JUnit 5 suite. A store's test
 * extends it in a few lines:
 *
 * <pre>{@code
 * class MemoryStoreContractTest extends DocumentStoreContract {
 *     protected DocumentStore newStore() { return MemoryStore.builder().build(); }
 * }
 * }</pre>
 *
 * <p>{@link #newStore()} must return a store over a fresh document ({@code {}} at rev 0), not yet
 * started; the suite starts it and closes it after each test. Stores whose backing document can be
 * shared (MongoDB) also override {@link #secondStoreOnSameDocument()}. Every wait has a deadline
 * ({@link #DEADLINE}); nothing sleeps. Documents are compared with numbers equal by value, so a store
 * may hand back {@code 1} as an int or a long.
 */
public abstract class DocumentStoreContract extends ContractSupport {

    private DocumentStore second;

    /** A new store over a fresh document, not started. Called once per test. */
    protected abstract DocumentStore newStore();

    /**
     * A second store on the document of the store {@link #newStore()} returned last, not started; or
     * {@code null} when the backend cannot share a document (then those tests are skipped).
     */
    protected DocumentStore secondStoreOnSameDocument() {
        return null;
    }

    @BeforeEach
    void startStore() {
        store = newStore();
        await(store.start());
    }

    @AfterEach
    void closeStores() {
        if (second != null) {
            second.close();
        }
        store.close();
    }

    @Test
    void freshStoreIsAnEmptyObjectAtRevisionZeroWithAnEpoch() {
        Snapshot s = store.snapshot();
        assertJsonEquals(json("{}"), s.document());
        assertEquals(0, s.rev());
        assertFalse(s.epoch().isEmpty(), "epoch: \"\" (expected: non-empty)");
        assertFalse(store.type().isEmpty(), "type: \"\" (expected: a name such as memory)");
        assertTrue(store.health().available(), "health: " + store.health());
        assertTrue(store.maxDocumentBytes() > 0, "maxDocumentBytes: " + store.maxDocumentBytes());
    }

    @Test
    void everyWriteAdvancesTheRevisionByOneAndIsVisibleWhenItCompletes() {
        String epoch = store.snapshot().epoch();
        long rev = 0;
        for (Write write : variedWrites()) {
            long before = System.currentTimeMillis();
            Commit commit = commit(write);
            rev++;
            assertEquals(new Commit(epoch, rev, commit.timeMillis()), commit, write.toString());
            assertTrue(commit.timeMillis() >= before - 5_000, "timeMillis: " + commit.timeMillis());
            Snapshot s = store.snapshot();
            assertEquals(rev, s.rev(), "read-your-writes after " + write);
            assertEquals(epoch, s.epoch());
        }
        assertJsonEquals(json("{\"b\": {\"list\": [1, 3]}, \"m\": {\"x\": 1}, \"p\": [0, \"p\"]}"), store.snapshot().document());
    }

    static Stream<WriteCase> writeCases() {
        return WriteCase.load().stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("writeCases")
    void writeCaseGivesTheSameResultAsDocuments(WriteCase c) {
        long rev = commit(new Write.Replace(c.document())).rev();
        Snapshot before = store.snapshot();
        if (c.error() != null) {
            assertInstanceOf(c.error(), failure(store.write(c.write(), DocumentStore.ANY_REV)));
            assertUnchanged(before, store.snapshot());
        } else {
            assertEquals(rev + 1, commit(c.write()).rev());
            assertJsonEquals(c.expected(), store.snapshot().document());
        }
    }

    static Stream<Arguments> failingWrites() {
        return Stream.of(
                Arguments.of("a set through a scalar", new Write.Set(Path.of("a", "b"), IntNode.valueOf(1)), 0L,
                        PathConflictException.class),
                Arguments.of("a set beyond an array's end", new Write.Set(Path.of("list", 5), IntNode.valueOf(1)), 0L,
                        PathConflictException.class),
                Arguments.of("a delete of a missing key", new Write.Delete(Path.of("missing")), 0L,
                        PathNotFoundException.class),
                Arguments.of("a malformed patch", new Write.Patch(Path.root(), json("[{\"op\": \"nope\"}]")), 0L,
                        InvalidPatchException.class),
                Arguments.of("a patch failing on its last operation", new Write.Patch(Path.root(),
                        json("[{\"op\": \"add\", \"path\": \"/new\", \"value\": 1}, {\"op\": \"test\", \"path\": \"/a\", \"value\": 2}]")),
                        0L, PathConflictException.class),
                Arguments.of("a stale If-Match", new Write.Set(Path.of("a"), IntNode.valueOf(2)), -2L,
                        PreconditionFailedException.class));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("failingWrites")
    void failedWriteChangesNothing(String name, Write write, long revOffset, Class<? extends StoreException> error) {
        commit(new Write.Replace(json("{\"a\": 1, \"list\": [1, 2]}")));
        commit(new Write.Set(Path.of("b"), IntNode.valueOf(2)));
        RecordingListener listener = new RecordingListener(DEADLINE);
        Snapshot before = store.subscribe(listener);
        long expectedRev = revOffset == 0 ? DocumentStore.ANY_REV : before.rev() + revOffset;
        assertInstanceOf(error, failure(store.write(write, expectedRev)));
        assertUnchanged(before, store.snapshot());
        Commit marker = commit(new Write.Set(Path.of("marker"), TextNode.valueOf(name)));
        assertEquals(before.rev() + 1, marker.rev());
        Change change = listener.next();
        assertEquals(marker.rev(), change.rev(), "the failed write published a change");
        assertJsonEquals(before.document(), change.before());
    }

    @Test
    void tooLargeDocumentIsRejectedAndChangesNothing() {
        long limit = store.maxDocumentBytes();
        assumeTrue(limit <= 32L << 20, "maxDocumentBytes: " + limit + " (expected: at most 32 MiB for this test)");
        commit(new Write.Set(Path.of("a"), IntNode.valueOf(1)));
        Snapshot before = store.snapshot();
        JsonNode big = TextNode.valueOf("x".repeat((int) limit));
        assertInstanceOf(DocumentTooLargeException.class, failure(store.write(new Write.Set(Path.of("big"), big),
                DocumentStore.ANY_REV)));
        assertUnchanged(before, store.snapshot());
        assertInstanceOf(DocumentTooLargeException.class, failure(store.write(new Write.Replace(
                JsonNodeFactory.instance.objectNode().set("big", big)), DocumentStore.ANY_REV)));
        assertUnchanged(before, store.snapshot());
        assertEquals(before.rev() + 1, commit(new Write.Set(Path.of("a"), IntNode.valueOf(2))).rev());
    }

    @Test
    void expectedRevisionMismatchFailsWithTheCurrentRevision() {
        commit(new Write.Set(Path.of("a"), IntNode.valueOf(1)));
        commit(new Write.Set(Path.of("a"), IntNode.valueOf(2)));
        Snapshot s = store.snapshot();
        StoreException e = failure(store.write(new Write.Set(Path.of("a"), IntNode.valueOf(3)), 1));
        PreconditionFailedException p = assertInstanceOf(PreconditionFailedException.class, e);
        assertEquals(2, p.currentRev());
        assertEquals(s.epoch(), p.epoch());
        assertEquals(s.etag(), p.currentEtag());
        assertEquals(3, await(store.write(new Write.Set(Path.of("a"), IntNode.valueOf(3)), 2)).rev());
        assertJsonEquals(json("{\"a\": 3}"), store.snapshot().document());
    }

    @Test
    void listenerReceivesEveryChangeAfterTheSubscribeSnapshotInOrderExactlyOnce() {
        commit(new Write.Set(Path.of("early"), IntNode.valueOf(1)));
        commit(new Write.Set(Path.of("early"), IntNode.valueOf(2)));
        RecordingListener listener = new RecordingListener(DEADLINE);
        Snapshot start = store.subscribe(listener);
        assertEquals(2, start.rev());
        assertJsonEquals(json("{\"early\": 2}"), start.document());
        List<Write> writes = variedWrites();
        List<Snapshot> after = new ArrayList<>();
        for (Write write : writes) {
            commit(write);
            after.add(store.snapshot());
        }
        JsonNode previous = start.document();
        for (int i = 0; i < writes.size(); i++) {
            Change change = listener.next();
            assertEquals(start.rev() + i + 1, change.rev(), "change " + i);
            assertEquals(start.epoch(), change.epoch());
            assertJsonEquals(previous, change.before());
            assertJsonEquals(after.get(i).document(), change.after());
            assertEquals(writes.get(i) instanceof Write.Replace, change.reset(), "reset of " + writes.get(i));
            assertTouchedBoundsTheDifference(change);
            if (change.write() != null) {
                assertJsonEquals(change.after(), Documents.apply(change.before(), change.write()).document());
            }
            previous = change.after();
        }
        Commit marker = commit(new Write.Set(Path.of("marker"), IntNode.valueOf(1)));
        assertEquals(marker.rev(), listener.next().rev(), "a change arrived twice or out of order");
    }

    @Test
    void listenerSeesResolvedIndicesAndTheTouchedArrayOfARemoval() {
        commit(new Write.Replace(json("{\"list\": [1, 2, 3]}")));
        RecordingListener listener = new RecordingListener(DEADLINE);
        store.subscribe(listener);
        commit(new Write.Set(Path.of("list", -1), IntNode.valueOf(30)));
        commit(new Write.Delete(Path.of("list", 0)));
        Change set = listener.next();
        assertTouchedBoundsTheDifference(set);
        if (set.write() != null) {
            assertEquals(new Write.Set(Path.of("list", 2), IntNode.valueOf(30)), set.write());
        }
        Change delete = listener.next();
        assertTrue(delete.touched().stream().allMatch(t -> t.isPrefixOf(Path.of("list"))),
                "touched: " + delete.touched() + " (expected: the array .list or an ancestor)");
        assertJsonEquals(json("{\"list\": [2, 30]}"), delete.after());
    }

    @Test
    void subscribingTwiceIsRefused() {
        store.subscribe(new RecordingListener(DEADLINE));
        assertThrows(RuntimeException.class, () -> store.subscribe(new RecordingListener(DEADLINE)));
    }

    @Test
    void snapshotsTakenBeforeAWriteAreUnchangedByIt() {
        commit(new Write.Replace(json("{\"a\": {\"b\": [1, {\"c\": 2}]}, \"d\": {\"e\": 1}}")));
        Snapshot s = store.snapshot();
        JsonNode copy = s.document().deepCopy();
        commit(new Write.Set(Path.of("a", "b", 1, "c"), IntNode.valueOf(3)));
        commit(new Write.Delete(Path.of("a", "b", 0)));
        commit(new Write.Merge(Path.of("d"), json("{\"e\": null, \"f\": 2}")));
        commit(new Write.Patch(Path.of("a"), json("[{\"op\": \"add\", \"path\": \"/b/0\", \"value\": 0}]")));
        commit(new Write.Replace(json("[]")));
        assertEquals(copy, s.document());
        assertEquals(1, s.rev());
    }

    @Test
    void concurrentWritersCommitWithDistinctConsecutiveRevisions() {
        RecordingListener listener = new RecordingListener(DEADLINE);
        store.subscribe(listener);
        int threads = 4;
        int perThread = 25;
        List<Long> revs = runConcurrently(threads, t -> {
            List<Long> mine = new ArrayList<>();
            for (int i = 0; i < perThread; i++) {
                mine.add(commit(new Write.Set(Path.of("t" + t, i), IntNode.valueOf(i))).rev());
            }
            return mine;
        });
        assertEquals(consecutive(1, threads * perThread), revs.stream().sorted().toList());
        StringBuilder expected = new StringBuilder("{");
        for (int t = 0; t < threads; t++) {
            expected.append(t == 0 ? "" : ",").append("\"t").append(t).append("\":[");
            for (int i = 0; i < perThread; i++) {
                expected.append(i == 0 ? "" : ",").append(i);
            }
            expected.append(']');
        }
        assertJsonEquals(json(expected.append('}').toString()), store.snapshot().document());
        JsonNode previous = json("{}");
        for (Change change : listener.next(threads * perThread)) {
            assertJsonEquals(previous, change.before());
            previous = change.after();
        }
        assertJsonEquals(store.snapshot().document(), previous);
    }

    @Test
    void conditionalWritersFromManyThreadsNeverLoseAnIncrement() {
        int threads = 4;
        int perThread = 10;
        runConcurrently(threads, t -> {
            for (int i = 0; i < perThread; i++) {
                incrementWithRetry();
            }
            return List.of();
        });
        Snapshot s = store.snapshot();
        assertEquals(threads * perThread, s.document().path("n").asInt());
        assertEquals(threads * perThread, s.rev());
    }

    private void incrementWithRetry() {
        long deadline = System.nanoTime() + DEADLINE.toNanos();
        while (System.nanoTime() < deadline) {
            Snapshot s = store.snapshot();
            Write write = new Write.Set(Path.of("n"), IntNode.valueOf(s.document().path("n").asInt(0) + 1));
            CompletionStage<Commit> stage = store.write(write, s.rev());
            try {
                stage.toCompletableFuture().get(DEADLINE.toMillis(), TimeUnit.MILLISECONDS);
                return;
            } catch (ExecutionException e) {
                if (!(e.getCause() instanceof PreconditionFailedException)) {
                    throw new AssertionError(e.getCause());
                }
            } catch (InterruptedException | TimeoutException e) {
                throw new AssertionError(e);
            }
        }
        fail("no increment committed within " + DEADLINE);
    }

    @Test
    void secondStoreOnTheSameDocumentSeesTheFirstStoresWrites() {
        second = secondStoreOnSameDocument();
        assumeTrue(second != null, "this backend cannot share a document between stores");
        await(second.start());
        RecordingListener firstListener = new RecordingListener(DEADLINE);
        RecordingListener secondListener = new RecordingListener(DEADLINE);
        Snapshot firstStart = store.subscribe(firstListener);
        Snapshot secondStart = second.subscribe(secondListener);
        assertEquals(firstStart.epoch(), secondStart.epoch());
        Commit a = commit(new Write.Set(Path.of("from", "first"), IntNode.valueOf(1)));
        Change seen = nextAt(secondListener, a.rev());
        assertJsonEquals(json("{\"from\": {\"first\": 1}}"), seen.after());
        Commit b = await(second.write(new Write.Merge(Path.of("from"), json("{\"second\": 2}")), a.rev()));
        assertEquals(a.rev() + 1, b.rev());
        Change back = nextAt(firstListener, b.rev());
        assertJsonEquals(json("{\"from\": {\"first\": 1, \"second\": 2}}"), back.after());
        assertTouchedBoundsTheDifference(back);
        assertInstanceOf(PreconditionFailedException.class,
                failure(second.write(new Write.Delete(Path.of("from")), a.rev())));
    }

    private static Change nextAt(RecordingListener listener, long rev) {
        Change change = listener.next();
        while (change.rev() < rev) {
            change = listener.next();
        }
        assertEquals(rev, change.rev());
        return change;
    }

    /** One write of every kind, each applying to the result of the ones before it on {@code {}}. */
    protected static List<Write> variedWrites() {
        return List.of(
                new Write.Set(Path.of("a", "b"), IntNode.valueOf(1)),
                new Write.Set(Path.of("b", "list", 0), IntNode.valueOf(1)),
                new Write.Set(Path.of("b", "list", 1), IntNode.valueOf(2)),
                new Write.Set(Path.of("b", "list", -1), IntNode.valueOf(3)),
                new Write.Merge(Path.of("m"), json("{\"x\": 1, \"y\": null}")),
                new Write.Patch(Path.root(), json("[{\"op\": \"add\", \"path\": \"/p\", \"value\": [\"p\"]},"
                        + "{\"op\": \"add\", \"path\": \"/p/0\", \"value\": 0}]")),
                new Write.Delete(Path.of("a")),
                new Write.Replace(json("{\"b\": {\"list\": [1, 2, 3]}, \"m\": {\"x\": 1}, \"p\": [0, \"p\"]}")),
                new Write.Delete(Path.of("b", "list", 1)));
    }

    private static List<Long> consecutive(long from, int count) {
        List<Long> list = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            list.add(from + i);
        }
        return list;
    }

    private static void assertUnchanged(Snapshot before, Snapshot after) {
        assertEquals(before.epoch(), after.epoch());
        assertEquals(before.rev(), after.rev(), "a failed write changed the revision");
        assertJsonEquals(before.document(), after.document());
    }

    /**
     * Every location where {@code before} and {@code after} differ lies at or below a touched path,
     * or is an ancestor of one that the write created (it was absent or null before: a set creates
     * missing parents and touches only the path it set).
     */
    protected static void assertTouchedBoundsTheDifference(Change change) {
        assertNotNull(change.touched());
        List<Path> differences = new ArrayList<>();
        differences(Path.root(), change.before(), change.after(), differences);
        for (Path d : differences) {
            boolean created = isAbsentOrNull(change.before(), d);
            assertTrue(change.touched().stream().anyMatch(t -> t.isPrefixOf(d) || created && d.isStrictPrefixOf(t)),
                    "difference at " + d + " outside touched " + change.touched());
        }
    }

    private static boolean isAbsentOrNull(JsonNode root, Path path) {
        JsonNode node = root;
        for (Object segment : path.segments()) {
            node = segment instanceof String key ? node.get(key) : node.get((Integer) segment);
            if (node == null) {
                return true;
            }
        }
        return node.isNull();
    }

    private static void differences(Path at, JsonNode a, JsonNode b, List<Path> out) {
        if (a != null && b != null && a.isObject() && b.isObject()) {
            for (Iterator<Map.Entry<String, JsonNode>> it = a.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                differences(at.child(e.getKey()), e.getValue(), b.get(e.getKey()), out);
            }
            for (Iterator<String> it = b.fieldNames(); it.hasNext(); ) {
                String key = it.next();
                if (!a.has(key)) {
                    out.add(at.child(key));
                }
            }
        } else if (a != null && b != null && a.isArray() && b.isArray()) {
            for (int i = 0; i < Math.max(a.size(), b.size()); i++) {
                differences(at.child(i), a.get(i), b.get(i), out);
            }
        } else if (a == null || b == null || !a.equals(JSON_EQUALITY, b)) {
            out.add(at);
        }
    }
}

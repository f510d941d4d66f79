package io.jqsse.store.mongo;

import static io.jqsse.store.mongo.ChangeEvents.event;
import static io.jqsse.store.mongo.ChangeEvents.json;
import static io.jqsse.store.mongo.ChangeEvents.update;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.IntNode;
import io.jqsse.store.Change;
import io.jqsse.store.Commit;
import io.jqsse.store.Path;
import io.jqsse.store.RecordingListener;
import io.jqsse.store.Write;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The replica fed with driver change events built here; the test thread plays the replica thread. */
class ReplicaTest {

    private final AtomicInteger reloads = new AtomicInteger();
    private final java.util.List<Long> bumps = new java.util.ArrayList<>();
    private final RecordingListener listener = new RecordingListener(Duration.ofSeconds(5));
    private ScheduledExecutorService executor;
    private Replica replica;

    @BeforeEach
    void loadRevisionFive() {
        executor = Executors.newSingleThreadScheduledExecutor();
        replica = new Replica(reloads::incrementAndGet, bumps::add, executor);
        replica.load(new StoredDocument("e1", 5, json("{\"users\": [{\"name\": \"A\", \"status\": \"on\"}]}"), null));
        replica.subscribe(listener);
    }

    @AfterEach
    void stopExecutor() {
        executor.shutdownNow();
    }

    private static String fullDocument(String epoch, long rev, String data) {
        return "{_id: {_data: 't'}, operationType: 'update', documentKey: {_id: 'main'},"
                + " fullDocument: {_id: 'main', epoch: '" + epoch + "', rev: " + rev + ", data: " + data + "}}";
    }

    @Test
    void externalUpdateDescriptionBecomesAChangeWithItsTouchedPaths() {
        replica.onEvent(Event.of(update("{updatedFields: {'data.users.0.status': 'away', rev: 6}, removedFields: []}")));
        Change change = listener.next();
        assertEquals(6, change.rev());
        assertEquals(json("{\"users\": [{\"name\": \"A\", \"status\": \"away\"}]}"), change.after());
        assertEquals(json("{\"users\": [{\"name\": \"A\", \"status\": \"on\"}]}"), change.before());
        assertEquals(java.util.List.of(Path.of("users", 0, "status")), change.touched());
        assertNull(change.write());
        assertFalse(change.reset());
    }

    @Test
    void externalUpdateWithoutDescriptionUsesTheFullDocument() {
        replica.onEvent(Event.of(event(fullDocument("e1", 6, "{x: 1}"))));
        Change change = listener.next();
        assertEquals(6, change.rev());
        assertEquals(json("{\"x\": 1}"), change.after());
        assertEquals(java.util.List.of(Path.root()), change.touched());
        assertNull(change.write());
    }

    @Test
    void revisionGapWithoutAFullDocumentReloads() {
        replica.onEvent(Event.of(update("{updatedFields: {'data.x': 1, rev: 8}, removedFields: []}")));
        assertEquals(1, reloads.get());
        assertEquals(0, listener.pending());
        assertEquals(5, replica.snapshot().rev());
    }

    @Test
    void fullDocumentAheadByUnknownRevisionsResets() {
        replica.onEvent(Event.of(event(fullDocument("e1", 9, "{y: 2}"))));
        Change change = listener.next();
        assertEquals(9, change.rev());
        assertTrue(change.reset());
        assertEquals(json("{\"y\": 2}"), change.after());
    }

    @Test
    void newEpochResets() {
        replica.onEvent(Event.of(event(fullDocument("e2", 1, "{}"))));
        Change change = listener.next();
        assertEquals("e2", change.epoch());
        assertEquals(1, change.rev());
        assertTrue(change.reset());
    }

    @Test
    void ownWriteIsReplayedWithItsResolvedIndexAndCompletesItsStage() {
        Write write = new Write.Set(Path.of("users", -1, "status"), json("\"off\""));
        CompletableFuture<Commit> stage = new CompletableFuture<>();
        replica.sending(6);
        replica.register(new Replica.Pending(write, new Commit("e1", 6, 0), stage));
        assertFalse(stage.isDone(), "completed before the replica had rev 6");
        replica.onEvent(Event.of(event(fullDocument("e1", 6, "{users: [{name: 'A', status: 'off'}]}"))));
        Change change = listener.next();
        assertEquals(new Write.Set(Path.of("users", 0, "status"), json("\"off\"")), change.write());
        assertEquals(java.util.List.of(Path.of("users", 0, "status")), change.touched());
        assertTrue(stage.isDone());
        assertEquals(6, replica.snapshot().rev());
    }

    @Test
    void eventThatOvertakesItsOwnWritesAcknowledgementWaitsForIt() {
        replica.sending(6);
        replica.onEvent(Event.of(event(fullDocument("e1", 6, "{users: [], n: 1}"))));
        assertEquals(0, listener.pending(), "applied before the own write's outcome was known");
        replica.register(new Replica.Pending(new Write.Set(Path.of("n"), IntNode.valueOf(1)), new Commit("e1", 6, 0),
                new CompletableFuture<>()));
        Change change = listener.next();
        assertEquals(new Write.Set(Path.of("n"), IntNode.valueOf(1)), change.write());
        assertEquals(java.util.List.of(Path.of("n")), change.touched());
    }

    @Test
    void lookedUpDocumentSeveralRevisionsAheadReplaysTheOwnWritesInBetween() {
        for (int rev = 6; rev <= 8; rev++) {
            replica.sending(rev);
            replica.register(new Replica.Pending(new Write.Set(Path.of("n" + rev), IntNode.valueOf(rev)),
                    new Commit("e1", rev, 0), new CompletableFuture<>()));
        }
        replica.onEvent(Event.of(event(fullDocument("e1", 8,
                "{users: [{name: 'A', status: 'on'}], n6: 6, n7: 7, n8: 8}"))));
        for (int rev = 6; rev <= 8; rev++) {
            Change change = listener.next();
            assertEquals(rev, change.rev());
            assertFalse(change.reset());
            assertEquals(java.util.List.of(Path.of("n" + rev)), change.touched());
        }
        assertEquals(0, reloads.get(), "the replayed writes matched the looked-up document");
    }

    @Test
    void heldEventIsAppliedAnywayWhenTheOwnWriteNeverReports() {
        replica.sending(6);
        executor.execute(() -> replica.onEvent(Event.of(event(fullDocument("e1", 6, "{x: 1}")))));
        Change change = listener.next();
        assertEquals(6, change.rev());
        assertNull(change.write());
    }

    @Test
    void dataChangedWithoutARevGetsOneAndIsThenReadInFull() {
        replica.onEvent(Event.of(update("{updatedFields: {'data.users.0.status': 'away'}, removedFields: []}")));
        assertEquals(java.util.List.of(5L), bumps);
        assertEquals(0, listener.pending());
        replica.onEvent(Event.of(update("{updatedFields: {rev: 6}, removedFields: []}")));
        assertEquals(1, reloads.get(), "the bumped rev's delta does not carry the change: reload");
        replica.load(new StoredDocument("e1", 6, json("{\"users\": [{\"name\": \"A\", \"status\": \"away\"}]}"), null));
        Change change = listener.next();
        assertEquals(6, change.rev());
        assertTrue(change.reset(), "subscribers get init");
    }

    @Test
    void documentReplacedWithoutRevAndEpochReloads() {
        replica.onEvent(Event.of(event("{_id: {_data: 't'}, operationType: 'replace', documentKey: {_id: 'main'},"
                + " fullDocument: {_id: 'main', data: {z: 1}}}")));
        assertEquals(1, reloads.get());
        assertEquals(0, listener.pending());
    }

    @Test
    void eventsAtOrBelowTheReplicaRevisionAreIgnored() {
        replica.onEvent(Event.of(event(fullDocument("e1", 5, "{other: true}"))));
        replica.onEvent(Event.of(update("{updatedFields: {probe: 'p:1'}, removedFields: []}")));
        assertEquals(0, listener.pending());
        assertEquals(5, replica.snapshot().rev());
        assertEquals(0, reloads.get());
    }
    private static String described(long rev, String data, String w) {
        return "{_id: {_data: 't'}, operationType: 'update', documentKey: {_id: 'main'},"
                + " fullDocument: {_id: 'main', epoch: 'e1', rev: " + rev + ", data: " + data + ", w: " + w + "}}";
    }

    private static final String STATUS_OFF = "{rev: 6, epoch: 'e1', op: 'set', path: ['users', 0, 'status'],"
            + " touched: [['users', 0, 'status']]}";

    @Test
    void anotherInstancesWriteIsRebuiltFromTheDescriptorInTheLookedUpDocument() {
        replica.onEvent(Event.of(event(described(6, "{users: [{name: 'A', status: 'off'}]}", STATUS_OFF))));
        Change change = listener.next();
        assertEquals(6, change.rev());
        assertEquals(new Write.Set(Path.of("users", 0, "status"), json("\"off\"")), change.write());
        assertEquals(java.util.List.of(Path.of("users", 0, "status")), change.touched());
        assertFalse(change.reset());
        assertEquals(0, reloads.get());
    }

    @Test
    void anotherInstancesWriteIsRebuiltFromTheDescriptorInTheUpdateDescription() {
        replica.onEvent(Event.of(update("{updatedFields: {'data.users.1': {name: 'B'}, w: {rev: 6, epoch: 'e1',"
                + " op: 'set', path: ['users', 1], touched: [['users', 1]]}, rev: 6}, removedFields: []}")));
        Change change = listener.next();
        assertEquals(new Write.Set(Path.of("users", 1), json("{\"name\": \"B\"}")), change.write());
        assertEquals(json("{\"users\": [{\"name\": \"A\", \"status\": \"on\"}, {\"name\": \"B\"}]}"),
                change.after());
    }

    @Test
    void anotherInstancesDeleteAndReplaceAreRebuiltAsTheirWriterPublishedThem() {
        replica.onEvent(Event.of(event(described(6, "{users: [{name: 'A'}]}", "{rev: 6, epoch: 'e1', op: 'delete',"
                + " path: ['users', 0, 'status'], touched: [['users', 0, 'status']]}"))));
        Change delete = listener.next();
        assertEquals(new Write.Delete(Path.of("users", 0, "status")), delete.write());
        assertFalse(delete.reset());
        replica.onEvent(Event.of(event(described(7, "{fresh: 1}",
                "{rev: 7, epoch: 'e1', op: 'replace', path: [], touched: [[]]}"))));
        Change replace = listener.next();
        assertEquals(new Write.Replace(json("{\"fresh\": 1}")), replace.write());
        assertTrue(replace.reset(), "subscribers get init, as on the writing instance");
    }

    @Test
    void descriptorOfAnEarlierRevDescribesNothing() {
        replica.onEvent(Event.of(event(described(6, "{users: [{name: 'A', status: 'off'}]}",
                STATUS_OFF.replace("rev: 6", "rev: 5")))));
        Change change = listener.next();
        assertEquals(java.util.List.of(Path.root()), change.touched());
        assertNull(change.write());
    }

    @Test
    void descriptorThatDoesNotLeadToTheStoredDataIsNotTrusted() {
        replica.onEvent(Event.of(event(described(6, "{users: [{name: 'A', status: 'off'}], also: 1}", STATUS_OFF))));
        Change change = listener.next();
        assertEquals(json("{\"users\": [{\"name\": \"A\", \"status\": \"off\"}], \"also\": 1}"), change.after());
        assertEquals(java.util.List.of(Path.root()), change.touched());
        assertNull(change.write());
    }

    @Test
    void lookedUpDocumentAheadByOwnWritesAndAnotherInstancesLastWriteReplaysThemAll() {
        replica.sending(6);
        replica.register(new Replica.Pending(new Write.Set(Path.of("n"), IntNode.valueOf(6)), new Commit("e1", 6, 0),
                new CompletableFuture<>()));
        replica.onEvent(Event.of(event(described(7, "{users: [{name: 'A', status: 'on'}], n: 7}",
                "{rev: 7, epoch: 'e1', op: 'set', path: ['n'], touched: [['n']]}"))));
        Change own = listener.next();
        Change theirs = listener.next();
        assertEquals(new Write.Set(Path.of("n"), IntNode.valueOf(6)), own.write());
        assertEquals(7, theirs.rev());
        assertEquals(new Write.Set(Path.of("n"), IntNode.valueOf(7)), theirs.write());
        assertFalse(theirs.reset());
        assertEquals(0, reloads.get());
    }
}

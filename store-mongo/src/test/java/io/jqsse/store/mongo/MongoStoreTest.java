package io.jqsse.store.mongo;

import static io.jqsse.store.mongo.ChangeEvents.json;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.IntNode;
import com.mongodb.client.model.Filters;
import com.mongodb.reactivestreams.client.MongoClient;
import com.mongodb.reactivestreams.client.MongoClients;
import com.mongodb.reactivestreams.client.MongoCollection;
import io.jqsse.store.Change;
import io.jqsse.store.Commit;
import io.jqsse.store.DocumentStore;
import io.jqsse.store.Path;
import io.jqsse.store.RecordingListener;
import io.jqsse.store.StoreUnavailableException;
import io.jqsse.store.Write;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.BooleanSupplier;
import org.bson.BsonDocument;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** MongoStore against a real driver and the in-process server: writers outside the store, outages, start-up. */
class MongoStoreTest {

    private static final Duration DEADLINE = Duration.ofSeconds(20);

    private MongoFixture mongo;
    private MongoStore store;
    private MongoClient client;

    @AfterEach
    void closeEverything() {
        if (store != null) {
            store.close();
        }
        if (client != null) {
            client.close();
        }
        if (mongo != null) {
            mongo.close();
        }
    }

    private MongoCollection<BsonDocument> collection() {
        client = MongoClients.create(mongo.uri());
        return client.getDatabase("jqsse_test").getCollection(mongo.collection(), BsonDocument.class);
    }

    @Test
    void writeMadeDirectlyWithTheDriverReachesTheListener() throws Exception {
        mongo = MongoFixture.start();
        store = new MongoStore(mongo.config().build());
        store.start().toCompletableFuture().get(DEADLINE.toMillis(), TimeUnit.MILLISECONDS);
        RecordingListener listener = new RecordingListener(DEADLINE);
        store.subscribe(listener);
        BsonDocument update = BsonDocument.parse("{$set: {'data.users': [{name: 'Alice', n: {$numberLong: '7'}}]},"
                + " $inc: {rev: 1}}");
        Rx.first(collection().updateOne(Filters.eq("_id", mongo.lastDocumentId()), update))
                .get(DEADLINE.toMillis(), TimeUnit.MILLISECONDS);
        Change change = listener.next();
        assertEquals(1, change.rev());
        JsonNode alice = change.after().path("users").path(0);
        assertEquals("Alice", alice.path("name").textValue(), change.after().toString());
        assertTrue(alice.path("n").isLong() && alice.path("n").longValue() == 7, "int64 read back as " + alice);
        assertNull(change.write(), "an external write is not known as a Write");
        assertEquals(change.after(), store.snapshot().document());
    }

    @Test
    void documentReplacedByAForeignWriterIsAdoptedUnderANewEpochAndResetsTheListener() throws Exception {
        mongo = MongoFixture.start();
        store = new MongoStore(mongo.config().build());
        store.start().toCompletableFuture().get(DEADLINE.toMillis(), TimeUnit.MILLISECONDS);
        RecordingListener listener = new RecordingListener(DEADLINE);
        String epoch = store.subscribe(listener).epoch();
        Rx.first(collection().replaceOne(Filters.eq("_id", mongo.lastDocumentId()),
                BsonDocument.parse("{_id: '" + mongo.lastDocumentId() + "', data: {z: 1}}")))
                .get(DEADLINE.toMillis(), TimeUnit.MILLISECONDS);
        Change change = listener.next();
        assertTrue(change.reset());
        assertTrue(!change.epoch().equals(epoch), "epoch: " + change.epoch() + " (expected: a new one)");
        assertEquals(json("{\"z\": 1}"), change.after());
        assertEquals(change.snapshot(), store.snapshot());
    }

    @Test
    void documentWrittenWithoutRevAndEpochIsAdoptedAtRevisionZero() throws Exception {
        mongo = MongoFixture.start();
        MongoStoreConfig config = mongo.config().build();
        Rx.first(collection().insertOne(BsonDocument.parse("{_id: '" + mongo.lastDocumentId() + "', data: {a: 1}}")))
                .get(DEADLINE.toMillis(), TimeUnit.MILLISECONDS);
        store = new MongoStore(config);
        store.start().toCompletableFuture().get(DEADLINE.toMillis(), TimeUnit.MILLISECONDS);
        assertEquals(0, store.snapshot().rev());
        assertEquals(json("{\"a\": 1}"), store.snapshot().document());
        Commit commit = store.write(new Write.Set(Path.of("b"), IntNode.valueOf(2)), 0)
                .toCompletableFuture().get(DEADLINE.toMillis(), TimeUnit.MILLISECONDS);
        assertEquals(new Commit(store.snapshot().epoch(), 1, commit.timeMillis()), commit);
        assertEquals(json("{\"a\": 1, \"b\": 2}"), store.snapshot().document());
    }

    @Test
    void documentWithAnEpochThatWouldBreakEventIdsIsAdoptedUnderAFreshOne() throws Exception {
        mongo = MongoFixture.start();
        MongoStoreConfig config = mongo.config().build();
        Rx.first(collection().insertOne(BsonDocument.parse("{_id: '" + mongo.lastDocumentId()
                        + "', data: {a: 1}, rev: 7, epoch: 'bad\\nepoch'}")))
                .get(DEADLINE.toMillis(), TimeUnit.MILLISECONDS);
        store = new MongoStore(config);
        store.start().toCompletableFuture().get(DEADLINE.toMillis(), TimeUnit.MILLISECONDS);
        assertTrue(StoredDocument.EPOCH.matcher(store.snapshot().epoch()).matches(), store.snapshot().epoch());
        assertEquals(json("{\"a\": 1}"), store.snapshot().document());
    }

    @Test
    void startFailsWithAMessageSayingHowToFixADeploymentWithoutChangeStreams() {
        mongo = MongoFixture.withoutOplog();
        store = new MongoStore(mongo.config().probeTimeout(Duration.ofSeconds(1)).build());
        try {
            store.start().toCompletableFuture().get(DEADLINE.toMillis(), TimeUnit.MILLISECONDS);
            fail("start() succeeded against a server without change streams");
        } catch (ExecutionException e) {
            String message = e.getCause().getMessage();
            assertTrue(message.contains("change streams: unavailable"), message);
            assertTrue(message.contains("--replSet") && message.contains("rs.initiate()"), message);
        } catch (InterruptedException | TimeoutException e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void startFailsWithAMessageNamingTheAddressWhenMongoDbIsUnreachable() throws Exception {
        int port;
        try (java.net.ServerSocket socket = new java.net.ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        store = new MongoStore(MongoStoreConfig.builder()
                .uri("mongodb://127.0.0.1:" + port + "/?serverSelectionTimeoutMS=200")
                .probeTimeout(Duration.ofSeconds(2)).build());
        try {
            store.start().toCompletableFuture().get(DEADLINE.toMillis(), TimeUnit.MILLISECONDS);
            fail("start() succeeded without a MongoDB");
        } catch (ExecutionException e) {
            String message = e.getCause().getMessage();
            assertTrue(message.startsWith("MongoDB: unreachable at mongodb://127.0.0.1:" + port), message);
        }
    }

    @Test
    void everyAcknowledgedWriteSurvivesARestartOfMongoDbAndTheReplicaConverges() throws Exception {
        mongo = MongoFixture.start();
        assumeTrue(mongo.isInProcess(), "needs the in-process server to restart it");
        store = new MongoStore(mongo.config().replicaTimeout(Duration.ofSeconds(2)).build());
        store.start().toCompletableFuture().get(DEADLINE.toMillis(), TimeUnit.MILLISECONDS);
        RecordingListener listener = new RecordingListener(DEADLINE);
        store.subscribe(listener);
        List<String> acknowledged = new ArrayList<>();
        List<Thread> writers = new ArrayList<>();
        for (int t = 0; t < 2; t++) {
            int writer = t;
            Thread thread = new Thread(() -> writeUntilAcknowledged(writer, 30, acknowledged));
            writers.add(thread);
            thread.start();
        }
        await(() -> size(acknowledged) >= 10, "10 acknowledged writes before the restart");
        String epoch = store.snapshot().epoch();
        mongo.stopServer();
        await(() -> !store.health().available(), "health unavailable while MongoDB is down");
        assertInstanceOf(StoreUnavailableException.class, failure(store.write(
                new Write.Set(Path.of("down"), IntNode.valueOf(1)), DocumentStore.ANY_REV)));
        mongo.restartServer();
        for (Thread thread : writers) {
            thread.join(DEADLINE.toMillis() * 3);
        }
        assertEquals(60, size(acknowledged), "writes acknowledged before the deadline");
        assertEquals(epoch, store.snapshot().epoch(), "the document survived the restart");
        await(() -> store.health().available(), "health available again");
        BsonDocument stored = Rx.first(collection().find(Filters.eq("_id", mongo.lastDocumentId())).first())
                .get(DEADLINE.toMillis(), TimeUnit.MILLISECONDS);
        JsonNode data = BsonJson.toJson(stored.get("data"));
        for (String key : acknowledged) {
            assertTrue(data.has(key), "acknowledged write " + key + " lost: " + data);
        }
        long rev = stored.getNumber("rev").longValue();
        await(() -> store.snapshot().rev() == rev && store.snapshot().document().equals(data),
                "the replica converges on the stored document at rev " + rev);
        long last = 0;
        while (last < rev) {
            Change change = listener.next();
            assertTrue(change.rev() > last, "rev " + change.rev() + " after " + last);
            assertTrue(change.reset() || change.rev() == last + 1 || last == 0, "gap without a reset at " + change.rev());
            last = change.rev();
        }
    }

    @Test
    void twoStoresWritingTheSameDocumentConvergeWithUnbrokenChangeChains() throws Exception {
        mongo = MongoFixture.start();
        store = new MongoStore(mongo.config().build());
        store.start().toCompletableFuture().get(DEADLINE.toMillis(), TimeUnit.MILLISECONDS);
        try (MongoStore other = new MongoStore(mongo.sameDocument().build())) {
            other.start().toCompletableFuture().get(DEADLINE.toMillis(), TimeUnit.MILLISECONDS);
            RecordingListener mine = new RecordingListener(DEADLINE);
            RecordingListener theirs = new RecordingListener(DEADLINE);
            JsonNode start = store.subscribe(mine).document();
            JsonNode otherStart = other.subscribe(theirs).document();
            List<java.util.concurrent.CompletableFuture<Commit>> writes = new ArrayList<>();
            for (int i = 0; i < 20; i++) {
                writes.add(store.write(new Write.Set(Path.of("mine", "k" + i), IntNode.valueOf(i)),
                        DocumentStore.ANY_REV).toCompletableFuture());
                writes.add(other.write(new Write.Set(Path.of("theirs", "k" + i), IntNode.valueOf(i)),
                        DocumentStore.ANY_REV).toCompletableFuture());
            }
            long rev = 0;
            for (java.util.concurrent.CompletableFuture<Commit> w : writes) {
                rev = Math.max(rev, w.get(DEADLINE.toMillis(), TimeUnit.MILLISECONDS).rev());
            }
            assertEquals(40, rev);
            JsonNode mineEnd = replay(mine, start, rev);
            JsonNode theirsEnd = replay(theirs, otherStart, rev);
            assertEquals(mineEnd, theirsEnd);
            assertEquals(20, mineEnd.path("mine").size());
            assertEquals(20, mineEnd.path("theirs").size());
        }
    }

    /** Follows a listener's changes up to {@code rev}, checking each starts where the previous ended. */
    private static JsonNode replay(RecordingListener listener, JsonNode start, long rev) {
        JsonNode doc = start;
        long last = 0;
        while (last < rev) {
            Change change = listener.next();
            assertTrue(change.reset() || change.rev() == last + 1, "gap without a reset at " + change.rev());
            if (!change.reset()) {
                assertEquals(doc, change.before(), "change " + change.rev() + " does not start where " + last + " ended");
            }
            doc = change.after();
            last = change.rev();
        }
        return doc;
    }

    private void writeUntilAcknowledged(int writer, int count, List<String> acknowledged) {
        long deadline = System.nanoTime() + DEADLINE.toNanos() * 3;
        for (int i = 0; i < count && System.nanoTime() < deadline; ) {
            String key = "w" + writer + "_" + i;
            try {
                store.write(new Write.Set(Path.of(key), IntNode.valueOf(i)), DocumentStore.ANY_REV)
                        .toCompletableFuture().get(DEADLINE.toMillis(), TimeUnit.MILLISECONDS);
                synchronized (acknowledged) {
                    acknowledged.add(key);
                }
                i++;
            } catch (ExecutionException e) {
                if (!(e.getCause() instanceof StoreUnavailableException)) {
                    throw new AssertionError(e.getCause());
                }
            } catch (InterruptedException | TimeoutException e) {
                throw new AssertionError(e);
            }
        }
    }

    private static int size(List<String> list) {
        synchronized (list) {
            return list.size();
        }
    }

    private static Throwable failure(java.util.concurrent.CompletionStage<Commit> stage) {
        try {
            stage.toCompletableFuture().get(DEADLINE.toMillis(), TimeUnit.MILLISECONDS);
            throw new AssertionError("write succeeded while MongoDB was down");
        } catch (ExecutionException e) {
            return e.getCause();
        } catch (InterruptedException | TimeoutException e) {
            throw new AssertionError(e);
        }
    }

    /** Polls {@code condition} until it holds or the deadline passes; yields between polls without sleeping on a guess. */
    private static void await(BooleanSupplier condition, String what) {
        long deadline = System.nanoTime() + DEADLINE.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                fail("not within " + DEADLINE + ": " + what);
            }
            java.util.concurrent.locks.LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(10));
        }
    }
}

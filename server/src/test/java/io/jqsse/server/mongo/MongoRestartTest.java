package io.jqsse.server.mongo;

import static io.jqsse.server.mongo.Instances.WAIT;
import static io.jqsse.server.mongo.Instances.awaitId;
import static io.jqsse.server.mongo.Instances.filters;
import static io.jqsse.server.mongo.Instances.http;
import static io.jqsse.server.mongo.Instances.revOfResponse;
import static io.jqsse.server.mongo.Instances.until;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.jqsse.server.JqSseServer;
import io.jqsse.server.testing.Http;
import io.jqsse.server.testing.SseClient;
import io.jqsse.server.testing.ViewReplica;
import io.jqsse.codec.WhatwgEventStreamParser.Event;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * MongoDB goes away and comes back while two instances serve open streams and take writes (SPEC
 * section 2, "store unreachable", and section 4): writes get 503 {@code store_unavailable} and
 * {@code /health} 503 while it is down, streams stay open, every write answered 200 is in the
 * document afterwards, and every stream's events rebuild the instance's current views. Only the
 * in-process server can be restarted from a test.
 */
class MongoRestartTest {

    static final List<String> FILTERS = List.of(".", ".w | length", ".w.a0");
    static final int MAX_WRITES_PER_WRITER = 2000;
    /**
     * Longer than the test client's 10 s: a write MongoDB acknowledged just before it stopped waits
     * for the change stream (store-mongo's replicaTimeout, 5 s, twice) before its 200.
     */
    static final Duration WRITE_TIMEOUT = Duration.ofSeconds(30);
    /** After a 503 a writer waits this long (or until stopped), as a client honouring Retry-After would. */
    static final Duration RETRY_PAUSE = Duration.ofMillis(50);
    static final Duration WRITERS_DEADLINE = Duration.ofSeconds(90);
    static final int ACKS_BEFORE_AND_AFTER = 10;

    private MongoFixture mongo;
    private Instances jq;
    private final CountDownLatch stop = new CountDownLatch(1);
    private Thread[] writers = new Thread[0];

    @BeforeEach
    void startMongo() {
        mongo = MongoFixture.start();
        jq = new Instances(mongo);
    }

    @AfterEach
    void closeAll() throws IOException, InterruptedException {
        stop.countDown();
        for (Thread w : writers) {
            w.join(WAIT.toMillis());
        }
        try {
            jq.close();
        } finally {
            mongo.close();
        }
    }

    /** What one writer saw: the keys answered 200, how many 503s, and anything else (must stay empty). */
    record Outcomes(Map<String, Integer> acknowledged, AtomicInteger unavailable, AtomicReference<String> last503,
                    Queue<String> unexpected) {
        Outcomes() {
            this(new ConcurrentHashMap<>(), new AtomicInteger(), new AtomicReference<>(), new ConcurrentLinkedQueue<>());
        }

        @Override
        public String toString() {
            return acknowledged.size() + " answered 200 (" + new TreeMap<>(acknowledged).keySet() + "), "
                    + unavailable + " answered 503 (the last: " + last503 + "), unexpected " + unexpected;
        }
    }

    @Test
    void writesAnsweredDuringAMongoRestartAreKeptAndEveryOpenStreamConverges() throws Exception {
        assumeTrue(mongo.canRestart(), "-Dmongo.uri: a real MongoDB is not restarted by tests");
        JqSseServer a = jq.start();
        JqSseServer b = jq.start();
        Instances.awaitRev(b, revOfResponse(http(a).post("{\"w\":{}}")));
        SseClient onA = jq.stream(a, filters(FILTERS));
        SseClient onB = jq.stream(b, filters(FILTERS));
        onA.awaitCount(1 + FILTERS.size(), WAIT);
        onB.awaitCount(1 + FILTERS.size(), WAIT);
        Outcomes viaA = new Outcomes();
        Outcomes viaB = new Outcomes();
        writers = new Thread[] {writer(a, "a", viaA), writer(b, "b", viaB)};
        for (Thread w : writers) {
            w.start();
        }
        until(() -> viaA.acknowledged.size() >= ACKS_BEFORE_AND_AFTER
                && viaB.acknowledged.size() >= ACKS_BEFORE_AND_AFTER, WAIT, "writes acknowledged before the stop");

        mongo.stop();
        assertUnavailableWhileDown(List.of(a, b), viaA, viaB);
        assertFalse(onA.ended() || onB.ended(), "a stream closed while MongoDB was down");
        int ackedBeforeRestart = viaA.acknowledged.size() + viaB.acknowledged.size();
        mongo.restart();
        until(() -> health(a) == 200 && health(b) == 200, WAIT, "/health 200 on both instances after the restart");
        until(() -> viaA.acknowledged.size() + viaB.acknowledged.size()
                        >= ackedBeforeRestart + 2 * ACKS_BEFORE_AND_AFTER,
                WAIT, () -> "writes acknowledged after the restart; via A " + viaA + ", via B " + viaB);
        stopWriters();
        assertEquals(List.of(), List.copyOf(viaA.unexpected), "answers other than 200 or 503 via A");
        assertEquals(List.of(), List.copyOf(viaB.unexpected), "answers other than 200 or 503 via B");

        long done = revOfResponse(http(a).patch(".done", "true"));
        Instances.awaitRev(b, done);
        JsonNode stored = Http.json(mongo.read().getDocument("data").toJson());
        assertAcknowledgedWritesAreIn(stored, "a", viaA, "the stored document");
        assertAcknowledgedWritesAreIn(stored, "b", viaB, "the stored document");
        assertEquals(stored, Instances.view(a, "."), "the stored document and A's");
        assertEquals(stored, Instances.view(b, "."), "the stored document and B's");
        assertStreamConverged(onA, a, done);
        assertStreamConverged(onB, b, done);
    }

    /** Both instances report 503 on /health, each writer has seen a 503, and a write gets 503 store_unavailable. */
    private static void assertUnavailableWhileDown(List<JqSseServer> servers, Outcomes... writers) throws Exception {
        until(() -> servers.stream().allMatch(s -> health(s) == 503), WAIT, "/health 503 on every instance");
        until(() -> Stream.of(writers).allMatch(w -> w.unavailable.get() > 0), WAIT, "a 503 for each writer");
        for (JqSseServer s : servers) {
            HttpResponse<String> health = http(s).send("GET", "/health", null, null);
            assertEquals("store_unavailable", Http.json(health.body()).get("error").asText(), health.body());
            HttpResponse<String> r = http(s).send("PATCH", "/store?path=.down", "application/json", "true");
            assertEquals(503, r.statusCode(), r.body());
            assertEquals("store_unavailable", Http.json(r.body()).get("error").asText(), r.body());
        }
    }

    private void stopWriters() throws InterruptedException {
        stop.countDown();
        for (Thread w : writers) {
            w.join(WAIT.toMillis());
            assertFalse(w.isAlive(), "a writer still running");
        }
    }

    /** A bounded loop of {@code PATCH .w.<name><i> = i} through {@code server}, sorting the answers. */
    private Thread writer(JqSseServer server, String name, Outcomes out) {
        Thread t = new Thread(() -> {
            HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
            long deadline = System.nanoTime() + WRITERS_DEADLINE.toNanos();
            for (int i = 0; i < MAX_WRITES_PER_WRITER && stop.getCount() > 0 && System.nanoTime() < deadline; i++) {
                String key = name + i;
                try {
                    HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:"
                                    + server.port() + "/store?path=" + Http.enc(".w." + key)))
                            .timeout(WRITE_TIMEOUT).header("Content-Type", "application/json")
                            .method("PATCH", HttpRequest.BodyPublishers.ofString(Integer.toString(i))).build(),
                            HttpResponse.BodyHandlers.ofString());
                    if (r.statusCode() == 200) {
                        out.acknowledged.put(key, i);
                    } else if (r.statusCode() == 503 && r.body().contains("\"store_unavailable\"")) {
                        out.unavailable.incrementAndGet();
                        out.last503.set(key + ": " + r.body());
                        stop.await(RETRY_PAUSE.toMillis(), TimeUnit.MILLISECONDS);
                    } else {
                        out.unexpected.add(key + ": " + r.statusCode() + " " + r.body());
                    }
                } catch (IOException | RuntimeException e) {
                    out.unexpected.add(key + ": " + e);
                } catch (InterruptedException e) {
                    return;
                }
            }
        }, "writer-" + name);
        t.setDaemon(true);
        return t;
    }

    private static int health(JqSseServer server) {
        return http(server).send("GET", "/health", null, null).statusCode();
    }

    private static void assertAcknowledgedWritesAreIn(JsonNode document, String name, Outcomes out, String what) {
        Map<String, Integer> missing = new TreeMap<>();
        out.acknowledged.forEach((key, value) -> {
            JsonNode at = document.path("w").get(key);
            if (at == null || at.asInt() != value) {
                missing.put(key, value);
            }
        });
        assertEquals(Map.of(), missing, "writes answered 200 via " + name + " but not in " + what + ": " + document);
    }

    /** The stream is still the one opened before the restart, and its events rebuild every view. */
    private static void assertStreamConverged(SseClient stream, JqSseServer server, long rev) throws Exception {
        List<Event> events = awaitId(stream, rev);
        assertFalse(stream.ended(), "the stream closed");
        assertEquals(1, events.stream().filter(e -> e.type().equals("connected")).count(), "one connection");
        ViewReplica replica = new ViewReplica();
        replica.applyAll(events);
        for (String f : FILTERS) {
            assertEquals(Instances.view(server, f), replica.view(f), "filter " + f + " on port " + server.port());
        }
    }
}

package io.jqsse.server.internal.stream;

import static io.jqsse.server.internal.stream.StreamFixture.WAIT;
import static io.jqsse.server.internal.stream.StreamFixture.ofType;
import static io.jqsse.server.testing.Http.json;
import static io.jqsse.server.testing.SseClient.q;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.jqsse.server.testing.Http;
import io.jqsse.server.testing.SseClient;
import io.jqsse.server.testing.ViewReplica;
import io.jqsse.codec.WhatwgEventStreamParser.Event;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/** Resume with Last-Event-ID (SPEC section 3, event ids and the replay buffer). */
class ResumeEndToEndTest {

    static final String FILTER = ".items[] | select(.v > 2)";

    @Test
    void aResumedStreamGetsExactlyTheMissedDeltasAndNoInitialData() throws Exception {
        try (StreamFixture f = new StreamFixture()) {
            f.http.post("{\"items\":[{\"v\":1},{\"v\":5}],\"other\":0}");
            SseClient first = f.stream("filter=" + q(FILTER));
            first.awaitCount(2, WAIT);
            String id = first.lastEventId();
            first.close();
            f.http.patch(".items[0].v", "7");
            f.http.patch(".other", "1");
            f.http.patch(".items[1].v", "0");
            SseClient again = f.stream("filter=" + q(FILTER), Map.of("Last-Event-ID", id));
            List<Event> ev = again.awaitCount(3, WAIT);
            assertTrue(again.awaitHead(WAIT).contains("Last-Event-ID: " + id), again.awaitHead(WAIT));
            assertEquals(List.of("connected", "update", "delete"), ev.stream().map(Event::type).toList());
            assertEquals(".items[0]", json(ev.get(1).data()).get("path").asText());
            assertEquals(".items[1]", json(ev.get(2).data()).get("path").asText());
            String epoch = id.substring(0, id.indexOf(':'));
            assertEquals(epoch + ":4", ev.get(2).lastEventId());
        }
    }

    @Test
    void theQueryParameterResumesLikeTheHeader() throws Exception {
        try (StreamFixture f = new StreamFixture()) {
            f.http.post("{\"a\":1}");
            SseClient first = f.stream("filter=.a");
            first.awaitCount(2, WAIT);
            String id = first.lastEventId();
            first.close();
            f.http.patch(".a", "2");
            SseClient again = f.stream("filter=.a&last_event_id=" + q(id));
            List<Event> ev = again.awaitCount(2, WAIT);
            assertEquals("update", ev.get(1).type());
        }
    }

    @Test
    void aResumePointOutsideTheReplayBufferOrFromAnotherEpochGetsInit() throws Exception {
        try (StreamFixture f = new StreamFixture(b -> b.replayBufferSize(2))) {
            f.http.post("{\"a\":1}");
            SseClient first = f.stream("filter=.a");
            first.awaitCount(2, WAIT);
            String id = first.lastEventId();
            first.close();
            for (int i = 2; i < 6; i++) {
                f.http.patch(".a", Integer.toString(i));
            }
            SseClient old = f.stream("filter=.a", Map.of("Last-Event-ID", id));
            List<Event> ev = old.awaitCount(2, WAIT);
            assertEquals("init", ev.get(1).type());
            assertEquals(5, json(ev.get(1).data()).get("value").asInt());
            SseClient other = f.stream("filter=.a", Map.of("Last-Event-ID", "nosuchepoch:3"));
            assertEquals("init", other.awaitCount(2, WAIT).get(1).type());
        }
    }

    @Test
    void aResumePointAheadOfThisServerWaitsUntilTheServerReachesIt() throws Exception {
        try (StreamFixture f = new StreamFixture()) {
            JsonNode first = f.http.post("{\"a\":1}");
            long rev = first.get("data").get("rev").asLong();
            SseClient probe = f.stream("filter=.a");
            String epoch = probe.awaitCount(1, WAIT).get(0).data().replaceAll(".*\"epoch\":\"([^\"]+)\".*", "$1");
            SseClient ahead = f.stream("filter=.a", Map.of("Last-Event-ID", epoch + ":" + (rev + 2)));
            f.http.patch(".a", "2");
            f.http.patch(".a", "3");
            f.http.patch(".a", "4");
            List<Event> ev = ahead.awaitCount(2, WAIT);
            assertEquals(List.of("connected", "update"), ev.stream().map(Event::type).toList());
            assertEquals(4, json(ev.get(1).data()).get("value").asInt());
            assertTrue(ahead.awaitHead(WAIT).contains("Last-Event-ID: " + epoch + ":" + (rev + 2)));
        }
    }

    @Test
    void aResumePointTheServerNeverReachesGetsInitAfterTheWait() throws Exception {
        try (StreamFixture f = new StreamFixture()) {
            f.http.post("{\"a\":1}");
            SseClient probe = f.stream("filter=.a");
            String epoch = probe.awaitCount(1, WAIT).get(0).data().replaceAll(".*\"epoch\":\"([^\"]+)\".*", "$1");
            SseClient ahead = f.stream("filter=.a", Map.of("Last-Event-ID", epoch + ":999"));
            List<Event> ev = ahead.awaitCount(2, WAIT);
            assertEquals("init", ev.get(1).type());
            assertEquals(1, json(ev.get(1).data()).get("value").asInt());
        }
    }

    /**
     * A writer keeps writing while clients disconnect at random points and resume from their last
     * id: each client's events, concatenated over its connections, rebuild the server's view, and no
     * client sees a rev twice or out of order.
     */
    @Test
    void resumingUnderConcurrentWritesLosesAndRepeatsNothing() throws Exception {
        long seed = Long.getLong("jqsse.seed", System.nanoTime());
        Random rnd = new Random(seed);
        try (StreamFixture f = new StreamFixture()) {
            StringBuilder items = new StringBuilder("{\"items\":[");
            for (int i = 0; i < 8; i++) {
                items.append(i == 0 ? "" : ",").append("{\"v\":").append(i % 5).append('}');
            }
            f.http.post(items.append("]}").toString());
            AtomicBoolean stop = new AtomicBoolean();
            AtomicReference<Throwable> writerFailure = new AtomicReference<>();
            Thread writer = new Thread(() -> {
                Random w = new Random(seed ^ 0x5DEECE66DL);
                Http http = new Http(f.server.port());
                try {
                    for (int i = 0; i < 600 && !stop.get(); i++) {
                        http.patch(".items[" + w.nextInt(8) + "].v", Integer.toString(w.nextInt(6)));
                    }
                } catch (Throwable t) {
                    writerFailure.set(t);
                }
            }, "writer");
            writer.start();
            List<List<Event>> histories = new ArrayList<>();
            List<Thread> readers = new ArrayList<>();
            for (int c = 0; c < 3; c++) {
                List<Event> history = new ArrayList<>();
                histories.add(history);
                int reconnects = 3 + rnd.nextInt(3);
                long readerSeed = rnd.nextLong();
                Thread t = new Thread(() -> readAndResume(f, history, reconnects, new Random(readerSeed), writer),
                        "reader");
                readers.add(t);
                t.start();
            }
            writer.join(WAIT.toMillis() * 3);
            stop.set(true);
            for (Thread t : readers) {
                t.join(WAIT.toMillis() * 3);
            }
            assertEquals(null, writerFailure.get(), "seed " + seed);
            JsonNode expected = f.http.view(FILTER);
            for (List<Event> history : histories) {
                assertTrue(!history.isEmpty() && history.get(0).type().equals("connected"), "seed " + seed);
                ViewReplica replica = new ViewReplica();
                replica.applyAll(history);
                assertEquals(expected, replica.view(FILTER), "seed " + seed + " " + history);
                List<Long> revs = replica.revs();
                for (int i = 1; i < revs.size(); i++) {
                    assertTrue(revs.get(i) >= revs.get(i - 1), "seed " + seed + ": revs " + revs);
                }
                assertEquals(2, ofType(history, "initial_data").size(), "seed " + seed + ": one per filter, once");
            }
        }
    }

    /**
     * One client: connect, read a random number of events, drop the connection, resume from the
     * last id, several times; then follow until the writer is done and a final write arrives. Keeps
     * only events up to the last id of each connection (a write's events end with its id).
     */
    private static void readAndResume(StreamFixture f, List<Event> history, int reconnects, Random rnd, Thread writer) {
        try {
            String id = null;
            for (int k = 0; k <= reconnects; k++) {
                Map<String, String> headers = id == null ? Map.of() : Map.of("Last-Event-ID", id);
                String query = "/events?filter=" + q(FILTER) + "&filter=.done";
                try (SseClient c = SseClient.open(f.server.port(), query, headers)) {
                    if (k < reconnects) {
                        int want = 2 + rnd.nextInt(30);
                        c.awaitEvents(ev -> ev.size() >= want || !writer.isAlive(), WAIT);
                    } else {
                        writer.join(WAIT.toMillis() * 3);
                        JsonNode done = f.http.patch(".done", Long.toString(rnd.nextLong()));
                        long doneRev = done.get("data").get("rev").asLong();
                        c.awaitEvents(ev -> !ev.isEmpty() && rev(ev.get(ev.size() - 1).lastEventId()) >= doneRev, WAIT);
                    }
                    List<Event> got = c.events();
                    int keep = lastIdIndex(got);
                    if (keep >= 1) {
                        history.addAll(k == 0 ? got.subList(0, keep + 1) : got.subList(1, keep + 1));
                        id = got.get(keep).lastEventId();
                    } else if (k == 0) {
                        history.add(got.get(0));
                    }
                }
            }
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    /** The index of the last event that carried an id on this connection, or -1. */
    private static int lastIdIndex(List<Event> events) {
        int keep = -1;
        String prev = "";
        for (int i = 0; i < events.size(); i++) {
            String cur = events.get(i).lastEventId();
            if (!cur.isEmpty() && !cur.equals(prev)) {
                keep = i;
            }
            prev = cur;
        }
        return keep;
    }

    private static long rev(String id) {
        return id.isEmpty() ? -1 : Long.parseLong(id.substring(id.indexOf(':') + 1));
    }
}

package io.jqsse.server.internal.stream;

import static io.jqsse.server.internal.stream.StreamFixture.WAIT;
import static io.jqsse.server.testing.Http.json;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jqsse.server.testing.Http;
import io.jqsse.server.testing.SseClient;
import io.jqsse.server.testing.ViewReplica;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/**
 * Writes faster than the loops can write their streams: the changes queued for the loops stay
 * bounded (the loops conflate with {@code init} instead of queueing), and every stream converges
 * to the final document.
 */
class WriteFloodEndToEndTest {

    static final int WRITERS = 4;
    static final int WRITES_EACH = 150;

    @Test
    void aWriteFloodKeepsTheLoopsBacklogBoundedAndEveryStreamConverges() throws Exception {
        try (StreamFixture f = new StreamFixture()) {
            f.http.post("{\"n\":0}");
            List<SseClient> streams = new ArrayList<>();
            for (int i = 0; i < 100; i++) {
                streams.add(f.stream(i % 2 == 0 ? "filter=." : "filter=.pad"));
            }
            for (SseClient c : streams) {
                c.awaitCount(2, WAIT);
            }
            String pad = "\"" + "p".repeat(8 * 1024) + "\"";
            AtomicReference<Throwable> failure = new AtomicReference<>();
            List<Thread> writers = new ArrayList<>();
            for (int w = 0; w < WRITERS; w++) {
                int id = w;
                Thread t = new Thread(() -> {
                    Http http = new Http(f.server.port());
                    try {
                        for (int i = 0; i < WRITES_EACH; i++) {
                            http.patch(".pad", pad.replace("p\"", id + "" + i + "\""));
                        }
                    } catch (Throwable e) {
                        failure.set(e);
                    }
                });
                writers.add(t);
                t.start();
            }
            long maxQueued = 0;
            while (writers.stream().anyMatch(Thread::isAlive)) {
                maxQueued = Math.max(maxQueued, SlowConsumerEndToEndTest.metric(f, "stream_queued_changes"));
                writers.get(0).join(20);
            }
            for (Thread t : writers) {
                t.join(WAIT.toMillis());
            }
            assertNull(failure.get());
            assertTrue(maxQueued <= StreamEngine.MAX_QUEUED_CHANGES_PER_LOOP * 2 + 2 * 256,
                    "changes queued for the loops: " + maxQueued);
            long finalRev = f.http.patch(".n", "1").get("data").get("rev").asLong();
            for (int i = 0; i < streams.size(); i++) {
                String filter = i % 2 == 0 ? "." : ".pad";
                SseClient c = streams.get(i);
                ViewReplica replica = new ViewReplica();
                replica.applyAll(c.awaitEvents(ev -> !ev.isEmpty()
                        && ev.get(ev.size() - 1).lastEventId().endsWith(":" + finalRev)
                        || filter.equals(".pad") && !ev.isEmpty()
                        && json(ev.get(ev.size() - 1).data()).path("rev").asLong() >= finalRev - 1
                        && rebuilt(ev, filter).equals(f.http.view(filter)), WAIT));
                assertEquals(f.http.view(filter), replica.view(filter), "stream " + i + " of " + filter);
            }
        }
    }

    private static com.fasterxml.jackson.databind.JsonNode rebuilt(
            List<io.jqsse.codec.WhatwgEventStreamParser.Event> ev, String filter) {
        ViewReplica r = new ViewReplica();
        r.applyAll(ev);
        return r.view(filter);
    }
}

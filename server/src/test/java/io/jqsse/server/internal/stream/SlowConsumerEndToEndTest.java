package io.jqsse.server.internal.stream;

import static io.jqsse.server.internal.stream.StreamFixture.WAIT;
import static io.jqsse.server.internal.stream.StreamFixture.ofType;
import static io.jqsse.server.testing.Http.json;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.jqsse.server.testing.SseClient;
import io.jqsse.codec.WhatwgEventStreamParser.Event;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A reader that stops reading under a fast writer: the server stops queueing for it (its buffered
 * bytes stay under the high-water mark plus one batch), fast readers keep getting every event, and
 * when the slow one reads again it converges through {@code init} to the latest view.
 */
class SlowConsumerEndToEndTest {

    static final int HIGH_WATER = 64 * 1024;
    static final int WRITES = 400;

    @Test
    void aStalledReaderIsBoundedAndConvergesWhileFastReadersKeepUp() throws Exception {
        try (StreamFixture f = new StreamFixture(b -> b.writeBufferLowWaterMarkBytes(HIGH_WATER / 2)
                .writeBufferHighWaterMarkBytes(HIGH_WATER))) {
            f.http.post("{\"big\":\"\",\"n\":0}");
            SseClient fast = f.stream("filter=.");
            fast.awaitCount(2, WAIT);
            try (Socket slow = new Socket()) {
                slow.setReceiveBufferSize(4096);
                slow.connect(new InetSocketAddress("127.0.0.1", f.server.port()));
                slow.getOutputStream().write("GET /events?filter=. HTTP/1.1\r\nHost: x\r\n\r\n"
                        .getBytes(StandardCharsets.US_ASCII));
                String padding = "x".repeat(16 * 1024);
                long maxPending = 0;
                for (int i = 1; i <= WRITES; i++) {
                    f.http.send("POST", "/store", "application/json",
                            "{\"big\":\"" + padding + "\",\"n\":" + i + "}");
                    if (i % 50 == 0) {
                        maxPending = Math.max(maxPending, metric(f, "stream_pending_bytes_max"));
                    }
                }
                assertTrue(metric(f, "deltas_dropped_total") > 0, "the stalled reader missed events");
                assertTrue(maxPending <= HIGH_WATER + 64 * 1024,
                        "buffered for the stalled reader: " + maxPending + " bytes");
                List<Event> fastEvents = fast.awaitEvents(ev -> json(last(ev).data()).path("value").path("n").asInt()
                        == WRITES, WAIT);
                assertTrue(ofType(fastEvents, "init").size() >= WRITES / 10,
                        "the fast reader kept receiving while the slow one was stalled: "
                                + ofType(fastEvents, "init").size() + " of " + WRITES);

                SseClient drained = SseClient.adopt(slow);
                List<Event> ev = drained.awaitEvents(e -> !e.isEmpty()
                        && json(last(e).data()).path("value").path("n").asInt() == WRITES, WAIT);
                JsonNode view = json(last(ev).data());
                assertEquals("init", last(ev).type());
                assertEquals(f.http.view("."), view.get("value"));
                assertTrue(metric(f, "resyncs_total") >= 1);
            }
        }
    }

    @Test
    void aReaderBlockedLongerThanTheSlowClientTimeoutIsClosed() throws Exception {
        try (StreamFixture f = new StreamFixture(b -> b.slowClientTimeout(java.time.Duration.ofSeconds(1))
                .heartbeatInterval(java.time.Duration.ofSeconds(1))
                .writeBufferLowWaterMarkBytes(8 * 1024).writeBufferHighWaterMarkBytes(16 * 1024))) {
            try (Socket slow = new Socket()) {
                slow.setReceiveBufferSize(4096);
                slow.connect(new InetSocketAddress("127.0.0.1", f.server.port()));
                slow.getOutputStream().write("GET /events?filter=. HTTP/1.1\r\nHost: x\r\n\r\n"
                        .getBytes(StandardCharsets.US_ASCII));
                String padding = "y".repeat(32 * 1024);
                long deadline = System.nanoTime() + WAIT.toNanos();
                int i = 0;
                while (metric(f, "slow_clients_closed_total") == 0 && System.nanoTime() < deadline && i < 2000) {
                    f.http.send("POST", "/store", "application/json", "{\"p\":\"" + padding + "\",\"i\":" + i++ + "}");
                }
                assertEquals(1, metric(f, "slow_clients_closed_total"));
            }
        }
    }

    static long metric(StreamFixture f, String name) {
        JsonNode m = json(f.http.send("GET", "/metrics", null, null).body());
        JsonNode v = m.findValue(name);
        return v == null ? -1 : v.asLong();
    }

    private static Event last(List<Event> ev) {
        return ev.get(ev.size() - 1);
    }

}

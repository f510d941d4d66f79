package io.jqsse.server.internal.stream;

import static io.jqsse.server.internal.stream.StreamFixture.WAIT;
import static io.jqsse.server.testing.Http.json;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.jqsse.server.testing.Http;
import io.jqsse.server.testing.SseClient;
import io.jqsse.codec.WhatwgEventStreamParser.Event;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/**
 * Streams that open while writes go on, on a server with many loops (streams move to another
 * loop when accepted): every stream sees every write after its initial view, with no gap.
 */
class StreamStartRaceTest {

    static final int WRITES = 300;

    @Test
    void streamsOpenedDuringWritesMissNoWriteAfterTheirInitialView() throws Exception {
        try (StreamFixture f = new StreamFixture(b -> b.ioThreads(8))) {
            f.http.post("{\"n\":0}");
            AtomicReference<Throwable> failure = new AtomicReference<>();
            Thread writer = new Thread(() -> {
                Http http = new Http(f.server.port());
                try {
                    for (int i = 1; i <= WRITES; i++) {
                        http.patch(".n", Integer.toString(i));
                    }
                } catch (Throwable t) {
                    failure.set(t);
                }
            }, "writer");
            writer.start();
            List<SseClient> streams = new ArrayList<>();
            for (int i = 0; i < 60 && writer.isAlive(); i++) {
                streams.add(f.stream("filter=.n"));
            }
            writer.join(WAIT.toMillis() * 3);
            assertNull(failure.get());
            for (SseClient c : streams) {
                List<Event> ev = c.awaitEvents(e -> !e.isEmpty()
                        && json(e.get(e.size() - 1).data()).path("value").asInt(-1) == WRITES, WAIT);
                int expected = -1;
                for (Event e : ev) {
                    if (e.type().equals("connected")) {
                        continue;
                    }
                    int v = json(e.data()).get("value").asInt();
                    if (expected >= 0) {
                        assertEquals(expected, v, "a write went missing after " + (expected - 1) + ": " + ev);
                    }
                    expected = v + 1;
                }
            }
        }
    }
}

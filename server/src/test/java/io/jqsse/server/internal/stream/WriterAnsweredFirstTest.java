package io.jqsse.server.internal.stream;

import static io.jqsse.server.internal.stream.StreamFixture.WAIT;
import static io.jqsse.server.testing.SseClient.q;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.IntNode;
import io.jqsse.codec.WhatwgEventStreamParser.Event;
import io.jqsse.server.testing.SseClient;
import io.jqsse.store.DocumentStore;
import io.jqsse.store.Path;
import io.jqsse.store.Write;
import io.netty.channel.DefaultEventLoop;
import io.netty.channel.EventLoop;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * A write made on an event loop (as a request's is) is dispatched only once that loop's current task
 * is done, i.e. after the request's answer is written there; a write from any other thread is
 * dispatched at once (every other stream test).
 */
class WriterAnsweredFirstTest {

    /** Long enough for an undeferred dispatch to reach the stream on any machine that runs these tests. */
    private static final long HOLD_MILLIS = 500;

    @Test
    void aWriteOnAnEventLoopReachesStreamsOnlyAfterThatLoopsTaskEnds() throws Exception {
        EventLoop writer = new DefaultEventLoop();
        try (StreamFixture f = new StreamFixture()) {
            f.http.post("{\"a\":1}");
            SseClient c = f.stream("filter=" + q(".a"));
            c.awaitCount(2, WAIT);
            int updatesWhileHeld = writer.submit(() -> {
                f.server.store().write(new Write.Set(Path.of("a"), IntNode.valueOf(2)), DocumentStore.ANY_REV)
                        .toCompletableFuture().join();
                long end = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(HOLD_MILLIS);
                int seen = 0;
                while (System.nanoTime() < end && seen == 0) {
                    seen = StreamFixture.ofType(c.events(), "update").size();
                    Thread.onSpinWait();
                }
                return seen;
            }).get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
            assertEquals(0, updatesWhileHeld, "an update reached the stream before the writer's task ended");
            List<Event> after = c.awaitEvents(ev -> StreamFixture.has(ev, "update", 1), WAIT);
            Event update = StreamFixture.ofType(after, "update").get(0);
            assertTrue(update.data().contains("\"value\":2"), update.data());
        } finally {
            writer.shutdownGracefully(0, 1, TimeUnit.SECONDS);
        }
    }
}

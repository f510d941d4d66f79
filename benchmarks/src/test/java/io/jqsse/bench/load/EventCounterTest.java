package io.jqsse.bench.load;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.DefaultHttpContent;
import java.nio.charset.StandardCharsets;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class EventCounterTest {

    /** A stamp later than any pool's start (the year 2096), so it counts as a delivery. */
    private static final long LATER = 4_000_000_000_000_000L;

    static Stream<Integer> splits() {
        return Stream.of(1, 2, 3, 5, 7, 1000);
    }

    /** The stream cut into pieces of {@code size} bytes must count exactly as the whole does. */
    @ParameterizedTest
    @MethodSource("splits")
    void countsSurviveAnyBufferBoundary(int size) throws Exception {
        String stream = "retry: 2000\n\nevent: connected\ndata: {\"id\":\"x\"}\n\n"
                + "event: initial_data\ndata: {\"value\":{\"t\":0,\"n\":0}}\n\n"
                + "event: update\nid: e:1\ndata: {\"value\":{\"t\":" + (LATER + 10) + ",\"n\":1}}\n\n"
                + ": keepalive\n\n"
                + "event: init\ndata: {\"value\":{\"t\":" + (LATER + 20) + ",\"n\":2}}\n\n";
        Options o = Options.parse("--subscribers", "1");
        EventLoopless pool = new EventLoopless(o);
        EmbeddedChannel ch = new EmbeddedChannel(new EventCounter(pool.pool, System.nanoTime()));
        byte[] b = stream.getBytes(StandardCharsets.UTF_8);
        for (int i = 0; i < b.length; i += size) {
            ch.writeInbound(new DefaultHttpContent(Unpooled.wrappedBuffer(b, i, Math.min(size, b.length - i))));
        }
        PoolStats s = pool.pool.stats();
        assertEquals(6, s.blocks());
        assertEquals(1, s.inits());
        assertEquals(2, s.stamps(), "the initial view's stamp 0 predates the pool and is not a delivery");
        assertEquals(b.length, s.bytes());
        assertFalse(ch.finish());
        pool.close();
    }

    /** A pool that is never started: the counter only reports into it. */
    private static final class EventLoopless {
        final io.netty.channel.EventLoopGroup group = Transport.group(1);
        final SubscriberPool pool;

        EventLoopless(Options o) {
            pool = new SubscriberPool(o, group);
        }

        void close() {
            pool.close();
            group.shutdownGracefully(0, 1, java.util.concurrent.TimeUnit.SECONDS).syncUninterruptibly();
        }
    }
}

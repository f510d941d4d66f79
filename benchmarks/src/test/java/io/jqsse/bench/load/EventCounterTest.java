package io.jqsse.bench.load;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.Unpooled;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.embedded.EmbeddedChannel;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class EventCounterTest {

    /** A stamp later than any pool's start (the year 2096), so it counts as a delivery. */
    private static final long LATER = 4_000_000_000_000_000L;

    private static final String HEAD = "HTTP/1.1 200 OK\r\ncontent-type: text/event-stream\r\nconnection: close\r\n\r\n";
    private static final String CHUNKED_HEAD =
            "HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\nTransfer-Encoding: chunked\r\n\r\n";

    private static final String STREAM = "retry: 2000\n\nevent: connected\ndata: {\"id\":\"x\"}\n\n"
            + "event: initial_data\ndata: {\"value\":{\"t\":0,\"n\":0}}\n\n"
            + "event: update\nid: e:1\ndata: {\"value\":{\"t\":" + (LATER + 10) + ",\"n\":1}}\n\n"
            + ": keepalive\n\n"
            + "event: init\ndata: {\"value\":{\"t\":" + (LATER + 20) + ",\"n\":2}}\n\n";

    static Stream<Arguments> splits() {
        return Stream.of(1, 2, 3, 5, 7, 1000).flatMap(size -> Stream.of(
                Arguments.of(size, HEAD + STREAM),
                Arguments.of(size, CHUNKED_HEAD + chunked(STREAM, 17))));
    }

    /** {@code body} in chunks of {@code size} bytes (with an extension on the first), then the last chunk. */
    private static String chunked(String body, int size) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < body.length(); i += size) {
            String part = body.substring(i, Math.min(body.length(), i + size));
            b.append(Integer.toHexString(part.length())).append(i == 0 ? ";x=y" : "").append("\r\n")
                    .append(part).append("\r\n");
        }
        return b.append("0\r\n\r\n").toString();
    }

    /** The response cut into pieces of {@code size} bytes must count exactly as the whole does. */
    @ParameterizedTest
    @MethodSource("splits")
    void countsSurviveAnyBufferBoundaryWithOrWithoutChunkedFraming(int size, String response) {
        try (Harness h = new Harness()) {
            byte[] b = response.getBytes(StandardCharsets.UTF_8);
            for (int i = 0; i < b.length; i += size) {
                h.channel.writeInbound(Unpooled.wrappedBuffer(b, i, Math.min(size, b.length - i)));
            }
            PoolStats s = h.pool.stats();
            assertEquals(1, s.connected());
            assertEquals(1, s.connectTime().getTotalCount());
            assertEquals(6, s.blocks());
            assertEquals(1, s.inits());
            assertEquals(2, s.stamps(), "the initial view's stamp 0 predates the pool and is not a delivery");
            assertEquals(2, s.latency().getTotalCount());
            assertEquals(STREAM.length(), s.bytes(), "body bytes, without the head or the chunk framing");
            assertFalse(h.channel.finish());
        }
    }

    @Test
    void anotherStatusThanOkCountsAsAFailedConnectionAndClosesIt() {
        try (Harness h = new Harness()) {
            h.channel.writeInbound(Unpooled.copiedBuffer("HTTP/1.1 503 Service Unavailable\r\n\r\n",
                    StandardCharsets.US_ASCII));
            PoolStats s = h.pool.stats();
            assertEquals(0, s.connected());
            assertEquals(1, s.failed());
            assertFalse(h.channel.isOpen());
        }
    }

    static Stream<Arguments> statusLines() {
        return Stream.of(Arguments.of("HTTP/1.1 200 OK\r\n", 200), Arguments.of("HTTP/1.0 404 Not Found\r\n", 404),
                Arguments.of("SSH-2.0-OpenSSH\r\n", -1), Arguments.of("HTTP/1.1 2x0\r\n", -1),
                Arguments.of("HTTP/1.1\r\n", -1));
    }

    @ParameterizedTest
    @MethodSource("statusLines")
    void theStatusIsReadFromTheStatusLine(String head, int status) {
        assertEquals(status, EventCounter.status(head));
    }

    @Test
    void aConnectionClosedBeforeItsHeadCountsAsRefused() {
        try (Harness h = new Harness()) {
            h.channel.writeInbound(Unpooled.copiedBuffer("HTTP/1.1 20", StandardCharsets.US_ASCII));
            h.channel.close();
            PoolStats s = h.pool.stats();
            assertEquals(1, s.failed());
            assertTrue(s.connected() == 0 && s.closedEarly() == 1);
        }
    }

    /** A pool that opens no connection of its own, and one channel whose counter reports into it. */
    private static final class Harness implements AutoCloseable {
        final EventLoopGroup group = Transport.group(1);
        final SubscriberPool pool = new SubscriberPool(Options.parse("--subscribers", "0"), group);
        final EmbeddedChannel channel = new EmbeddedChannel(new EventCounter(pool, System.nanoTime()));

        @Override
        public void close() {
            channel.finishAndReleaseAll();
            pool.close();
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
        }
    }
}

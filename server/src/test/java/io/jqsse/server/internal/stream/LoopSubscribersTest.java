package io.jqsse.server.internal.stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jqsse.jq.Filter;
import io.jqsse.jq.FilterCompiler;
import io.jqsse.jq.FilterLimits;
import io.jqsse.server.ServerConfig;
import io.jqsse.store.memory.MemoryStore;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Heartbeats, idle ids and slow-client timeouts of one loop's streams, driven by an injected clock
 * on an {@link EmbeddedChannel}: no sockets, no sleeps.
 */
class LoopSubscribersTest {

    final AtomicLong now = new AtomicLong(1_000_000_000L);
    final ServerConfig config = ServerConfig.builder()
            .heartbeatInterval(Duration.ofSeconds(15))
            .slowClientTimeout(Duration.ofSeconds(30))
            .build();
    final MemoryStore store = new MemoryStore();
    final FilterCompiler compiler = new FilterCompiler(FilterLimits.defaults());
    final StreamEngine engine = new StreamEngine(config, store, compiler, now::get);
    EmbeddedChannel ch;
    LoopSubscribers loop;
    Subscriber s;
    FilterGroup group;

    @BeforeEach
    void open() {
        ch = new EmbeddedChannel();
        ch.pipeline().addLast("http", new ChannelInboundHandlerAdapter());
        ch.pipeline().addLast("router", new ChannelInboundHandlerAdapter());
        ChannelHandlerContext ctx = ch.pipeline().context("http");
        loop = new LoopSubscribers(ch.eventLoop(), engine);
        Filter f = compiler.compile(".a");
        s = new Subscriber("c1", ctx, new StreamRequest(List.of(f), true, false, null, -1), loop);
        group = new FilterGroup(".a", f);
        s.groups = new FilterGroup[] {group};
        loop.start(s, new ArrayList<>(List.of(text("event: connected\ndata: {}\n\n"))), null, "ep", 5);
        HttpResponse head = ch.readOutbound();
        assertEquals(200, head.status().code());
        assertEquals("event: connected\ndata: {}\n\n", read());
    }

    @AfterEach
    void close() {
        ch.finishAndReleaseAll();
        store.close();
    }

    @Test
    void theStreamTakesTheChannelOverFromTheHttpHandlers() {
        assertNull(ch.pipeline().get("http"));
        assertNull(ch.pipeline().get("router"));
        assertTrue(ch.pipeline().get("sse") instanceof EventStreamHandler);
    }

    @Test
    void aQuietStreamGetsAKeepaliveAfterTheHeartbeatInterval() {
        now.addAndGet(Duration.ofSeconds(14).toNanos());
        loop.tick();
        assertNull(ch.readOutbound());
        now.addAndGet(Duration.ofSeconds(1).toNanos());
        loop.tick();
        assertEquals(": keepalive\n\n", read());
        loop.tick();
        assertNull(ch.readOutbound(), "the keepalive resets the quiet interval");
    }

    @Test
    void aKeepaliveCarriesTheIdWhenTheDocumentMovedOnWithoutTouchingTheStream() {
        loop.deliver(List.of(batch(List.of(new Batch.ChangeEvents(6, "ep:6", new FilterGroup[0], new ByteBuf[0],
                new ByteBuf[0])), "ep", 6)));
        assertNull(ch.readOutbound(), "a change the stream does not see writes nothing");
        now.addAndGet(Duration.ofSeconds(15).toNanos());
        loop.tick();
        assertEquals(": keepalive\nid: ep:6\n\n", read());
        now.addAndGet(Duration.ofSeconds(15).toNanos());
        loop.tick();
        assertEquals(": keepalive\n\n", read(), "the id moves only when the rev did");
    }

    @Test
    void eventsResetTheQuietInterval() {
        now.addAndGet(Duration.ofSeconds(10).toNanos());
        ByteBuf ev = text("event: update\nid: ep:6\ndata: {}\n\n").asReadOnly();
        loop.deliver(List.of(batch(List.of(new Batch.ChangeEvents(6, "ep:6", new FilterGroup[] {group},
                new ByteBuf[] {ev}, new ByteBuf[] {null})), "ep", 6)));
        assertEquals("event: update\nid: ep:6\ndata: {}\n\n", read());
        now.addAndGet(Duration.ofSeconds(10).toNanos());
        loop.tick();
        assertNull(ch.readOutbound());
        assertEquals(0, ev.refCnt(), "the batch released its buffers once every loop was done");
    }

    @Test
    void aStreamBlockedLongerThanTheSlowClientTimeoutIsClosedAndMissesNothingUntilThen() {
        ch.unsafe().outboundBuffer().setUserDefinedWritability(1, false);
        assertFalse(ch.isWritable());
        ByteBuf ev = text("event: update\nid: ep:6\ndata: {}\n\n").asReadOnly();
        loop.deliver(List.of(batch(List.of(new Batch.ChangeEvents(6, "ep:6", new FilterGroup[] {group},
                new ByteBuf[] {ev}, new ByteBuf[] {null})), "ep", 6)));
        assertNull(ch.readOutbound(), "nothing is queued for a stream that is not writable");
        assertTrue(s.behind, "it is marked behind, to get init when it drains");
        loop.tick();
        now.addAndGet(Duration.ofSeconds(29).toNanos());
        loop.tick();
        assertTrue(ch.isActive());
        now.addAndGet(Duration.ofSeconds(1).toNanos());
        loop.tick();
        assertFalse(ch.isActive());
        assertEquals(1, engine.counters().get("slow_clients_closed_total"));
    }

    @Test
    void aRunOfChangesReachesAOneFilterStreamAsOneWriteWithTheIdOfEveryChange() {
        ByteBuf e6 = text("event: update\nid: ep:6\ndata: 6\n\n").asReadOnly();
        ByteBuf e7 = text("event: update\nid: ep:7\ndata: 7\n\n").asReadOnly();
        ByteBuf e8 = text("event: update\nid: ep:8\ndata: 8\n\n").asReadOnly();
        loop.deliver(List.of(
                batch(List.of(change(6, group, e6), change(7, group, e7)), "ep", 7),
                batch(List.of(change(8, group, e8)), "ep", 8)));
        assertEquals("event: update\nid: ep:6\ndata: 6\n\n"
                + "event: update\nid: ep:7\ndata: 7\n\n"
                + "event: update\nid: ep:8\ndata: 8\n\n", read(), "one buffer for the whole run");
        assertNull(ch.readOutbound());
        assertEquals(8, s.lastIdRev);
        assertEquals(0, e6.refCnt() + e7.refCnt() + e8.refCnt(), "the batches released their buffers");
    }

    @Test
    void aStreamWithSeveralFiltersGetsTheEventsOfEachChangeTogetherAndInFilterOrder() {
        FilterGroup other = new FilterGroup(".b", compiler.compile(".b"));
        EmbeddedChannel ch2 = new EmbeddedChannel();
        ch2.pipeline().addLast("http", new ChannelInboundHandlerAdapter());
        try {
            Subscriber multi = new Subscriber("c2", ch2.pipeline().context("http"),
                    new StreamRequest(List.of(group.filter, other.filter), true, false, null, -1), loop);
            multi.groups = new FilterGroup[] {group, other};
            loop.start(multi, new ArrayList<>(), null, "ep", 5);
            assertEquals(200, ((HttpResponse) ch2.readOutbound()).status().code());
            ByteBuf a6 = text("a6 id\n\n").asReadOnly();
            ByteBuf a6NoId = text("a6\n\n").asReadOnly();
            ByteBuf b6 = text("b6 id\n\n").asReadOnly();
            ByteBuf b6NoId = text("b6\n\n").asReadOnly();
            ByteBuf b7 = text("b7 id\n\n").asReadOnly();
            ByteBuf b7NoId = text("b7\n\n").asReadOnly();
            loop.deliver(List.of(batch(List.of(
                    new Batch.ChangeEvents(6, "ep:6", new FilterGroup[] {other, group},
                            new ByteBuf[] {b6, a6}, new ByteBuf[] {b6NoId, a6NoId}),
                    new Batch.ChangeEvents(7, "ep:7", new FilterGroup[] {other},
                            new ByteBuf[] {b7}, new ByteBuf[] {b7NoId})), "ep", 7)));
            assertEquals("a6 id\n\n", read(), "the one-filter stream gets its group's events only");
            StringBuilder got = new StringBuilder();
            for (ByteBuf b; (b = ch2.readOutbound()) != null; b.release()) {
                got.append(b.toString(StandardCharsets.UTF_8));
            }
            assertEquals("a6\n\nb6 id\n\nb7 id\n\n", got.toString());
            assertEquals(7, multi.lastIdRev);
        } finally {
            ch2.finishAndReleaseAll();
        }
    }

    private static Batch.ChangeEvents change(long rev, FilterGroup g, ByteBuf events) {
        return new Batch.ChangeEvents(rev, "ep:" + rev, new FilterGroup[] {g}, new ByteBuf[] {events}, new ByteBuf[] {null});
    }

    private static Batch batch(List<Batch.ChangeEvents> changes, String epoch, long rev) {
        Batch b = new Batch(changes, epoch, rev);
        b.expect(1);
        return b;
    }

    private String read() {
        ByteBuf b = ch.readOutbound();
        if (b == null) {
            return null;
        }
        try {
            return b.toString(StandardCharsets.UTF_8);
        } finally {
            b.release();
        }
    }

    private static ByteBuf text(String s) {
        return Unpooled.copiedBuffer(s, StandardCharsets.UTF_8);
    }
}

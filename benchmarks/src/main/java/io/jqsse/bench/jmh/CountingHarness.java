package io.jqsse.bench.jmh;

import io.jqsse.server.JqSseServer;
import io.jqsse.server.ServerConfig;
import io.jqsse.store.DocumentStore;
import io.jqsse.store.Write;
import io.jqsse.store.memory.MemoryStore;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.DefaultEventLoopGroup;
import io.netty.channel.EventLoop;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.LockSupport;
import java.util.function.LongSupplier;

/**
 * A jq-sse server whose streams are {@link CountingChannel}s: no sockets, no peer, no client
 * pipeline, so what a delivery costs here is the server's work alone (dispatcher, encoding once per
 * group, the per-loop hand-off, each stream's write and flush through its pipeline) plus one
 * {@code readableBytes()} and two additions per flushed message.
 *
 * <p>Each channel gets {@code newChannelInitializer()}'s pipeline, is registered (and so made active)
 * on one of {@code loops} {@link DefaultEventLoopGroup} threads and is fed the bytes of a
 * {@code GET /events} request with {@code fireChannelRead}, exactly as a socket would deliver them.
 * The initializer sets no stream loops, so the engine keeps each stream on the loop it was registered on.
 *
 * <p>Delivery is checked by bytes: every stream of one filter receives the same bytes for a write, so
 * the first channel (the probe) also counts SSE blocks, and a write is delivered when the probe has
 * one more block and the byte total grew by the number of streams times the bytes the probe received
 * for it. {@link #verify} then checks every stream separately. Every wait has a deadline and fails when
 * nothing arrives for {@link #STALL}.
 */
final class CountingHarness implements AutoCloseable {

    static final Duration DEADLINE = Bounded.DEADLINE;
    static final Duration STALL = Duration.ofSeconds(10);

    final JqSseServer server;
    final DocumentStore store;
    /** Bytes received by all streams. */
    final LongAdder bytes = new LongAdder();
    /** Streams that received their first bytes. */
    final LongAdder started = new LongAdder();
    private final DefaultEventLoopGroup group;
    private final ChannelInitializer<?> initializer;
    private final List<CountingChannel> channels = new ArrayList<>();
    /** Writes committed since the last {@link #mark()}. */
    private long writesSinceMark;
    private long probeBlocksAtMark;

    CountingHarness(int loops) {
        group = new DefaultEventLoopGroup(loops);
        ServerConfig config = ServerConfig.builder().port(0).maxConnections(1_000_000)
                .heartbeatInterval(Duration.ofHours(1)).slowClientTimeout(Duration.ofHours(1)).build();
        store = MemoryStore.builder().build();
        server = JqSseServer.builder().config(config).store(store).build().startWithoutListening();
        initializer = server.newChannelInitializer();
    }

    /**
     * Opens {@code n} streams on {@code filter} (the first one ever is the probe) and waits until each
     * has received its first bytes and no bytes arrived for 200 ms (the initial views are all in).
     */
    void subscribe(int n, String filter) {
        long target = started.sum() + n;
        byte[] request = ("GET /events?filter=" + URLEncoder.encode(filter, StandardCharsets.UTF_8)
                + " HTTP/1.1\r\nHost: bench\r\nAccept: text/event-stream\r\n\r\n").getBytes(StandardCharsets.US_ASCII);
        List<ChannelFuture> pending = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            CountingChannel ch = new CountingChannel(bytes, started, channels.isEmpty());
            channels.add(ch);
            ch.pipeline().addLast(initializer);
            EventLoop loop = group.next();
            ChannelFuture registered = loop.register(ch);
            registered.addListener(f -> {
                if (f.isSuccess()) {
                    ch.pipeline().fireChannelRead(Unpooled.wrappedBuffer(request));
                    ch.pipeline().fireChannelReadComplete();
                }
            });
            pending.add(registered);
            if (pending.size() == 1000) {
                syncAll(pending);
            }
        }
        syncAll(pending);
        await(started::sum, target, "streams started");
        awaitQuiet(200);
    }

    private static void syncAll(List<ChannelFuture> futures) {
        futures.forEach(f -> Bounded.await(f, "register"));
        futures.clear();
    }

    /** Waits until no bytes arrived for {@code quietMillis}. */
    void awaitQuiet(long quietMillis) {
        long deadline = System.nanoTime() + DEADLINE.toNanos();
        long seen = -1;
        long since = System.nanoTime();
        while (System.nanoTime() < deadline) {
            long now = bytes.sum();
            if (now != seen) {
                seen = now;
                since = System.nanoTime();
            } else if (System.nanoTime() - since > TimeUnit.MILLISECONDS.toNanos(quietMillis)) {
                return;
            }
            LockSupport.parkNanos(1_000_000);
        }
        throw new IllegalStateException("bytes: still arriving after " + DEADLINE + " (expected: quiet)");
    }

    int streams() {
        return channels.size();
    }

    /** Starts counting for {@link #verify}: every stream's bytes and the probe's blocks from now. */
    void mark() {
        for (CountingChannel ch : channels) {
            ch.mark();
        }
        probeBlocksAtMark = probe().blocks();
        writesSinceMark = 0;
    }

    /** Commits {@code w} and returns once the store acknowledged it. */
    void write(Write w) {
        store.write(w, DocumentStore.ANY_REV).toCompletableFuture().join();
        writesSinceMark++;
    }

    /**
     * The probe's blocks and bytes and the byte total now, for {@link #awaitDelivered}. Call when
     * nothing is in flight.
     */
    Position position() {
        CountingChannel p = probe();
        long blocks = p.blocks();
        return new Position(blocks, p.bytes(), bytes.sum());
    }

    /**
     * Waits until every stream received the {@code writes} events committed since {@code from}:
     * first the probe's blocks, then every stream's bytes (as many as the probe received).
     */
    void awaitDelivered(Position from, int writes) {
        CountingChannel p = probe();
        await(p::blocks, from.probeBlocks() + writes, "probe's SSE blocks");
        long perStream = p.bytes() - from.probeBytes();
        await(bytes::sum, from.totalBytes() + perStream * channels.size(), "bytes over all streams");
    }

    /**
     * Since the last {@link #mark()}: the probe received one block per write and every stream the
     * same bytes as the probe.
     *
     * @throws IllegalStateException naming the first stream that differs
     */
    void verify() {
        long blocks = probe().blocks() - probeBlocksAtMark;
        if (blocks != writesSinceMark) {
            throw new IllegalStateException("probe's SSE blocks: " + blocks + " (expected: " + writesSinceMark
                    + ", one per write)");
        }
        long expected = probe().bytesSinceMark();
        for (int i = 0; i < channels.size(); i++) {
            long got = channels.get(i).bytesSinceMark();
            if (got != expected) {
                throw new IllegalStateException("stream " + i + ": " + got + " bytes since the mark (expected: "
                        + expected + ", as the probe)");
            }
        }
    }

    private CountingChannel probe() {
        return channels.get(0);
    }

    /** The probe's SSE blocks so far, readable from any thread (for pacing writes by the fan-out). */
    long probeBlocks() {
        return probe().blocks();
    }

    /**
     * Waits (parking 20 us at a time, so the cores go to the server) until {@code value} reaches
     * {@code target}; fails after {@link #DEADLINE}, or when {@code value} did not move for {@link #STALL}.
     */
    static void await(LongSupplier value, long target, String what) {
        await(value, target, what, DEADLINE, STALL);
    }

    static void await(LongSupplier value, long target, String what, Duration deadline, Duration stall) {
        long start = System.nanoTime();
        long last = value.getAsLong();
        long movedAt = start;
        for (long v = last; v < target; v = value.getAsLong()) {
            long now = System.nanoTime();
            if (v != last) {
                last = v;
                movedAt = now;
            }
            if (now - start > deadline.toNanos() || now - movedAt > stall.toNanos()) {
                throw new IllegalStateException(what + ": " + v + " after " + Duration.ofNanos(now - start)
                        + " (expected: " + target + "; deadline " + deadline + ", stall limit " + stall + ")");
            }
            LockSupport.parkNanos(20_000);
        }
    }

    /** Closes every stream, then the server, then the loops; each step bounded by {@link Bounded#DEADLINE}. */
    @Override
    public void close() {
        try {
            List<ChannelFuture> closing = new ArrayList<>(channels.size());
            for (CountingChannel ch : channels) {
                closing.add(ch.close());
            }
            closing.forEach(f -> Bounded.await(f, "close of a stream"));
            channels.clear();
            server.close();
        } finally {
            Bounded.await(group.shutdownGracefully(0, 1, TimeUnit.SECONDS), "shutdown of the loops");
        }
    }

    /** Whether {@link #close()} stopped the loops. */
    boolean stopped() {
        return group.isTerminated();
    }

    /** Where the probe and the byte total stood before a run of writes. */
    record Position(long probeBlocks, long probeBytes, long totalBytes) {
    }
}

package io.jqsse.bench.jmh;

import com.fasterxml.jackson.databind.JsonNode;
import io.jqsse.server.JqSseServer;
import io.jqsse.server.ServerConfig;
import io.jqsse.store.DocumentStore;
import io.jqsse.store.Write;
import io.jqsse.store.memory.MemoryStore;
import io.netty.bootstrap.Bootstrap;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.DefaultEventLoopGroup;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.channel.local.LocalAddress;
import io.netty.channel.local.LocalChannel;
import io.netty.channel.local.LocalServerChannel;
import io.netty.util.Attribute;
import io.netty.util.AttributeKey;
import io.netty.util.ByteProcessor;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.GlobalEventExecutor;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.LockSupport;

/**
 * A jq-sse server mounted on Netty's local transport (no sockets, no kernel), with subscriber
 * channels that only count what they receive: bytes and SSE blocks (a byte scan for blank lines,
 * about a nanosecond per byte, which the scores include). Server and clients share
 * one {@link DefaultEventLoopGroup} of {@code loops} threads. What is measured is the server's own
 * work: dispatcher, encoding once, per-loop delivery of shared buffers; the client side only adds to
 * two counters per message.
 */
final class LocalHarness implements AutoCloseable {

    private static final Duration DEADLINE = Bounded.DEADLINE;
    /** A client channel's blank-line counter, set when the channel received its first bytes (its stream started). */
    private static final AttributeKey<BlankLines> LINES = AttributeKey.valueOf(LocalHarness.class, "lines");

    final JqSseServer server;
    final DocumentStore store;
    /** SSE blocks received (a blank line ends one): events and comments, over all clients. */
    final LongAdder blocks = new LongAdder();
    final LongAdder bytes = new LongAdder();
    final LongAdder started = new LongAdder();
    private final EventLoopGroup group;
    private final Channel serverChannel;
    private final LocalAddress address;
    private final ChannelGroup clients = new DefaultChannelGroup(GlobalEventExecutor.INSTANCE);
    private final Counter counter = new Counter();
    /** Client addresses are explicit: 100k random ephemeral local ids collide (birthday bound). */
    private long nextClient;

    private final boolean countBlocks;

    /**
     * @param countBlocks whether clients scan for blank lines; without it they only count bytes (for
     *                    views of many megabytes, where a scan would dominate)
     */
    LocalHarness(int loops, JsonNode initialDocument, boolean countBlocks) {
        this.countBlocks = countBlocks;
        group = new DefaultEventLoopGroup(loops);
        ServerConfig config = ServerConfig.builder().port(0).maxConnections(1_000_000)
                .heartbeatInterval(Duration.ofHours(1)).slowClientTimeout(Duration.ofHours(1)).build();
        MemoryStore.Builder b = MemoryStore.builder();
        if (initialDocument != null) {
            b.initialDocument(initialDocument);
        }
        store = b.build();
        server = JqSseServer.builder().config(config).store(store).build().startWithoutListening();
        address = new LocalAddress("jq-sse-bench-" + System.nanoTime());
        serverChannel = Bounded.await(new ServerBootstrap().group(group).channel(LocalServerChannel.class)
                .childHandler(server.newChannelInitializer()).bind(address), "bind").channel();
    }

    /** Opens {@code n} streams on {@code filter} and waits until each has received its first bytes. */
    void subscribe(int n, String filter) {
        long target = started.sum() + n;
        Bootstrap b = new Bootstrap().group(group).channel(LocalChannel.class).handler(counter);
        byte[] request = ("GET /events?filter=" + URLEncoder.encode(filter, StandardCharsets.UTF_8)
                + " HTTP/1.1\r\nHost: bench\r\nAccept: text/event-stream\r\n\r\n").getBytes(StandardCharsets.US_ASCII);
        List<ChannelFuture> pending = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            ChannelFuture f = b.connect(address, new LocalAddress("bench-client-" + nextClient++));
            pending.add(f);
            f.addListener(done -> {
                if (done.isSuccess()) {
                    clients.add(f.channel());
                    f.channel().writeAndFlush(Unpooled.wrappedBuffer(request));
                }
            });
            if (pending.size() == 1000) {
                pending.forEach(c -> Bounded.await(c, "connect"));
                pending.clear();
            }
        }
        pending.forEach(c -> Bounded.await(c, "connect"));
        await(started, target);
    }

    /** Waits until no message arrived for {@code quietMillis}: the initial views are all in. */
    void awaitQuiet(long quietMillis) {
        long deadline = System.nanoTime() + DEADLINE.toNanos();
        long seen = -1;
        long since = System.nanoTime();
        while (System.nanoTime() < deadline) {
            long now = blocks.sum();
            if (now != seen) {
                seen = now;
                since = System.nanoTime();
            } else if (System.nanoTime() - since > TimeUnit.MILLISECONDS.toNanos(quietMillis)) {
                return;
            }
            LockSupport.parkNanos(1_000_000);
        }
        throw new IllegalStateException("blocks: still arriving after " + DEADLINE + " (expected: quiet)");
    }

    /** Commits {@code w} and returns once the store acknowledged it. */
    void write(Write w) {
        store.write(w, DocumentStore.ANY_REV).toCompletableFuture().join();
    }

    /** Waits (parking 20 us at a time, so the 2 cores go to the server) until {@code counter} reaches {@code target}. */
    static void await(LongAdder counter, long target) {
        await(counter, target, DEADLINE);
    }

    /** Same, failing after {@code deadline}. */
    static void await(LongAdder counter, long target, Duration deadline) {
        long end = System.nanoTime() + deadline.toNanos();
        while (counter.sum() < target) {
            if (System.nanoTime() > end) {
                throw new IllegalStateException("counter: " + counter.sum() + " after " + deadline
                        + " (expected: " + target + ")");
            }
            LockSupport.parkNanos(20_000);
        }
    }

    /** Starts counting every client's blocks anew, for {@link #verifyEveryClientGot}. */
    void mark() {
        for (Channel c : clients) {
            BlankLines lines = c.attr(LINES).get();
            lines.atMark = lines.total;
        }
    }

    /**
     * Checks that every client counted {@code expected} blocks since {@link #mark()}; call when
     * {@link #blocks} showed that all arrived (the clients count blocks only with {@code countBlocks}).
     *
     * @throws IllegalStateException naming the first client that differs
     */
    void verifyEveryClientGot(long expected) {
        for (Channel c : clients) {
            BlankLines lines = c.attr(LINES).get();
            if (lines.total - lines.atMark != expected) {
                throw new IllegalStateException("client " + c.localAddress() + ": " + (lines.total - lines.atMark)
                        + " blocks since the mark (expected: " + expected + ")");
            }
        }
    }

    /** Closes every subscriber and waits until the server saw them go. */
    void closeClients() {
        Bounded.await(clients.close(), "close of the clients");
    }

    @Override
    public void close() {
        closeClients();
        Bounded.await(serverChannel.close(), "close of the server channel");
        server.close();
        Bounded.await(group.shutdownGracefully(0, 1, TimeUnit.SECONDS), "shutdown of the loops");
    }

    /** Counts LF bytes that follow an LF, across buffer boundaries. One per client channel. */
    private static final class BlankLines implements ByteProcessor {
        private byte previous;
        int found;
        /** Blocks since the channel opened, and at the last mark; written by the client's loop only. */
        long total;
        long atMark;

        @Override
        public boolean process(byte value) {
            if (value == '\n' && previous == '\n') {
                found++;
            }
            previous = value;
            return true;
        }
    }

    /** Counts and releases; shared by every client channel. */
    @ChannelHandler.Sharable
    private final class Counter extends ChannelInboundHandlerAdapter {
        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            if (msg instanceof ByteBuf b) {
                bytes.add(b.readableBytes());
                Attribute<BlankLines> lines = ctx.channel().attr(LINES);
                BlankLines counter = lines.get();
                if (counter == null) {
                    counter = new BlankLines();
                    lines.set(counter);
                    started.increment();
                }
                if (countBlocks) {
                    counter.found = 0;
                    b.forEachByte(counter);
                    counter.total += counter.found;
                    blocks.add(counter.found);
                }
            }
            ReferenceCountUtil.release(msg);
        }
    }
}

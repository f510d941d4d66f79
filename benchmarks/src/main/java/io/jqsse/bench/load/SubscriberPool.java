package io.jqsse.bench.load;

import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.Unpooled;
import io.netty.channel.AdaptiveRecvByteBufAllocator;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.FixedRecvByteBufAllocator;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.util.concurrent.GlobalEventExecutor;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.net.InetSocketAddress;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.HdrHistogram.Histogram;

/**
 * Holds {@code subscribers} SSE connections to one server, opened at most {@code connectConcurrency}
 * at a time from source addresses 127.0.0.1 .. 127.0.0.k in turn, and counts what they receive.
 * Each connection has one handler, an {@link EventCounter} over the raw bytes (no HTTP codec). Each
 * event loop counts into its own {@link Tally}, without locks or shared writes; {@link #stats} sums
 * them, exactly once deliveries are quiet.
 */
final class SubscriberPool implements AutoCloseable {

    /** Latencies up to an hour, in microseconds, 3 significant digits. */
    static final long MAX_MICROS = 3_600_000_000L;

    private final Options options;
    private final Bootstrap bootstrap;
    private final InetSocketAddress server;
    private final ChannelGroup channels = new DefaultChannelGroup(GlobalEventExecutor.INSTANCE);
    private final long sinceMicros = Transport.wallMicros();
    private final long startNanos = System.nanoTime();
    private final AtomicInteger next = new AtomicInteger();
    private final AtomicInteger settled = new AtomicInteger();
    private final AtomicInteger connected = new AtomicInteger();
    private final AtomicInteger failed = new AtomicInteger();
    private final AtomicInteger closedEarly = new AtomicInteger();
    private volatile long allSettledNanos;
    private volatile boolean closing;
    private final CompletableFuture<Void> allSettled = new CompletableFuture<>();
    private final List<Tally> tallies = new CopyOnWriteArrayList<>();
    private final ThreadLocal<Tally> tally = ThreadLocal.withInitial(this::newTally);

    SubscriberPool(Options options, EventLoopGroup group) {
        this.options = options;
        this.server = new InetSocketAddress(options.url().getHost(), options.port());
        this.bootstrap = Transport.sourceBound(new Bootstrap()).group(group).channel(Transport.channel())
                .option(ChannelOption.SO_REUSEADDR, true)
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, 30_000)
                .option(ChannelOption.RCVBUF_ALLOCATOR, options.recvBuffer() > 0
                        ? new FixedRecvByteBufAllocator(options.recvBuffer()) : new AdaptiveRecvByteBufAllocator());
    }

    private Tally newTally() {
        Tally t = new Tally();
        tallies.add(t);
        return t;
    }

    /** The calling loop's tally: each {@link EventCounter} takes it once, when added to its channel. */
    Tally tally() {
        return tally.get();
    }

    /** Stamps older than this (wall-clock micros) belong to initial views, not to this pool's run. */
    long sinceMicros() {
        return sinceMicros;
    }

    /** Starts connecting; the stage completes when every connection answered or failed. */
    CompletableFuture<Void> start() {
        int n = options.subscribers();
        if (n == 0) {
            allSettled.complete(null);
        }
        for (int i = 0; i < Math.min(n, options.connectConcurrency()); i++) {
            launchNext();
        }
        return allSettled;
    }

    private void launchNext() {
        int i = next.getAndIncrement();
        if (i >= options.subscribers() || closing) {
            return;
        }
        int index = options.firstIndex() + i;
        String source = "127.0.0." + (1 + index % options.sources());
        EventCounter counter = new EventCounter(this, System.nanoTime());
        ChannelFuture f = bootstrap.clone().handler(counter).connect(server, new InetSocketAddress(source, 0));
        f.addListener(done -> {
            if (!done.isSuccess()) {
                failed.incrementAndGet();
                settleOne();
                return;
            }
            Channel ch = f.channel();
            channels.add(ch);
            ch.writeAndFlush(Unpooled.wrappedBuffer(request(index)));
        });
    }

    /** The subscribe request, written as bytes: the connection has no HTTP codec. */
    private byte[] request(int index) {
        return ("GET " + uri(index) + " HTTP/1.1\r\nHost: " + options.url().getHost() + ":" + options.port()
                + "\r\nAccept: text/event-stream\r\n\r\n").getBytes(StandardCharsets.US_ASCII);
    }

    private String uri(int index) {
        if (options.target().equals("nchan")) {
            return "/sub";
        }
        String filter = options.filter().replace("{i}", Integer.toString(index % options.filterKeys()));
        return "/events?filter=" + URLEncoder.encode(filter, StandardCharsets.UTF_8);
    }

    private void settleOne() {
        if (settled.incrementAndGet() == options.subscribers()) {
            allSettledNanos = System.nanoTime() - startNanos;
            allSettled.complete(null);
        }
        launchNext();
    }

    /** The response head arrived with {@code status} (-1: not HTTP); anything but 200 closes the connection. */
    void responded(Channel ch, int status) {
        if (status == 200) {
            connected.incrementAndGet();
        } else {
            failed.incrementAndGet();
            ch.close();
        }
        settleOne();
    }

    /** The server closed a connection before answering it (e.g. nginx out of worker connections). */
    void refused() {
        failed.incrementAndGet();
        settleOne();
    }

    void closed(Channel ch) {
        if (!closing) {
            closedEarly.incrementAndGet();
        }
    }

    /** Waits until no stamped event arrived for {@code quietMillis}, or {@code maxMillis} passed. */
    void awaitQuiet(long quietMillis, long maxMillis) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(maxMillis);
        long seen = stamps();
        long quietSince = System.nanoTime();
        while (System.nanoTime() < deadline) {
            TimeUnit.MILLISECONDS.sleep(50);
            long now = stamps();
            if (now != seen) {
                seen = now;
                quietSince = System.nanoTime();
            } else if (System.nanoTime() - quietSince >= TimeUnit.MILLISECONDS.toNanos(quietMillis)) {
                return;
            }
        }
    }

    private long stamps() {
        return tallies.stream().mapToLong(Tally::stamps).sum();
    }

    int connected() {
        return connected.get();
    }

    /** The counters and merged histograms now. */
    PoolStats stats() {
        Histogram lat = new Histogram(MAX_MICROS, 3);
        Histogram conn = new Histogram(MAX_MICROS, 3);
        long bytes = 0;
        long blocks = 0;
        long inits = 0;
        long stamps = 0;
        long last = 0;
        for (Tally t : tallies) {
            stamps += t.stamps();
            bytes += t.bytes;
            blocks += t.blocks;
            inits += t.inits;
            last = Math.max(last, t.lastEventMicros);
            lat.add(t.latency);
            conn.add(t.connectTime);
        }
        return new PoolStats(connected.get(), failed.get(), closedEarly.get(), channels.size(), bytes,
                blocks, inits, stamps, last, allSettledNanos / 1000, lat, conn);
    }

    @Override
    public void close() {
        closing = true;
        channels.close().awaitUninterruptibly(30, TimeUnit.SECONDS);
    }

    /**
     * What the connections of one event loop received. Written only by that loop, with plain stores and
     * one release store of {@code stamps} per read; read by others after an acquire load of it.
     */
    static final class Tally {
        private static final VarHandle STAMPS;

        static {
            try {
                STAMPS = MethodHandles.lookup().findVarHandle(Tally.class, "stamps", long.class);
            } catch (ReflectiveOperationException e) {
                throw new ExceptionInInitializerError(e);
            }
        }

        private final Histogram latency = new Histogram(MAX_MICROS, 3);
        private final Histogram connectTime = new Histogram(MAX_MICROS, 3);
        private byte[] scratch = new byte[4096];
        private long bytes;
        private long blocks;
        private long inits;
        private long stamps;
        private long lastEventMicros;

        /** A buffer of at least {@code n} bytes that the loop reuses for every read. */
        byte[] scratch(int n) {
            if (scratch.length < n) {
                scratch = new byte[Math.max(n, scratch.length * 2)];
            }
            return scratch;
        }

        void connectTime(long nanos) {
            connectTime.recordValue(Math.min(MAX_MICROS, nanos / 1000));
        }

        void latency(long micros) {
            latency.recordValue(Math.max(0, Math.min(MAX_MICROS, micros)));
        }

        /** One read's counts; {@code nowMicros} is when its stamps arrived (0 when it had none). */
        void counted(int byteCount, int blockCount, int initCount, int stampCount, long nowMicros) {
            bytes += byteCount;
            blocks += blockCount;
            inits += initCount;
            if (stampCount > 0) {
                lastEventMicros = nowMicros;
            }
            STAMPS.setRelease(this, stamps + stampCount);
        }

        long stamps() {
            return (long) STAMPS.getAcquire(this);
        }
    }
}

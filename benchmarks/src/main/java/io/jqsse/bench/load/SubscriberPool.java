package io.jqsse.bench.load;

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.HttpClientCodec;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.util.concurrent.GlobalEventExecutor;
import java.net.InetSocketAddress;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import org.HdrHistogram.Histogram;

/**
 * Holds {@code subscribers} SSE connections to one server, opened at most {@code connectConcurrency}
 * at a time from source addresses 127.0.0.1 .. 127.0.0.k in turn, and counts what they receive.
 * Thread-safe: loops record into per-thread histograms that {@link #stats} merges.
 */
final class SubscriberPool implements AutoCloseable {

    /** Latencies up to an hour, in microseconds, 3 significant digits. */
    static final long MAX_MICROS = 3_600_000_000L;

    private final Options options;
    private final EventLoopGroup group;
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
    private final LongAdder bytes = new LongAdder();
    private final LongAdder blocks = new LongAdder();
    private final LongAdder inits = new LongAdder();
    private final LongAdder stamps = new LongAdder();
    private volatile long lastEventMicros;
    private volatile long allSettledNanos;
    private volatile boolean closing;
    private final CompletableFuture<Void> allSettled = new CompletableFuture<>();
    private final List<Histogram> latencyParts = new CopyOnWriteArrayList<>();
    private final List<Histogram> connectParts = new CopyOnWriteArrayList<>();
    private final ThreadLocal<Histogram> latency = ThreadLocal.withInitial(() -> part(latencyParts));
    private final ThreadLocal<Histogram> connectTime = ThreadLocal.withInitial(() -> part(connectParts));

    SubscriberPool(Options options, EventLoopGroup group) {
        this.options = options;
        this.group = group;
        this.server = new InetSocketAddress(options.url().getHost(), options.port());
        this.bootstrap = new Bootstrap().group(group).channel(Transport.channel())
                .option(ChannelOption.TCP_NODELAY, true)
                .option(ChannelOption.SO_REUSEADDR, true)
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, 30_000)
                .handler(new ChannelInitializer<>() {
                    @Override
                    protected void initChannel(Channel ch) {
                        ch.pipeline().addLast(new HttpClientCodec());
                    }
                });
    }

    private static Histogram part(List<Histogram> parts) {
        Histogram h = new Histogram(MAX_MICROS, 3);
        parts.add(h);
        return h;
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
        long t0 = System.nanoTime();
        ChannelFuture f = bootstrap.connect(server, new InetSocketAddress(source, 0));
        f.addListener(done -> {
            if (!done.isSuccess()) {
                failed.incrementAndGet();
                settleOne();
                return;
            }
            Channel ch = f.channel();
            channels.add(ch);
            ch.pipeline().addLast(new EventCounter(this, t0));
            DefaultFullHttpRequest get = new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.GET, uri(index));
            get.headers().set(HttpHeaderNames.HOST, options.url().getHost() + ":" + options.port())
                    .set(HttpHeaderNames.ACCEPT, "text/event-stream");
            ch.writeAndFlush(get);
        });
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

    void responded(Channel ch, int status, long nanos) {
        if (status == 200) {
            connected.incrementAndGet();
            connectTime.get().recordValue(Math.min(MAX_MICROS, nanos / 1000));
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

    void recordLatency(long micros) {
        latency.get().recordValue(Math.max(0, Math.min(MAX_MICROS, micros)));
    }

    /** A stamp older than this pool belongs to an initial view, not to this run's writes. */
    boolean counts(long stampMicros) {
        return stampMicros >= sinceMicros;
    }

    void counted(int byteCount, int blockCount, int initCount, int stampCount, long nowMicros) {
        bytes.add(byteCount);
        blocks.add(blockCount);
        inits.add(initCount);
        stamps.add(stampCount);
        if (stampCount > 0) {
            lastEventMicros = nowMicros;
        }
    }

    void closed(Channel ch) {
        if (!closing) {
            closedEarly.incrementAndGet();
        }
    }

    /** Waits until no stamped event arrived for {@code quietMillis}, or {@code maxMillis} passed. */
    void awaitQuiet(long quietMillis, long maxMillis) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(maxMillis);
        long seen = stamps.sum();
        long quietSince = System.nanoTime();
        while (System.nanoTime() < deadline) {
            TimeUnit.MILLISECONDS.sleep(50);
            long now = stamps.sum();
            if (now != seen) {
                seen = now;
                quietSince = System.nanoTime();
            } else if (System.nanoTime() - quietSince >= TimeUnit.MILLISECONDS.toNanos(quietMillis)) {
                return;
            }
        }
    }

    int connected() {
        return connected.get();
    }

    /** The counters and merged histograms now. */
    PoolStats stats() {
        Histogram lat = new Histogram(MAX_MICROS, 3);
        latencyParts.forEach(lat::add);
        Histogram conn = new Histogram(MAX_MICROS, 3);
        connectParts.forEach(conn::add);
        return new PoolStats(connected.get(), failed.get(), closedEarly.get(), channels.size(), bytes.sum(),
                blocks.sum(), inits.sum(), stamps.sum(), lastEventMicros, allSettledNanos / 1000, lat, conn);
    }

    @Override
    public void close() {
        closing = true;
        channels.close().awaitUninterruptibly(30, TimeUnit.SECONDS);
    }
}

package io.jqsse.server.internal.stream;

import io.jqsse.jq.FilterCompiler;
import io.jqsse.server.ServerConfig;
import io.jqsse.server.internal.http.ApiException;
import io.jqsse.store.DocumentStore;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.netty.util.concurrent.EventExecutor;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpResponseStatus;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

/**
 * The event streams of one server: opens them ({@code GET /events}), feeds them from the store's
 * changes and closes them at shutdown. See the package documentation for the threading model.
 */
public final class StreamEngine implements AutoCloseable {

    /**
     * Changes handed to one loop and not yet written, at most, and their encoded bytes. A loop
     * catches up on any backlog in one pass over its streams (see {@link LoopSubscribers}), so these
     * bound memory, not work: a loop this far behind (a pass took very long) gets no more deltas, its
     * streams are marked behind and resynced with {@code init} once it has caught up, so memory and
     * delivery latency stay bounded whatever the write rate.
     */
    static final int MAX_QUEUED_CHANGES_PER_LOOP = 1024;
    static final long MAX_QUEUED_BYTES_PER_LOOP = 4L << 20;

    final ServerConfig config;
    final Counters counters = new Counters();
    private final DocumentStore store;
    private final FilterCompiler compiler;
    private final LongSupplier nanoClock;
    private final Map<EventLoop, LoopSubscribers> loops = new ConcurrentHashMap<>();
    private final AtomicInteger clients = new AtomicInteger();
    private final AtomicLong nextId = new AtomicLong();
    private final String idPrefix = Long.toString(System.nanoTime() & 0xffffff, 36) + "-";
    private volatile Dispatcher dispatcher;
    private volatile EventLoopGroup streamLoops;
    private volatile boolean closing;
    private volatile CompletableFuture<Void> drained;

    public StreamEngine(ServerConfig config, DocumentStore store, FilterCompiler compiler) {
        this(config, store, compiler, System::nanoTime);
    }

    StreamEngine(ServerConfig config, DocumentStore store, FilterCompiler compiler, LongSupplier nanoClock) {
        this.config = config;
        this.store = store;
        this.compiler = compiler;
        this.nanoClock = nanoClock;
    }

    /** Subscribes to the store; call once, after the store started. */
    public void start() {
        Dispatcher d = new Dispatcher(this);
        dispatcher = d;
        d.begin(store.subscribe(d::onChange));
    }

    /**
     * Opens an event stream for {@code GET /events}. Runs on the channel's event loop.
     *
     * @throws ApiException before anything is written, when the request is bad or the server is
     *                      shutting down; the caller then still owns {@code request}
     */
    public void open(ChannelHandlerContext ctx, FullHttpRequest request) {
        if (closing) {
            throw new ApiException(HttpResponseStatus.SERVICE_UNAVAILABLE, "shutting_down",
                    "the server is shutting down", Map.of("Retry-After", "1"));
        }
        StreamRequest r = StreamRequest.parse(request, compiler, config.maxFiltersPerStream());
        request.release();
        Channel ch = ctx.channel();
        ch.config().setAutoRead(false);
        EventLoopGroup streams = streamLoops;
        EventLoop eventLoop = streams == null || ownedBy(streams, ch.eventLoop()) ? ch.eventLoop() : streams.next();
        LoopSubscribers loop = loops.computeIfAbsent(eventLoop, l -> new LoopSubscribers(l, this));
        Subscriber s = new Subscriber(idPrefix + Long.toString(nextId.incrementAndGet(), 36), ctx, r, loop);
        clients.incrementAndGet();
        counters.streamsOpened.increment();
        ch.closeFuture().addListener(f -> loop.loop.execute(() -> loop.remove(s)));
        if (eventLoop == ch.eventLoop()) {
            dispatcher.join(s);
            return;
        }
        // The join waits for the move: a start (and the batches after it) must reach the channel's
        // new loop only once the channel is registered there, or batches in between would miss it.
        ch.deregister().addListener(d -> {
            if (!d.isSuccess()) {
                ch.close();
                return;
            }
            eventLoop.register(ch).addListener(reg -> {
                if (reg.isSuccess()) {
                    dispatcher.join(s);
                } else {
                    ch.close();
                }
            });
        });
    }

    /**
     * Moves every stream channel, once its request is accepted, to one of {@code group}'s loops, so
     * that fan-out never delays the loops that serve requests (writes, reads). Without it (the
     * default, e.g. when mounted on another application's pipeline) a stream stays on the loop that
     * accepted it. Call before the first stream opens; {@code group} must use the same transport as the
     * channels.
     */
    public void streamLoops(EventLoopGroup group) {
        this.streamLoops = group;
    }

    private static boolean ownedBy(EventLoopGroup group, EventLoop loop) {
        for (EventExecutor e : group) {
            if (e == loop) {
                return true;
            }
        }
        return false;
    }

    /** Open streams. */
    public int clients() {
        return clients.get();
    }

    /** Filter groups (distinct filter texts with at least one stream). */
    public int groups() {
        Dispatcher d = dispatcher;
        return d == null ? 0 : d.groupCount();
    }

    /**
     * Monotonic counters and gauges, for {@code /metrics}: {@code filter_groups}, and the bytes
     * queued in Netty for the streams (sum and largest, as of each loop's last tick).
     */
    public Map<String, Long> counters() {
        Map<String, Long> m = counters.snapshot();
        m.put("filter_groups", (long) groups());
        long sum = 0;
        long max = 0;
        for (LoopSubscribers l : loops.values()) {
            sum += l.pendingBytes;
            max = Math.max(max, l.maxPendingBytes);
        }
        long queued = 0;
        for (LoopSubscribers l : loops.values()) {
            queued += l.inbox.queuedChanges();
        }
        m.put("stream_queued_changes", queued);
        m.put("stream_pending_bytes", sum);
        m.put("stream_pending_bytes_max", max);
        return m;
    }

    /**
     * Refuses new streams, sends every open stream a final comment and closes it, spread over most
     * of {@code grace} so that reconnects do not arrive at once. Completes when all are closed, or
     * when {@code grace} is over.
     */
    public CompletionStage<Void> shutdown(Duration grace) {
        closing = true;
        CompletableFuture<Void> done = new CompletableFuture<>();
        drained = done;
        if (clients.get() == 0) {
            done.complete(null);
            return done;
        }
        long spread = grace.toMillis() * 8 / 10;
        for (LoopSubscribers l : loops.values()) {
            l.loop.execute(() -> l.shutdown(spread));
        }
        CompletableFuture.delayedExecutor(grace.toMillis(), TimeUnit.MILLISECONDS).execute(() -> done.complete(null));
        return done;
    }

    @Override
    public void close() {
        closing = true;
        Dispatcher d = dispatcher;
        if (d != null) {
            d.close();
        }
    }

    long nanoTime() {
        return nanoClock.getAsLong();
    }

    /**
     * Hands a batch to every loop with streams, each loop with buffers of its own (see
     * {@link Batch#copy()}). Dispatcher thread.
     */
    void post(Batch batch) {
        int changes = batch.changes.size();
        List<LoopSubscribers> targets = new ArrayList<>();
        for (LoopSubscribers l : loops.values()) {
            if (l.inbox.queuedChanges() < MAX_QUEUED_CHANGES_PER_LOOP && l.inbox.queuedBytes() < MAX_QUEUED_BYTES_PER_LOOP) {
                targets.add(l);
                continue;
            }
            // the loop cannot keep up: conflate rather than queue without bound (see overflowed)
            counters.deltasDropped.add(changes);
            if (l.overflowPending.compareAndSet(false, true)) {
                l.post((Runnable) l::overflowed);
            }
        }
        if (targets.isEmpty()) {
            batch.release();
            return;
        }
        // every copy is made before any loop may release the original
        List<Batch> own = new ArrayList<>(targets.size());
        own.add(batch);
        for (int i = 1; i < targets.size(); i++) {
            own.add(batch.copy());
        }
        for (int i = 0; i < targets.size(); i++) {
            LoopSubscribers l = targets.get(i);
            Batch b = own.get(i);
            b.expect(1);
            l.post(b);
        }
    }

    /** Every stream of every loop gets {@code init}, as after a loop overflow. Dispatcher thread. */
    void resyncAll() {
        for (LoopSubscribers l : loops.values()) {
            if (l.overflowPending.compareAndSet(false, true)) {
                l.post((Runnable) l::overflowed);
            }
        }
    }

    void requestResync(Subscriber s) {
        dispatcher.resync(s);
    }

    /** A stream's channel closed (its loop already forgot it). */
    void streamClosed(Subscriber s) {
        Dispatcher d = dispatcher;
        if (d != null) {
            d.leave(s);
        }
        if (clients.decrementAndGet() == 0) {
            CompletableFuture<Void> done = drained;
            if (done != null) {
                done.complete(null);
            }
        }
    }
}

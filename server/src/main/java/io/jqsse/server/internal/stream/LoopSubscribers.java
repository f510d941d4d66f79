package io.jqsse.server.internal.stream;

import io.jqsse.codec.SseEncoder;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelOutboundBuffer;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.EventLoop;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.channel.epoll.EpollChannelOption;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.handler.codec.http.DefaultHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The streams of one event loop and everything done to them: start (response head, initial views),
 * delivery of the dispatcher's batches (the same read-only bytes to every member of a group, one
 * flush per channel per batch), conflation of slow consumers, heartbeats, slow-client timeouts and
 * shutdown. Every method runs on {@link #loop}.
 */
final class LoopSubscribers {

    final EventLoop loop;
    private final StreamEngine engine;
    private final Map<FilterGroup, ArrayList<Subscriber>> members = new IdentityHashMap<>();
    private final ArrayList<Subscriber> all = new ArrayList<>();
    private final ArrayList<Subscriber> touched = new ArrayList<>();
    private final ArrayList<Subscriber> gathering = new ArrayList<>();
    private long deliveredRev = -1;
    /** Counts the changes delivered on this loop; marks multi-filter streams once per change. */
    private long deliveries;
    /** Changes posted to this loop and not yet delivered (the dispatcher adds, the loop subtracts). */
    final AtomicInteger queuedChanges = new AtomicInteger();
    /** Set by the dispatcher when it skipped a batch for this loop and posted {@link #overflowed()}. */
    final AtomicBoolean overflowPending = new AtomicBoolean();
    /** Bytes queued in Netty for this loop's streams, and the largest for one stream, at the last tick. */
    volatile long pendingBytes;
    volatile long maxPendingBytes;
    private String epoch;

    LoopSubscribers(EventLoop loop, StreamEngine engine) {
        this.loop = loop;
        this.engine = engine;
        long period = Math.max(50, Math.min(1000, engine.config.heartbeatInterval().toMillis() / 4));
        loop.scheduleAtFixedRate(this::tick, period, period, TimeUnit.MILLISECONDS);
    }

    /**
     * Starts a stream whose join the dispatcher decided: writes the response head through the HTTP
     * codec, takes the channel over and writes {@code initial} (owned by this method).
     */
    void start(Subscriber s, List<ByteBuf> initial, String resumedFrom, String epoch, long rev) {
        if (s.closed || !s.channel.isActive()) {
            initial.forEach(ByteBuf::release);
            return;
        }
        HttpResponse head = new DefaultHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK);
        head.headers()
                .set(HttpHeaderNames.CONTENT_TYPE, "text/event-stream")
                .set(HttpHeaderNames.CACHE_CONTROL, "no-cache")
                .set("X-Accel-Buffering", "no")
                .set(HttpHeaderNames.CONNECTION, "close");
        if (resumedFrom != null) {
            head.headers().set("Last-Event-ID", resumedFrom);
        }
        s.httpContext.write(head);
        takeOver(s.channel.pipeline());
        s.channel.pipeline().addLast("sse", new EventStreamHandler(this, s));
        s.channel.config().setWriteBufferWaterMark(new WriteBufferWaterMark(
                engine.config.writeBufferLowWaterMarkBytes(), engine.config.writeBufferHighWaterMarkBytes()));
        detectDeadPeers(s.channel);
        for (ByteBuf b : initial) {
            s.channel.write(b, s.channel.voidPromise());
        }
        s.channel.flush();
        s.lastWriteNanos = engine.nanoTime();
        s.lastIdRev = rev;
        s.live = true;
        register(s);
        if (this.epoch == null || !this.epoch.equals(epoch) || deliveredRev < rev) {
            this.epoch = epoch;
            deliveredRev = rev;
        }
        s.channel.config().setAutoRead(true);
    }

    /**
     * A peer that vanished without closing (cable pulled, laptop lid shut) never reads the
     * keepalives: with TCP_USER_TIMEOUT (RFC 5482) the kernel aborts the connection once data has
     * gone unacknowledged for a heartbeat plus the slow-client timeout, which closes the channel and
     * frees the stream. Only the epoll transport has the option; elsewhere the slow-client timeout
     * and TCP's own retransmission limit do it, later.
     */
    private void detectDeadPeers(Channel ch) {
        if (ch instanceof EpollSocketChannel) {
            long ms = engine.config.heartbeatInterval().toMillis() + engine.config.slowClientTimeout().toMillis();
            ch.config().setOption(EpollChannelOption.TCP_USER_TIMEOUT, (int) Math.min(Integer.MAX_VALUE, ms));
        }
    }

    /** Removes the HTTP handlers: the one named {@code http} and every handler after it. */
    private static void takeOver(ChannelPipeline p) {
        boolean remove = false;
        for (String name : new ArrayList<>(p.toMap().keySet())) {
            remove |= name.equals("http");
            if (remove) {
                p.remove(name);
            }
        }
    }

    private void register(Subscriber s) {
        s.memberIndex = new int[s.groups.length];
        for (int i = 0; i < s.groups.length; i++) {
            ArrayList<Subscriber> list = members.computeIfAbsent(s.groups[i], g -> new ArrayList<>());
            s.memberIndex[i] = list.size();
            list.add(s);
        }
        s.allIndex = all.size();
        all.add(s);
    }

    /** The channel closed: forget the stream and tell the dispatcher. Idempotent. */
    void remove(Subscriber s) {
        if (s.closed) {
            return;
        }
        s.closed = true;
        if (s.allIndex >= 0) {
            for (int i = 0; i < s.groups.length; i++) {
                ArrayList<Subscriber> list = members.get(s.groups[i]);
                Subscriber moved = list.get(list.size() - 1);
                list.set(s.memberIndex[i], moved);
                moved.memberIndex[indexOfGroup(moved, s.groups[i])] = s.memberIndex[i];
                list.remove(list.size() - 1);
                if (list.isEmpty()) {
                    members.remove(s.groups[i]);
                }
            }
            Subscriber moved = all.get(all.size() - 1);
            all.set(s.allIndex, moved);
            moved.allIndex = s.allIndex;
            all.remove(all.size() - 1);
            s.allIndex = -1;
        }
        engine.streamClosed(s);
    }

    private static int indexOfGroup(Subscriber s, FilterGroup g) {
        for (int i = 0; i < s.groups.length; i++) {
            if (s.groups[i] == g) {
                return i;
            }
        }
        throw new IllegalStateException("group not found");
    }

    /** Writes a batch's events to the streams of this loop, one flush per touched channel. */
    void deliver(Batch batch) {
        queuedChanges.addAndGet(-batch.changes.size());
        try {
            for (Batch.ChangeEvents ce : batch.changes) {
                deliver(ce);
            }
            if (epoch == null || !epoch.equals(batch.epoch) || batch.lastRev > deliveredRev) {
                epoch = batch.epoch;
                deliveredRev = batch.lastRev;
            }
            flushTouched();
        } finally {
            batch.loopDone();
        }
    }

    private void deliver(Batch.ChangeEvents ce) {
        long mark = ++deliveries;
        for (int gi = 0; gi < ce.groups().length; gi++) {
            ArrayList<Subscriber> list = members.get(ce.groups()[gi]);
            if (list == null) {
                continue;
            }
            for (int i = 0, n = list.size(); i < n; i++) {
                Subscriber s = list.get(i);
                if (!s.live || s.behind) {
                    continue;
                }
                if (s.groups.length == 1) {
                    write(s, ce.withId()[gi], ce.rev());
                } else if (s.mark != mark) {
                    s.mark = mark;
                    gathering.add(s);
                }
            }
        }
        if (gathering.isEmpty()) {
            return;
        }
        Map<FilterGroup, Integer> at = new IdentityHashMap<>(ce.groups().length * 2);
        for (int gi = 0; gi < ce.groups().length; gi++) {
            at.put(ce.groups()[gi], gi);
        }
        for (int k = 0; k < gathering.size(); k++) {
            Subscriber s = gathering.get(k);
            int last = -1;
            for (FilterGroup g : s.groups) {
                Integer found = at.get(g);
                int gi = found == null ? -1 : found;
                if (gi >= 0) {
                    if (last >= 0) {
                        write(s, ce.noId()[last], -1);
                    }
                    last = gi;
                }
            }
            write(s, ce.withId()[last], ce.rev());
        }
        gathering.clear();
    }

    private void write(Subscriber s, ByteBuf shared, long idRev) {
        if (s.behind) {
            return;
        }
        if (!s.channel.isWritable()) {
            s.behind = true;
            if (s.blockedSinceNanos < 0) {
                s.blockedSinceNanos = engine.nanoTime();
            }
            engine.counters.deltasDropped.increment();
            return;
        }
        s.channel.write(shared.retainedDuplicate(), s.channel.voidPromise());
        engine.counters.writesToStreams.increment();
        if (idRev >= 0) {
            s.lastIdRev = idRev;
        }
        if (!s.touched) {
            s.touched = true;
            touched.add(s);
        }
    }

    private void flushTouched() {
        long now = engine.nanoTime();
        for (int i = 0; i < touched.size(); i++) {
            Subscriber s = touched.get(i);
            s.touched = false;
            s.lastWriteNanos = now;
            s.channel.flush();
        }
        touched.clear();
    }

    /**
     * The dispatcher skipped batches for this loop (see {@link StreamEngine#MAX_QUEUED_CHANGES_PER_LOOP}):
     * every live stream missed them, so each is marked behind and resynced, exactly as a stream
     * whose own channel was not writable. Runs after every batch posted before the skip.
     */
    void overflowed() {
        overflowPending.set(false);
        for (int i = 0; i < all.size(); i++) {
            Subscriber s = all.get(i);
            if (s.live && !s.behind) {
                s.behind = true;
                if (s.channel.isWritable() && !s.resyncPending) {
                    s.resyncPending = true;
                    engine.requestResync(s);
                }
            }
        }
    }

    /** The channel's writability changed (see {@link EventStreamHandler}). */
    void writabilityChanged(Subscriber s) {
        if (!s.channel.isWritable()) {
            if (s.blockedSinceNanos < 0) {
                s.blockedSinceNanos = engine.nanoTime();
            }
            return;
        }
        s.blockedSinceNanos = -1;
        if (s.behind && !s.resyncPending && s.live) {
            s.resyncPending = true;
            engine.requestResync(s);
        }
    }

    /** The dispatcher's answer to a resync: {@code init} per filter at {@code rev}. */
    void resync(Subscriber s, List<ByteBuf> views, long rev) {
        if (s.closed) {
            views.forEach(ByteBuf::release);
            return;
        }
        for (ByteBuf b : views) {
            s.channel.write(b, s.channel.voidPromise());
        }
        s.channel.flush();
        s.behind = false;
        s.resyncPending = false;
        s.lastIdRev = rev;
        s.lastWriteNanos = engine.nanoTime();
        engine.counters.resyncs.increment();
    }

    /** Heartbeats after a quiet interval; closes streams blocked longer than the slow-client timeout. */
    void tick() {
        long now = engine.nanoTime();
        long heartbeat = engine.config.heartbeatInterval().toNanos();
        long slow = engine.config.slowClientTimeout().toNanos();
        long sum = 0;
        long max = 0;
        for (int i = all.size() - 1; i >= 0; i--) {
            Subscriber s = all.get(i);
            ChannelOutboundBuffer ob = s.channel.unsafe().outboundBuffer();
            long pending = ob == null ? 0 : ob.totalPendingWriteBytes();
            sum += pending;
            max = Math.max(max, pending);
            if (!s.channel.isWritable()) {
                if (s.blockedSinceNanos < 0) {
                    s.blockedSinceNanos = now;
                } else if (now - s.blockedSinceNanos >= slow) {
                    engine.counters.slowClientsClosed.increment();
                    s.channel.close();
                }
                continue;
            }
            if (now - s.lastWriteNanos >= heartbeat) {
                ByteBuf b = s.channel.alloc().buffer(48);
                if (!s.behind && s.lastIdRev < deliveredRev && epoch != null) {
                    SseEncoder.writeCommentWithId(b, "keepalive", epoch + ":" + deliveredRev);
                    s.lastIdRev = deliveredRev;
                } else {
                    SseEncoder.writeComment(b, "keepalive");
                }
                s.channel.writeAndFlush(b, s.channel.voidPromise());
                s.lastWriteNanos = now;
                engine.counters.keepalives.increment();
            }
        }
        pendingBytes = sum;
        maxPendingBytes = max;
    }

    /** Closes every stream after a final comment, spread over {@code spreadMillis} so reconnects do not stampede. */
    void shutdown(long spreadMillis) {
        for (Subscriber s : new ArrayList<>(all)) {
            long delay = spreadMillis <= 0 ? 0 : ThreadLocalRandom.current().nextLong(spreadMillis);
            loop.schedule(() -> closeWithComment(s.channel), delay, TimeUnit.MILLISECONDS);
        }
    }

    private static void closeWithComment(Channel ch) {
        if (!ch.isActive()) {
            return;
        }
        ByteBuf b = ch.alloc().buffer(32);
        SseEncoder.writeComment(b, "server shutting down");
        ch.writeAndFlush(b).addListener(f -> ch.close());
    }
}

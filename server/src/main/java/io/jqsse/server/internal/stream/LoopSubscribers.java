package io.jqsse.server.internal.stream;

import io.jqsse.codec.SseEncoder;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelOutboundBuffer;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.EventLoop;
import io.netty.channel.WriteBufferWaterMark;
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
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The streams of one event loop and everything done to them: start (response head, initial views),
 * delivery of the dispatcher's batches, conflation of slow consumers, heartbeats, slow-client
 * timeouts and shutdown. Every method runs on {@link #loop}, except {@link #post}.
 *
 * <p>Delivery. The dispatcher {@link #post posts} batches and tasks (starts, resyncs) to the loop's
 * {@link LoopInbox}, which one drain task empties in order. Consecutive batches found there form a
 * run, delivered together: each stream with one filter gets its group's events of the whole run as one buffer,
 * encoded once per loop and written as a duplicate to every member, and every touched channel is
 * flushed once per run. A loop that fell behind therefore catches up in one pass over its streams,
 * whatever the number of changes it missed: the cost of a pass grows with the streams, not with
 * streams times changes. Streams with several filters get their events change by change, so that
 * the events of each write stay together and in the order of the filters.
 */
final class LoopSubscribers {

    private static final Logger LOG = LoggerFactory.getLogger(LoopSubscribers.class);

    final EventLoop loop;
    private final StreamEngine engine;
    /** Per group, its streams that have only that one filter. */
    private final Map<FilterGroup, ArrayList<Subscriber>> members = new IdentityHashMap<>();
    /** Per group, its streams that have several filters (each is in the list of each of its groups). */
    private final Map<FilterGroup, ArrayList<Subscriber>> multiMembers = new IdentityHashMap<>();
    private final ArrayList<Subscriber> all = new ArrayList<>();
    private final ArrayList<Subscriber> touched = new ArrayList<>();
    private final ArrayList<Subscriber> gathering = new ArrayList<>();
    final LoopInbox inbox;
    private final Map<FilterGroup, GroupRun> groupRuns = new IdentityHashMap<>();
    private long deliveredRev = -1;
    /** Counts the changes delivered on this loop; marks multi-filter streams once per change. */
    private long deliveries;
    /** Set by the dispatcher when it skipped a batch for this loop and posted {@link #overflowed()}. */
    final AtomicBoolean overflowPending = new AtomicBoolean();
    /** Bytes queued in Netty for this loop's streams, and the largest for one stream, at the last tick. */
    volatile long pendingBytes;
    volatile long maxPendingBytes;
    private String epoch;
    /** The streams' write-buffer water marks (immutable, shared by this loop's channels). */
    private final WriteBufferWaterMark waterMark;

    LoopSubscribers(EventLoop loop, StreamEngine engine) {
        this.loop = loop;
        this.engine = engine;
        this.inbox = new LoopInbox(loop, this::deliverSafely);
        this.waterMark = new WriteBufferWaterMark(
                engine.config.writeBufferLowWaterMarkBytes(), engine.config.writeBufferHighWaterMarkBytes());
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
        s.httpContext = null;
        takeOver(s.channel.pipeline());
        s.channel.pipeline().addLast("sse", new EventStreamHandler(this, s));
        s.channel.config().setWriteBufferWaterMark(waterMark);
        Transports.boundKernelQueues(s.channel, engine.config);
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

    private Map<FilterGroup, ArrayList<Subscriber>> membersOf(Subscriber s) {
        return s.groups.length == 1 ? members : multiMembers;
    }

    private void register(Subscriber s) {
        s.memberIndex = new int[s.groups.length];
        Map<FilterGroup, ArrayList<Subscriber>> map = membersOf(s);
        for (int i = 0; i < s.groups.length; i++) {
            ArrayList<Subscriber> list = map.computeIfAbsent(s.groups[i], g -> new ArrayList<>());
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
            Map<FilterGroup, ArrayList<Subscriber>> map = membersOf(s);
            for (int i = 0; i < s.groups.length; i++) {
                ArrayList<Subscriber> list = map.get(s.groups[i]);
                Subscriber moved = list.get(list.size() - 1);
                list.set(s.memberIndex[i], moved);
                moved.memberIndex[indexOfGroup(moved, s.groups[i])] = s.memberIndex[i];
                list.remove(list.size() - 1);
                if (list.isEmpty()) {
                    map.remove(s.groups[i]);
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

    /**
     * Queues a batch, or a task to run in order with the batches (start, resync, overflow), for this
     * loop. Any thread; the loop takes ownership of the batch.
     */
    void post(Object item) {
        inbox.post(item);
    }

    /** The inbox's consumer: a run that fails to be written resyncs the loop's streams rather than let them drift. */
    private void deliverSafely(List<Batch> batches) {
        try {
            deliver(batches);
        } catch (RuntimeException e) {
            LOG.error("delivering changes failed; resyncing the loop's streams", e);
            overflowed();
        }
    }

    /**
     * Writes a run of consecutive batches to the streams of this loop (see the class comment), one
     * flush per touched channel, and releases the batches.
     */
    void deliver(List<Batch> batches) {
        try {
            long now = engine.nanoTime();
            writeRunToSingles(batches, now);
            if (!multiMembers.isEmpty()) {
                for (Batch b : batches) {
                    for (Batch.ChangeEvents ce : b.changes) {
                        writeToMultis(ce);
                    }
                }
            }
            Batch last = batches.get(batches.size() - 1);
            if (epoch == null || !epoch.equals(last.epoch) || last.lastRev > deliveredRev) {
                epoch = last.epoch;
                deliveredRev = last.lastRev;
            }
            flushTouched();
        } finally {
            for (Batch b : batches) {
                b.loopDone();
            }
        }
    }

    /** Each one-filter stream gets its group's events of the whole run as one buffer, written and flushed at once. */
    private void writeRunToSingles(List<Batch> batches, long now) {
        for (Batch b : batches) {
            for (Batch.ChangeEvents ce : b.changes) {
                for (int gi = 0; gi < ce.groups().length; gi++) {
                    FilterGroup g = ce.groups()[gi];
                    if (members.containsKey(g)) {
                        groupRuns.computeIfAbsent(g, GroupRun::new).add(ce.withId()[gi], ce.rev());
                    }
                }
            }
        }
        try {
            for (GroupRun r : groupRuns.values()) {
                ByteBuf joined = r.joined();
                try {
                    writeToSingles(r.group, joined, r.lastRev, now);
                } finally {
                    joined.release();
                }
            }
        } finally {
            groupRuns.clear();
        }
    }

    private void writeToSingles(FilterGroup g, ByteBuf events, long rev, long now) {
        ArrayList<Subscriber> list = members.get(g);
        if (list == null) {
            return;
        }
        for (int i = 0, n = list.size(); i < n; i++) {
            Subscriber s = list.get(i);
            if (s.live && !s.behind) {
                writeAndFlush(s, events, rev, now);
            }
        }
    }

    /** The events of one change for the streams with several filters: per stream, in filter order, the id on the last. */
    private void writeToMultis(Batch.ChangeEvents ce) {
        if (multiMembers.isEmpty()) {
            return;
        }
        long mark = ++deliveries;
        for (int gi = 0; gi < ce.groups().length; gi++) {
            ArrayList<Subscriber> list = multiMembers.get(ce.groups()[gi]);
            if (list == null) {
                continue;
            }
            for (int i = 0, n = list.size(); i < n; i++) {
                Subscriber s = list.get(i);
                if (s.live && !s.behind && s.mark != mark) {
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

    /** A write for a stream with several filters; flushed with the others in {@link #flushTouched()}. */
    private void write(Subscriber s, ByteBuf shared, long idRev) {
        if (s.behind || blocked(s)) {
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

    /**
     * The one write of a run for a stream with one filter, flushed at once: one visit per stream and
     * run (a second pass to flush would walk every channel again, out of the CPU caches at 100k streams).
     */
    private void writeAndFlush(Subscriber s, ByteBuf shared, long idRev, long now) {
        if (blocked(s)) {
            return;
        }
        s.channel.writeAndFlush(shared.retainedDuplicate(), s.channel.voidPromise());
        engine.counters.writesToStreams.increment();
        s.lastIdRev = idRev;
        s.lastWriteNanos = now;
    }

    /** Whether the channel is above its high-water mark; if so the stream is marked behind (the events are dropped). */
    private boolean blocked(Subscriber s) {
        if (s.channel.isWritable()) {
            return false;
        }
        s.behind = true;
        if (s.blockedSinceNanos < 0) {
            s.blockedSinceNanos = engine.nanoTime();
        }
        engine.counters.deltasDropped.increment();
        return true;
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

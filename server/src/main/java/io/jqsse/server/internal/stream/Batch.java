package io.jqsse.server.internal.stream;

import io.netty.buffer.ByteBuf;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The encoded events of a run of consecutive changes, handed by the dispatcher to every event loop
 * that has streams. Buffers are never written after encoding and are owned by the batch; loops
 * write retained duplicates (or copies joined over several batches) and call {@link #loopDone()}
 * once each; the last one releases the buffers.
 */
final class Batch {

    /**
     * The events of one change.
     *
     * @param rev     the change's rev
     * @param id      {@code <epoch>:<rev>}
     * @param groups  the groups with events for this change
     * @param withId  per group: its events, the last carrying {@code id}
     * @param noId    per group: the same without id, or null when the group has no multi-filter members
     */
    record ChangeEvents(long rev, String id, FilterGroup[] groups, ByteBuf[] withId, ByteBuf[] noId) {
    }

    final List<ChangeEvents> changes;
    final String epoch;
    final long lastRev;
    /** The encoded bytes of the batch (both variants of every group's events). */
    final long bytes;
    private final AtomicInteger pendingLoops = new AtomicInteger();

    Batch(List<ChangeEvents> changes, String epoch, long lastRev) {
        this.changes = changes;
        this.epoch = epoch;
        this.lastRev = lastRev;
        long n = 0;
        for (ChangeEvents ce : changes) {
            n += readable(ce.withId()) + readable(ce.noId());
        }
        this.bytes = n;
    }

    private static long readable(ByteBuf[] bufs) {
        long n = 0;
        for (int i = 0; bufs != null && i < bufs.length; i++) {
            n += bufs[i] == null ? 0 : bufs[i].readableBytes();
        }
        return n;
    }

    /**
     * A batch with the same events in buffers of its own, for another loop: two loops writing
     * duplicates of one buffer contend on its reference count (one cache line bouncing between
     * cores on every write); a copy per loop and change costs one memory copy instead.
     */
    Batch copy() {
        List<ChangeEvents> out = new java.util.ArrayList<>(changes.size());
        for (ChangeEvents ce : changes) {
            out.add(new ChangeEvents(ce.rev(), ce.id(), ce.groups(), copyAll(ce.withId()), copyAll(ce.noId())));
        }
        return new Batch(out, epoch, lastRev);
    }

    private static ByteBuf[] copyAll(ByteBuf[] bufs) {
        ByteBuf[] out = new ByteBuf[bufs.length];
        for (int i = 0; i < bufs.length; i++) {
            out[i] = bufs[i] == null ? null : bufs[i].copy();
        }
        return out;
    }

    /** Called once before the batch is handed to {@code loops} loops; with 0 it is released now. */
    void expect(int loops) {
        if (loops == 0) {
            release();
        } else {
            pendingLoops.set(loops);
        }
    }

    void loopDone() {
        if (pendingLoops.decrementAndGet() == 0) {
            release();
        }
    }

    void release() {
        for (ChangeEvents ce : changes) {
            releaseAll(ce.withId());
            releaseAll(ce.noId());
        }
    }

    private static void releaseAll(ByteBuf[] bufs) {
        if (bufs == null) {
            return;
        }
        for (ByteBuf b : bufs) {
            if (b != null) {
                b.release();
            }
        }
    }
}

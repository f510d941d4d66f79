package io.jqsse.server.internal.stream;

import io.netty.channel.EventLoop;
import io.netty.util.internal.PlatformDependent;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What the dispatcher hands one event loop, in the order it was posted: batches of changes and tasks
 * (stream starts, resyncs, overflows). One drain task at a time empties it on the loop; consecutive
 * batches found there go to the consumer together, as one run, and a task runs between two runs, so
 * a stream's start at rev r always precedes the first batch after r. Counts the changes and bytes
 * queued and not yet handed on, which bound the loop's backlog ({@link StreamEngine#post}).
 */
final class LoopInbox {

    private static final Logger LOG = LoggerFactory.getLogger(LoopInbox.class);
    /** Items handled per drain task before it yields the loop to other tasks (I/O, closes, ticks). */
    private static final int MAX_ITEMS_PER_DRAIN = 1024;

    private final EventLoop loop;
    /** Writes a run and releases its batches (loop thread). */
    private final Consumer<List<Batch>> deliver;
    private final Queue<Object> items = PlatformDependent.newMpscQueue();
    private final AtomicBoolean drainScheduled = new AtomicBoolean();
    private final AtomicInteger queuedChanges = new AtomicInteger();
    private final AtomicLong queuedBytes = new AtomicLong();
    private final ArrayList<Batch> run = new ArrayList<>();
    private volatile boolean rejected;

    LoopInbox(EventLoop loop, Consumer<List<Batch>> deliver) {
        this.loop = loop;
        this.deliver = deliver;
    }

    /** Queues a {@link Batch} (the loop takes ownership of it) or a {@link Runnable}. Any thread. */
    void post(Object item) {
        if (item instanceof Batch b) {
            queuedChanges.addAndGet(b.changes.size());
            queuedBytes.addAndGet(b.bytes);
        }
        if (rejected) {
            discard(item);
            return;
        }
        items.offer(item);
        scheduleDrain();
    }

    /** Changes queued and not yet handed to the consumer. */
    int queuedChanges() {
        return queuedChanges.get();
    }

    /** The encoded bytes of those changes. */
    long queuedBytes() {
        return queuedBytes.get();
    }

    private void scheduleDrain() {
        if (!items.isEmpty() && drainScheduled.compareAndSet(false, true)) {
            try {
                loop.execute(this::drain);
            } catch (RejectedExecutionException e) {
                // the loop is shut down: its channels are closed, nothing is left to deliver
                rejected = true;
                Object item;
                while ((item = items.poll()) != null) {
                    discard(item);
                }
            }
        }
    }

    private void discard(Object item) {
        if (item instanceof Batch b) {
            handedOn(b);
            b.loopDone();
        }
    }

    private void handedOn(Batch b) {
        queuedChanges.addAndGet(-b.changes.size());
        queuedBytes.addAndGet(-b.bytes);
    }

    private void drain() {
        drainScheduled.set(false);
        try {
            Object item;
            for (int n = 0; n < MAX_ITEMS_PER_DRAIN && (item = items.poll()) != null; n++) {
                if (item instanceof Batch b) {
                    run.add(b);
                    continue;
                }
                deliverRun();
                try {
                    ((Runnable) item).run();
                } catch (RuntimeException e) {
                    LOG.error("stream task failed", e);
                }
            }
            deliverRun();
        } finally {
            scheduleDrain();
        }
    }

    private void deliverRun() {
        if (run.isEmpty()) {
            return;
        }
        for (Batch b : run) {
            handedOn(b);
        }
        try {
            deliver.accept(run);
        } finally {
            run.clear();
        }
    }
}

package io.jqsse.store.mongo;

import com.fasterxml.jackson.databind.JsonNode;
import io.jqsse.store.Change;
import io.jqsse.store.ChangeListener;
import io.jqsse.store.Commit;
import io.jqsse.store.Documents;
import io.jqsse.store.Path;
import io.jqsse.store.Snapshot;
import io.jqsse.store.Write;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.LongConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The local replica of the stored document, fed only by the change stream (and by reloads when the
 * stream cannot say what happened). Own writes are registered by rev once MongoDB acknowledged them;
 * when their rev arrives they are replayed with {@link Documents#apply} for precise touched paths and
 * their stage completes (read-your-writes).
 *
 * <p>Threading: every method except {@link #snapshot()} and {@link #subscribe} runs on the one replica
 * thread. The listener is called on that thread, under the lock that {@link #subscribe} takes.
 */
final class Replica {

    private static final Logger log = LoggerFactory.getLogger(Replica.class);

    /** An acknowledged write of this store waiting for its rev to reach the replica. */
    record Pending(Write write, Commit commit, CompletableFuture<Commit> future) {
    }

    /** How long events wait at most for the outcome of own writes in flight before applying anyway. */
    static final long HOLD_MILLIS = 2000;

    private final Runnable reload;
    private final LongConsumer bumpRev;
    private final ScheduledExecutorService executor;
    /** The stored data changed without a rev: the next rev is read in full, not taken from its delta. */
    private boolean staleData;
    private final Object lock = new Object();
    private final NavigableMap<Long, Pending> pending = new TreeMap<>();
    /** For each rev that own writes in flight try to commit as: how many try it. */
    private final ConcurrentHashMap<Long, AtomicInteger> inFlight = new ConcurrentHashMap<>();
    private final Deque<Event> held = new ArrayDeque<>();
    private ScheduledFuture<?> forcedDrain;
    private volatile Snapshot snapshot;
    private ChangeListener listener;
    private volatile long dataBytes;

    /**
     * @param reload   asks for the stored document to be read again and handed to {@link #load}
     * @param bumpRev  asks for a compare-and-swap of rev from the given one to the next, with no other
     *                 change: how a change made without a rev gets one
     * @param executor the replica thread, for the hold deadline
     */
    Replica(Runnable reload, LongConsumer bumpRev, ScheduledExecutorService executor) {
        this.reload = reload;
        this.bumpRev = bumpRev;
        this.executor = executor;
    }

    /**
     * An own write is about to try to commit as {@code rev} (any thread). Until its outcome is known
     * ({@link #register} or {@link #notCommitted}), an event that reaches {@code rev} is held back, so
     * that an own write is replayed with its precise touched paths even when its change stream event
     * (or a later one, whose looked-up document includes it) overtakes MongoDB's reply.
     */
    void sending(long rev) {
        inFlight.computeIfAbsent(rev, r -> new AtomicInteger()).incrementAndGet();
    }

    /** A write announced with {@link #sending} did not commit as {@code rev}; on the replica thread. */
    void notCommitted(long rev) {
        settled(rev);
        drain(false);
    }

    private void settled(long rev) {
        inFlight.computeIfPresent(rev, (r, n) -> n.decrementAndGet() == 0 ? null : n);
    }

    /** The latest applied snapshot, null before the first load; any thread. */
    Snapshot snapshot() {
        return snapshot;
    }

    /** The estimated BSON size of the replica's data; any thread. */
    long dataBytes() {
        return dataBytes;
    }

    /** Sets the listener and returns the snapshot it starts after; any thread. */
    Snapshot subscribe(ChangeListener l) {
        synchronized (lock) {
            if (listener != null) {
                throw new IllegalStateException("listener: already subscribed (expected: one subscribe call)");
            }
            listener = l;
            return snapshot;
        }
    }

    /** A full stored document read from MongoDB (start, probe, reload): replaces the replica when newer. */
    void load(StoredDocument doc) {
        if (snapshot == null) {
            dataBytes = BsonJson.bsonSize(doc.data());
            snapshot = new Snapshot(doc.epoch(), doc.rev(), doc.data());
            completePending();
            drain(false);
        } else {
            onEvent(Event.reload(doc));
        }
    }

    /** Replaces the replica with {@code doc} when it is newer (or of another epoch): a reset change. */
    private void reset(StoredDocument doc) {
        Snapshot current = snapshot;
        if (!doc.epoch().equals(current.epoch()) || doc.rev() > current.rev()) {
            log.debug("reset from {}:{} to {}:{} (pending {}, in flight {})", current.epoch(), current.rev(),
                    doc.epoch(), doc.rev(), pending.keySet(), inFlight.keySet());
            commit(doc.epoch(), doc.rev(), doc.data(), List.of(Path.root()), null, true);
        }
        completePending();
    }

    /** One change stream event. */
    void onEvent(Event e) {
        held.add(e);
        drain(false);
    }

    private void drain(boolean force) {
        while (!held.isEmpty() && snapshot != null && (force || !awaitsOwnWrite(held.peek()))) {
            process(held.poll());
        }
        if (held.isEmpty() && forcedDrain != null) {
            forcedDrain.cancel(false);
            forcedDrain = null;
        }
        if (!held.isEmpty() && forcedDrain == null) {
            forcedDrain = executor.schedule(() -> {
                forcedDrain = null;
                drain(true);
            }, HOLD_MILLIS, TimeUnit.MILLISECONDS);
        }
    }

    /** True when a rev the event reaches is not known yet but an own write in flight may commit as it. */
    private boolean awaitsOwnWrite(Event e) {
        Long rev = e.deltaRev() != null ? e.deltaRev() : e.full() != null ? e.full().rev() : null;
        if (rev == null || inFlight.isEmpty()) {
            return false;
        }
        // only the in-flight revs matter: an outside writer can make the gap to rev arbitrarily large
        for (Long r : inFlight.keySet()) {
            if (r > snapshot.rev() && r <= rev && !pending.containsKey(r)) {
                return true;
            }
        }
        return false;
    }

    private void process(Event e) {
        Snapshot current = snapshot;
        if (current == null) {
            return;
        }
        if (!e.isModification() || e.foreign()) {
            log.info("stored document: {} (expected: an update of data and rev); reloading",
                    e.foreign() ? "replaced without rev and epoch" : e.operationType());
            reload.run();
            return;
        }
        if (e.dataWithoutRev()) {
            log.info("stored document: data changed at rev {} without a new rev; giving it one", current.rev());
            staleData = true;
            bumpRev.accept(current.rev());
            return;
        }
        String epoch = e.deltaEpoch() != null ? e.deltaEpoch() : e.full() != null ? e.full().epoch() : null;
        if (epoch != null && !epoch.equals(current.epoch())) {
            if (e.full() != null && e.full().epoch().equals(epoch)) {
                reset(e.full());
            } else {
                reload.run();
            }
            return;
        }
        Long rev = e.deltaRev() != null ? e.deltaRev() : e.full() != null ? e.full().rev() : null;
        if (rev == null || rev <= current.rev()) {
            if (e.delta() == null && !Event.RELOAD.equals(e.operationType()) && !pending.isEmpty()) {
                log.debug("event looked up rev {} while own writes up to {} are acknowledged; reloading", rev,
                        pending.lastKey());
                reload.run();
            }
            completePending();
        } else if (rev == current.rev() + 1) {
            applyNext(e, rev);
        } else if (e.full() != null && e.full().rev() == rev) {
            catchUp(e, e.full());
        } else {
            reload.run();
        }
    }

    private void applyNext(Event e, long rev) {
        Snapshot current = snapshot;
        if (staleData && !Event.RELOAD.equals(e.operationType())) {
            staleData = false;
            reload.run();
            return;
        }
        staleData = false;
        StoredDocument full = e.full() != null && e.full().rev() == rev ? e.full() : null;
        Pending own = pending.get(rev);
        if (own != null) {
            Documents.Applied applied = replay(current.document(), own.write());
            if (applied != null) {
                commit(current.epoch(), rev, applied.document(), applied.touched(), applied.resolved(),
                        own.write() instanceof Write.Replace);
                verify(full, rev);
                return;
            }
        }
        Deltas.Applied delta = e.delta() != null && e.deltaRev() != null
                ? Deltas.apply(current.document(), e.delta()) : null;
        JsonNode after = delta != null ? delta.data() : full != null ? full.data() : null;
        if (after != null && applyDescribed(e.writeOf(current.epoch(), rev), rev, after)) {
            return;
        }
        if (delta != null) {
            boolean whole = delta.touched().contains(Path.root());
            commit(current.epoch(), rev, delta.data(),
                    delta.touched().isEmpty() ? List.of(Path.root()) : delta.touched(), null, whole);
        } else if (full != null) {
            boolean wholesale = "replace".equals(e.operationType()) || Event.RELOAD.equals(e.operationType());
            commit(current.epoch(), rev, full.data(), List.of(Path.root()), null, wholesale);
        } else {
            reload.run();
        }
    }

    /**
     * Another instance's write (or an own write whose outcome never came), committed as {@code rev}
     * with the descriptor {@code w}: rebuilt as its writer published it, when replaying it on the
     * replica gives {@code after}, so that every instance sends the same events for it.
     */
    private boolean applyDescribed(WriteDescriptor w, long rev, JsonNode after) {
        if (w == null) {
            return false;
        }
        Snapshot current = snapshot;
        WriteDescriptor.Rebuilt rebuilt = w.rebuild(current.document(), after);
        if (rebuilt == null) {
            log.debug("rev {}: the {} at {} does not lead to the stored data; using the data", rev, w.op(), w.path());
            return false;
        }
        commit(current.epoch(), rev, rebuilt.after(), rebuilt.touched(), rebuilt.write(), rebuilt.reset());
        return true;
    }

    /**
     * The event carries a document several revs ahead (an {@code updateLookup} that saw later writes,
     * or a reload): replays the own writes in between, and the last rev by its descriptor when it is
     * not an own write, when all are known; else resets to it.
     */
    private void catchUp(Event e, StoredDocument full) {
        Snapshot current = snapshot;
        List<WriteDescriptor.Rebuilt> chain = new ArrayList<>();
        JsonNode doc = current.document();
        for (long r = current.rev() + 1; r <= full.rev(); r++) {
            Pending own = pending.get(r);
            Documents.Applied applied = own == null ? null : replay(doc, own.write());
            WriteDescriptor described = applied == null && r == full.rev() ? e.writeOf(current.epoch(), r) : null;
            WriteDescriptor.Rebuilt step = applied != null ? new WriteDescriptor.Rebuilt(applied.document(),
                    applied.touched(), applied.resolved(), own.write() instanceof Write.Replace)
                    : described != null ? described.rebuild(doc, full.data()) : null;
            if (step == null) {
                log.debug("rev {}: unknown or not replayable in a catch-up to {}", r, full.rev());
                reset(full);
                return;
            }
            chain.add(step);
            doc = step.after();
        }
        long r = current.rev();
        for (WriteDescriptor.Rebuilt step : chain) {
            commit(current.epoch(), ++r, step.after(), step.touched(), step.write(), step.reset());
        }
        verify(full, full.rev());
    }

    /**
     * Own writes are exact by construction (each committed by a compare-and-swap on the rev the
     * replica replayed it on), so a stored copy that disagrees is re-read rather than trusted:
     * mongo-java-server applies an update's operators one by one while lookups read, so its
     * {@code updateLookup} documents can be torn. A reload only ever moves the replica forward.
     */
    private void verify(StoredDocument full, long rev) {
        if (full != null && full.rev() == rev && snapshot.rev() == rev && !full.data().equals(snapshot.document())) {
            log.debug("rev {}: the looked-up document differs from the replayed writes; reloading", rev);
            reload.run();
        }
    }

    private static Documents.Applied replay(JsonNode document, Write write) {
        try {
            return Documents.apply(document, write);
        } catch (RuntimeException e) {
            log.debug("own write no longer applies to the replica; using the stored document", e);
            return null;
        }
    }

    /** Registers an acknowledged own write; completes it at once when the replica already has it. */
    void register(Pending p) {
        pending.put(p.commit().rev(), p);
        settled(p.commit().rev());
        completePending();
        drain(false);
    }

    /** The stage of the write at {@code rev}, if still waiting; used by the timeout fallback. */
    boolean isPending(long rev) {
        return pending.containsKey(rev);
    }

    /** Completes a write that the replica could not catch up with in time (its commit is durable). */
    void giveUp(long rev) {
        Pending p = pending.remove(rev);
        if (p != null) {
            log.warn("rev {}: not seen on the change stream in time; completing the acknowledged write", rev);
            p.future().complete(p.commit());
        }
    }

    /** Fails every waiting write's stage (on close). */
    void failPending(RuntimeException e) {
        for (Pending p : pending.values()) {
            p.future().completeExceptionally(e);
        }
        pending.clear();
    }

    private void commit(String epoch, long rev, JsonNode after, List<Path> touched, Write write, boolean reset) {
        Snapshot before = snapshot;
        long size = 0;
        for (Path t : touched) {
            JsonNode b = Trees.get(before.document(), t);
            JsonNode a = Trees.get(after, t);
            long added = a == null ? 0 : BsonJson.bsonSize(a);
            size += added;
            dataBytes += added - (b == null ? 0 : BsonJson.bsonSize(b));
        }
        if (reset) {
            dataBytes = size;
        }
        Change change = new Change(epoch, rev, before.document(), after, touched, write, reset,
                System.currentTimeMillis(), size);
        synchronized (lock) {
            snapshot = change.snapshot();
            if (listener != null) {
                try {
                    listener.onChange(change);
                } catch (RuntimeException ex) {
                    log.warn("change listener failed at rev {}", rev, ex);
                }
            }
        }
        completePending();
    }

    private void completePending() {
        Snapshot current = snapshot;
        for (Iterator<Map.Entry<Long, Pending>> it = pending.entrySet().iterator(); it.hasNext(); ) {
            Pending p = it.next().getValue();
            boolean sameEpoch = p.commit().epoch().equals(current.epoch());
            if (sameEpoch && p.commit().rev() > current.rev()) {
                break;
            }
            it.remove();
            p.future().complete(p.commit());
        }
    }
}

package io.jqsse.server.internal.stream;

import io.jqsse.store.Change;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;

/**
 * The last changes of the current epoch, bounded by count and by estimated bytes, for resuming
 * streams. Owned by the dispatcher thread. A reset change (POST, reload) starts a new chain: nothing
 * before it can be replayed across it.
 */
final class ReplayBuffer {

    private final int maxChanges;
    private final long maxBytes;
    private final ArrayDeque<Change> changes = new ArrayDeque<>();
    private long bytes;
    /** Resume is possible from any rev in [baseRev, newest rev]. */
    private long baseRev;

    ReplayBuffer(int maxChanges, long maxBytes, long startRev) {
        this.maxChanges = maxChanges;
        this.maxBytes = maxBytes;
        this.baseRev = startRev;
    }

    void add(Change change) {
        if (change.reset()) {
            changes.clear();
            bytes = 0;
            baseRev = change.rev();
            return;
        }
        if (maxChanges == 0) {
            baseRev = change.rev();
            return;
        }
        changes.addLast(change);
        bytes += Math.max(0, change.sizeBytes());
        while (changes.size() > maxChanges || (bytes > maxBytes && changes.size() > 1)) {
            Change dropped = changes.removeFirst();
            bytes -= Math.max(0, dropped.sizeBytes());
            baseRev = dropped.rev();
        }
    }

    /** Restarts the chain at {@code rev} (a new epoch). */
    void clear(long rev) {
        changes.clear();
        bytes = 0;
        baseRev = rev;
    }

    /**
     * The changes after {@code rev} up to the newest, or null when {@code rev} is outside the buffer
     * (too old, or ahead of it).
     */
    List<Change> since(long rev, long currentRev) {
        if (rev < baseRev || rev > currentRev) {
            return null;
        }
        List<Change> out = new ArrayList<>((int) Math.min(currentRev - rev, changes.size()));
        Iterator<Change> it = changes.descendingIterator();
        while (it.hasNext()) {
            Change c = it.next();
            if (c.rev() <= rev) {
                break;
            }
            out.add(c);
        }
        Collections.reverse(out);
        return out;
    }

    int size() {
        return changes.size();
    }

    long bytes() {
        return bytes;
    }
}

package io.jqsse.server.internal.stream;

import com.fasterxml.jackson.databind.JsonNode;
import io.jqsse.store.Change;
import io.jqsse.store.Path;
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
    private final ArrayDeque<Long> weights = new ArrayDeque<>();
    private long bytes;
    /** Resume is possible from any rev in [baseRev, newest rev]. */
    private long baseRev;

    ReplayBuffer(int maxChanges, long maxBytes, long startRev) {
        this.maxChanges = maxChanges;
        this.maxBytes = maxBytes;
        this.baseRev = startRev;
    }

    /**
     * Keeps {@code change}.
     *
     * @param weight the bytes keeping it costs: what it wrote, plus the containers it copied (a kept
     *               change holds its documents, which share everything else with their neighbours)
     */
    void add(Change change, long weight) {
        if (change.reset()) {
            changes.clear();
            weights.clear();
            bytes = 0;
            baseRev = change.rev();
            return;
        }
        if (maxChanges == 0) {
            baseRev = change.rev();
            return;
        }
        changes.addLast(change);
        weights.addLast(weight);
        bytes += weight;
        while (changes.size() > maxChanges || (bytes > maxBytes && changes.size() > 1)) {
            Change dropped = changes.removeFirst();
            bytes -= weights.removeFirst();
            baseRev = dropped.rev();
        }
    }

    /** Restarts the chain at {@code rev} (a new epoch). */
    void clear(long rev) {
        changes.clear();
        weights.clear();
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

    /**
     * What keeping {@code c} costs: its own estimate plus, for every container on a touched path,
     * the copy path copying made of it (a map entry per key of an object, a reference per element
     * of an array).
     */
    static long weight(Change c) {
        long w = Math.max(0, c.sizeBytes());
        for (Path p : c.touched()) {
            JsonNode n = c.after();
            for (int i = 0; n != null && i <= p.size(); i++) {
                // an object's copy is a LinkedHashMap: about 56 bytes a key; an array's a list of references
                w += 16 + (n.isObject() ? 56L : 8L) * n.size();
                if (i < p.size()) {
                    Object seg = p.get(i);
                    n = seg instanceof String k ? n.get(k) : n.get((Integer) seg);
                }
            }
        }
        return w;
    }
}

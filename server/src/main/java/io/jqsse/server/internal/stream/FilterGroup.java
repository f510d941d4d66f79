package io.jqsse.server.internal.stream;

import com.fasterxml.jackson.databind.JsonNode;
import io.jqsse.jq.ComputedFilter;
import io.jqsse.jq.Filter;
import io.jqsse.jq.FilterEvaluationException;
import io.jqsse.jq.Location;
import io.jqsse.jq.PathFilter;
import io.jqsse.jq.View;
import io.jqsse.store.Change;
import io.jqsse.store.Path;
import io.netty.buffer.ByteBuf;
import java.util.ArrayList;
import java.util.List;

/**
 * The subscribers of one filter text, seen from the dispatcher: the filter, how many members it
 * has, its state (locations or output) and the encoded view events at the dispatcher's current
 * revision, shared by every member that joins or resyncs before the next change. The state stays
 * valid across changes that do not affect the group (its footprint says so), so nothing is done for
 * a group per change unless the change can affect it. Dispatcher thread only.
 */
final class FilterGroup {

    /** The outcome of one change for this group. */
    record Outcome(List<Delta> deltas, boolean init, String error) {
        static final Outcome NONE = new Outcome(List.of(), false, null);
        static final Outcome INIT = new Outcome(List.of(), true, null);

        boolean isEmpty() {
            return !init && error == null && deltas.isEmpty();
        }
    }

    final String text;
    final Filter filter;
    /** Members over all loops; the group leaves the index at zero. */
    int members;
    /** Members on streams with more than one filter (they need the id-less variant of events). */
    int multiFilterMembers;
    /** Set to the dispatcher's sequence number of the change being dispatched when it affects this group. */
    long mark = -1;

    private List<Location> locations;
    private JsonNode output;
    private String error;
    /** [event kind: 0 initial_data, 1 init][with id: 0 no, 1 yes] at {@link #viewCacheRev}. */
    private final ByteBuf[][] viewCache = new ByteBuf[2][2];
    private long viewCacheRev = -1;

    FilterGroup(String text, Filter filter) {
        this.text = text;
        this.filter = filter;
    }

    /** Evaluates the filter afresh on {@code doc} at {@code rev}. */
    void reset(JsonNode doc, long rev) {
        if (filter instanceof PathFilter p) {
            try {
                locations = p.locations(doc);
                error = null;
            } catch (FilterEvaluationException e) {
                locations = List.of();
                error = message(e);
            }
        } else {
            evaluateComputed(doc);
        }
        dropViewCache();
    }

    /** Advances the state over {@code c}, which affects this group, and says what to send. */
    Outcome advance(Change c, int maxDeltaEvents) {
        if (c.reset()) {
            reset(c.after(), c.rev());
            return Outcome.INIT;
        }
        dropViewCache();
        if (filter instanceof PathFilter p) {
            List<Location> now;
            try {
                now = p.locations(c.after());
            } catch (FilterEvaluationException e) {
                // a bound was hit: say so and keep the last locations (the client keeps its view)
                error = message(e);
                return new Outcome(List.of(), false, error);
            }
            List<Location> before = locations;
            locations = now;
            if (error != null) {
                error = null;
                return Outcome.INIT;
            }
            List<Delta> d = Deltas.forLocations(before, locations, c.write(), maxDeltaEvents);
            return d == null ? Outcome.INIT : d.isEmpty() ? Outcome.NONE : new Outcome(d, false, null);
        }
        JsonNode before = error == null ? output : null;
        boolean had = error == null;
        evaluateComputed(c.after());
        if (error != null) {
            return new Outcome(List.of(), false, error);
        }
        List<Delta> d = Deltas.forOutput(text, had ? before : null, output);
        return d.isEmpty() ? Outcome.NONE : new Outcome(d, false, null);
    }

    /**
     * What this filter's subscribers would have been sent for {@code c}, computed from the change
     * alone (for replaying to a resuming stream).
     */
    Outcome replay(Change c, int maxDeltaEvents) {
        if (c.reset()) {
            return Outcome.INIT;
        }
        try {
            if (filter instanceof PathFilter p) {
                List<Delta> d = Deltas.forLocations(p.locations(c.before()), p.locations(c.after()), c.write(),
                        maxDeltaEvents);
                return d == null ? Outcome.INIT : d.isEmpty() ? Outcome.NONE : new Outcome(d, false, null);
            }
            ComputedFilter f = (ComputedFilter) filter;
            JsonNode before;
            try {
                before = f.evaluate(c.before());
            } catch (FilterEvaluationException e) {
                before = null;
            }
            return new Outcome(Deltas.forOutput(text, before, f.evaluate(c.after())), false, null);
        } catch (FilterEvaluationException e) {
            return new Outcome(List.of(), false, message(e));
        }
    }

    /**
     * The view event at the group's state, which is the document {@code doc} at {@code rev}, encoded
     * once per rev and variant; the caller owns the returned buffer (a read-only retained duplicate
     * of the cached one).
     *
     * @param init true for {@code init}, false for {@code initial_data}
     * @param id   the event id to carry, or null
     */
    ByteBuf viewEvent(EventEncoder enc, JsonNode doc, long rev, boolean init, String id) {
        if (viewCacheRev != rev) {
            dropViewCache();
            viewCacheRev = rev;
        }
        int kind = init ? 1 : 0;
        int withId = id == null ? 0 : 1;
        ByteBuf cached = viewCache[kind][withId];
        if (cached == null) {
            cached = enc.buffer();
            encodeView(enc, cached, doc, rev, init ? "init" : "initial_data", id);
            viewCache[kind][withId] = cached.asReadOnly();
        }
        return viewCache[kind][withId].retainedDuplicate();
    }

    private void encodeView(EventEncoder enc, ByteBuf out, JsonNode doc, long rev, String event, String id) {
        long now = System.currentTimeMillis();
        if (error != null) {
            enc.error(out, text, error, now, rev, id);
            return;
        }
        if (filter instanceof PathFilter p) {
            View v;
            try {
                v = p.view(doc);
            } catch (FilterEvaluationException e) {
                enc.error(out, text, message(e), now, rev, id);
                return;
            }
            List<String> paths = new ArrayList<>(v.paths().size());
            for (List<Object> segs : v.paths()) {
                paths.add(Path.of(segs).toString());
            }
            enc.view(out, event, text, p.singular() ? "value" : "list", v.value(), paths, now, rev, id);
        } else {
            enc.view(out, event, text, "computed", output, null, now, rev, id);
        }
    }

    void dropViewCache() {
        for (ByteBuf[] row : viewCache) {
            for (int i = 0; i < row.length; i++) {
                if (row[i] != null) {
                    row[i].release();
                    row[i] = null;
                }
            }
        }
        viewCacheRev = -1;
    }

    private void evaluateComputed(JsonNode doc) {
        try {
            output = ((ComputedFilter) filter).evaluate(doc);
            error = null;
        } catch (FilterEvaluationException e) {
            error = message(e);
        }
    }

    private static String message(RuntimeException e) {
        return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    }
}

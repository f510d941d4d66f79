package io.jqsse.server.internal.stream;

import com.fasterxml.jackson.databind.JsonNode;
import io.jqsse.jq.Location;
import io.jqsse.store.Path;
import io.jqsse.store.Write;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The delta rules of SPEC section 3, as pure functions of a filter's state before and after one
 * change. A result of {@code null} means "send {@code init} instead" (more than the allowed number
 * of events).
 */
final class Deltas {

    private Deltas() {
    }

    /**
     * Path filters: a location that disappeared gives {@code delete} at it; a new one {@code update}
     * with its value; one that persisted with a changed value {@code update} with the new value,
     * except that a single-path write strictly inside it gives one event at the written path.
     * Deletes come first, so that a plain-path view whose location moved (a negative index) reads
     * as "gone, then here".
     *
     * @param write the change's write, or null when the store does not know it
     * @return the deltas, empty when the view did not change, or null when more than {@code max}
     */
    static List<Delta> forLocations(List<Location> before, List<Location> after, Write write, int max) {
        Map<List<Object>, JsonNode> now = new HashMap<>(after.size() * 2);
        for (Location l : after) {
            now.put(l.path(), l.value());
        }
        List<Delta> out = new ArrayList<>();
        Map<List<Object>, JsonNode> old = new HashMap<>(before.size() * 2);
        for (Location l : before) {
            old.put(l.path(), l.value());
            if (!now.containsKey(l.path())) {
                out.add(Delta.delete(Path.of(l.path()).toString()));
                if (out.size() > max) {
                    return null;
                }
            }
        }
        for (Location l : after) {
            JsonNode was = old.get(l.path());
            if (was == null) {
                out.add(Delta.update(Path.of(l.path()).toString(), l.value()));
            } else if (was != l.value() && !was.equals(l.value())) {
                out.add(changed(l, write));
            } else {
                continue;
            }
            if (out.size() > max) {
                return null;
            }
        }
        return out;
    }

    private static Delta changed(Location l, Write write) {
        Path at = Path.of(l.path());
        if (write instanceof Write.Set set && at.isStrictPrefixOf(set.path())) {
            return Delta.update(set.path().toString(), set.value());
        }
        if (write instanceof Write.Delete del && at.isStrictPrefixOf(del.path())) {
            return Delta.delete(del.path().toString());
        }
        return Delta.update(at.toString(), l.value());
    }

    /**
     * Computed filters: one {@code update} with the filter text as path when the output changed.
     *
     * @param before the previous output, or null when there was none (first evaluation failed)
     */
    static List<Delta> forOutput(String filterText, JsonNode before, JsonNode after) {
        if (before != null && (before == after || before.equals(after))) {
            return List.of();
        }
        return List.of(Delta.update(filterText, after));
    }
}

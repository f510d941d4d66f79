package io.jqsse.jq;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Objects;

/**
 * What a filter reads: a list of patterns, each a list of segments ({@link String} keys, non-negative
 * {@link Integer} indices, or {@link #ANY}). A write touching the concrete path {@code T} can change the
 * filter's output only if some pattern {@code P} is compatible with {@code T}: one of them is a prefix
 * of the other, where an {@link #ANY} segment of {@code P} matches any one segment of {@code T}.
 * Immutable.
 */
public final class Footprint {

    /** The wildcard segment: matches any one key or index. */
    public static final Object ANY = new Object() {
        @Override
        public String toString() {
            return "*";
        }
    };

    private static final Footprint EVERYTHING = new Footprint(List.of(List.of()));

    private final List<List<Object>> patterns;

    private Footprint(List<List<Object>> patterns) {
        this.patterns = patterns;
    }

    /** The footprint that every write may affect (the root pattern). */
    public static Footprint everything() {
        return EVERYTHING;
    }

    /**
     * A footprint of the given patterns (copied).
     *
     * @throws IllegalArgumentException when there is no pattern, or a segment is not a String, a
     *                                  non-negative Integer or {@link #ANY}
     */
    public static Footprint of(List<? extends List<?>> patterns) {
        if (patterns.isEmpty()) {
            throw new IllegalArgumentException("patterns: [] (expected: at least one pattern)");
        }
        List<List<Object>> copy = new ArrayList<>(patterns.size());
        for (List<?> pattern : patterns) {
            for (Object segment : pattern) {
                boolean ok = segment == ANY || segment instanceof String
                        || (segment instanceof Integer && (Integer) segment >= 0);
                if (!ok) {
                    throw new IllegalArgumentException("segment: " + segment
                            + " (expected: a String key, a non-negative Integer index or Footprint.ANY)");
                }
            }
            copy.add(Collections.unmodifiableList(new ArrayList<>(pattern)));
        }
        return new Footprint(Collections.unmodifiableList(copy));
    }

    /** The patterns, unmodifiable. */
    public List<List<Object>> patterns() {
        return patterns;
    }

    /**
     * True when a write touching {@code touched} (String keys, Integer indices) may change what the
     * filter reads.
     */
    public boolean mayBeAffectedBy(List<Object> touched) {
        for (List<Object> pattern : patterns) {
            if (compatible(pattern, touched)) {
                return true;
            }
        }
        return false;
    }

    static boolean compatible(List<Object> pattern, List<Object> touched) {
        int n = Math.min(pattern.size(), touched.size());
        for (int i = 0; i < n; i++) {
            Object p = pattern.get(i);
            if (p != ANY && !p.equals(touched.get(i))) {
                return false;
            }
        }
        return true;
    }

    @Override
    public boolean equals(Object o) {
        return this == o || (o instanceof Footprint && patterns.equals(((Footprint) o).patterns));
    }

    @Override
    public int hashCode() {
        return Objects.hash(patterns);
    }

    @Override
    public String toString() {
        return patterns.toString();
    }
}

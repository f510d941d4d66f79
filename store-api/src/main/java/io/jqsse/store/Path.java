package io.jqsse.store;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * A concrete location in the document: a list of segments, each an object key ({@link String}) or an
 * array index ({@link Integer}). Immutable.
 *
 * <p>Indices in paths that a store publishes (in a {@link Change}) are never negative. A path given
 * to a write may use a negative index, counted from the end of the array as in jq; the store resolves
 * it against the document it writes to.
 *
 * <p>{@link #toString()} is the canonical jq form that the server writes in events: {@code .} for
 * the root, {@code .name} when the key matches {@code [A-Za-z_][A-Za-z0-9_]*}, {@code ["key"]} (a JSON
 * string) otherwise, {@code [n]} for indices; e.g. {@code .data["a b"][0].x}.
 */
public final class Path implements Comparable<Path> {

    private static final Path ROOT = new Path(List.of());
    private static final Pattern IDENTIFIER = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");

    private final List<Object> segments;
    private int hash;

    private Path(List<Object> segments) {
        this.segments = segments;
    }

    /** The root path {@code .}. */
    public static Path root() {
        return ROOT;
    }

    /**
     * A path of the given segments.
     *
     * @throws IllegalArgumentException when a segment is neither a String nor an Integer
     */
    public static Path of(Object... segments) {
        return of(Arrays.asList(segments));
    }

    /**
     * A path of the given segments (copied).
     *
     * @throws IllegalArgumentException when a segment is neither a String nor an Integer
     */
    public static Path of(List<?> segments) {
        if (segments.isEmpty()) {
            return ROOT;
        }
        List<Object> copy = new ArrayList<>(segments.size());
        for (Object s : segments) {
            if (!(s instanceof String) && !(s instanceof Integer)) {
                throw new IllegalArgumentException("segment: " + s + " (expected: a String key or an Integer index)");
            }
            copy.add(s);
        }
        return new Path(Collections.unmodifiableList(copy));
    }

    /** The segments, unmodifiable. */
    public List<Object> segments() {
        return segments;
    }

    public int size() {
        return segments.size();
    }

    public boolean isRoot() {
        return segments.isEmpty();
    }

    /** Segment {@code i}: a {@link String} key or an {@link Integer} index. */
    public Object get(int i) {
        return segments.get(i);
    }

    /** The last segment; throws on the root. */
    public Object last() {
        if (segments.isEmpty()) {
            throw new IllegalStateException("the root has no last segment");
        }
        return segments.get(segments.size() - 1);
    }

    /** This path without its last segment; throws on the root. */
    public Path parent() {
        if (segments.isEmpty()) {
            throw new IllegalStateException("the root has no parent");
        }
        return prefix(segments.size() - 1);
    }

    /** The first {@code n} segments. */
    public Path prefix(int n) {
        return n == 0 ? ROOT : new Path(segments.subList(0, n));
    }

    /** The segments after the first {@code n}. */
    public Path suffix(int n) {
        return n == segments.size() ? ROOT : new Path(segments.subList(n, segments.size()));
    }

    public Path child(String key) {
        return append(Objects.requireNonNull(key, "key"));
    }

    public Path child(int index) {
        return append(index);
    }

    /** This path followed by {@code other}'s segments. */
    public Path concat(Path other) {
        if (other.isRoot()) {
            return this;
        }
        List<Object> copy = new ArrayList<>(segments.size() + other.size());
        copy.addAll(segments);
        copy.addAll(other.segments);
        return new Path(Collections.unmodifiableList(copy));
    }

    private Path append(Object segment) {
        List<Object> copy = new ArrayList<>(segments.size() + 1);
        copy.addAll(segments);
        copy.add(segment);
        return new Path(Collections.unmodifiableList(copy));
    }

    /** True when this path equals {@code other} or is an ancestor of it. */
    public boolean isPrefixOf(Path other) {
        int n = segments.size();
        if (n > other.segments.size()) {
            return false;
        }
        for (int i = 0; i < n; i++) {
            if (!segments.get(i).equals(other.segments.get(i))) {
                return false;
            }
        }
        return true;
    }

    /** True when this path is a proper ancestor of {@code other}. */
    public boolean isStrictPrefixOf(Path other) {
        return segments.size() < other.segments.size() && isPrefixOf(other);
    }

    /**
     * Document order for paths whose segments agree in kind where they differ: indices compare as
     * numbers; an ancestor comes before its descendants. Keys compare lexicographically, which is a
     * total order but not the document's insertion order: callers that need document order of keys
     * take it from the document.
     */
    @Override
    public int compareTo(Path o) {
        int n = Math.min(segments.size(), o.segments.size());
        for (int i = 0; i < n; i++) {
            Object a = segments.get(i);
            Object b = o.segments.get(i);
            if (a instanceof Integer && b instanceof Integer) {
                int c = Integer.compare((Integer) a, (Integer) b);
                if (c != 0) {
                    return c;
                }
            } else if (a instanceof String && b instanceof String) {
                int c = ((String) a).compareTo((String) b);
                if (c != 0) {
                    return c;
                }
            } else {
                return a instanceof Integer ? -1 : 1;
            }
        }
        return Integer.compare(segments.size(), o.segments.size());
    }

    @Override
    public boolean equals(Object o) {
        return this == o || (o instanceof Path && segments.equals(((Path) o).segments));
    }

    @Override
    public int hashCode() {
        int h = hash;
        if (h == 0) {
            h = segments.hashCode();
            hash = h;
        }
        return h;
    }

    /** The canonical jq form, e.g. {@code .data["a b"][0].x}; {@code .} for the root. */
    @Override
    public String toString() {
        if (segments.isEmpty()) {
            return ".";
        }
        StringBuilder sb = new StringBuilder();
        for (Object s : segments) {
            if (s instanceof Integer) {
                sb.append('[').append(s).append(']');
            } else {
                String key = (String) s;
                if (IDENTIFIER.matcher(key).matches()) {
                    sb.append('.').append(key);
                } else {
                    sb.append('[');
                    appendJsonString(sb, key);
                    sb.append(']');
                }
            }
        }
        return sb.toString();
    }

    /** Appends {@code s} as a JSON string literal (RFC 8259 section 7). */
    static void appendJsonString(StringBuilder sb, String s) {
        sb.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"': sb.append("\\\""); break;
                case '\\': sb.append("\\\\"); break;
                case '\n': sb.append("\\n"); break;
                case '\r': sb.append("\\r"); break;
                case '\t': sb.append("\\t"); break;
                case '\b': sb.append("\\b"); break;
                case '\f': sb.append("\\f"); break;
                default:
                    if (c < 0x20) {
                        sb.append(String.format("\\u%04x", (int) c));
                    } else {
                        sb.append(c);
                    }
            }
        }
        sb.append('"');
    }
}

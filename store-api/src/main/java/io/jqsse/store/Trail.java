package io.jqsse.store;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Arrays;

/**
 * The containers along a write path in one document, with the path's indices resolved: what a
 * path-copying write needs to rebuild the spine from the written location up to a new root.
 *
 * <p>{@code containers[i]} is the node at the path's first {@code i} segments, {@code null} where it
 * is missing or JSON {@code null} (a write creates it).
 */
final class Trail {

    private final Path path;
    private final JsonNode[] containers;
    private final JsonNode leaf;

    private Trail(Path path, JsonNode[] containers, JsonNode leaf) {
        this.path = path;
        this.containers = containers;
        this.leaf = leaf;
    }

    /** The resolved path: no negative indices. */
    Path path() {
        return path;
    }

    /** The value at the path, {@code null} when absent. */
    JsonNode leaf() {
        return leaf;
    }

    JsonNode container(int depth) {
        return containers[depth];
    }

    /**
     * Follows {@code path} with jq {@code setpath}'s rules: absent or null containers are created
     * (objects for keys, arrays for index 0), an index may be at most the array's length.
     *
     * @throws PathConflictException when the path cannot be created in {@code document}
     */
    static Trail forSet(JsonNode document, Path path) {
        int n = path.size();
        JsonNode[] containers = new JsonNode[n];
        Object[] resolved = new Object[n];
        JsonNode current = document;
        for (int i = 0; i < n; i++) {
            JsonNode here = current == null || current.isNull() ? null : current;
            containers[i] = here;
            Object segment = path.get(i);
            if (segment instanceof String key) {
                if (here != null && !here.isObject()) {
                    throw conflict(path, i, "an object at " + path.prefix(i) + ", found " + Trees.kind(here));
                }
                resolved[i] = key;
                current = here == null ? null : here.get(key);
            } else {
                int index = resolveForSet(path, i, here, (Integer) segment);
                resolved[i] = index;
                current = here == null || index == here.size() ? null : here.get(index);
            }
        }
        return new Trail(Path.of(Arrays.asList(resolved)), containers, current);
    }

    private static int resolveForSet(Path path, int i, JsonNode here, int index) {
        if (here == null) {
            if (index != 0) {
                throw conflict(path, i, "index 0 to create the array " + path.prefix(i) + ", which is absent");
            }
            return 0;
        }
        if (!here.isArray()) {
            throw conflict(path, i, "an array at " + path.prefix(i) + ", found " + Trees.kind(here));
        }
        int size = here.size();
        if (index > size) {
            throw conflict(path, i, "an index at most the array's length " + size);
        }
        if (index < -size) {
            throw conflict(path, i, "a negative index at least -" + size + ", the array's length negated");
        }
        return index < 0 ? size + index : index;
    }

    /**
     * Follows {@code path} to an existing location.
     *
     * @throws PathNotFoundException when some segment is absent (or goes through JSON {@code null})
     * @throws PathConflictException when a key meets an array or an index an object or a scalar
     */
    static Trail forDelete(JsonNode document, Path path) {
        int n = path.size();
        JsonNode[] containers = new JsonNode[n];
        Object[] resolved = new Object[n];
        JsonNode current = document;
        for (int i = 0; i < n; i++) {
            if (current == null || current.isNull()) {
                throw notFound(path);
            }
            containers[i] = current;
            Object segment = path.get(i);
            if (segment instanceof String key) {
                if (!current.isObject()) {
                    throw conflict(path, i, "an object at " + path.prefix(i) + ", found " + Trees.kind(current));
                }
                resolved[i] = key;
                current = current.get(key);
            } else {
                if (!current.isArray()) {
                    throw conflict(path, i, "an array at " + path.prefix(i) + ", found " + Trees.kind(current));
                }
                int index = (Integer) segment;
                int size = current.size();
                int r = index < 0 ? size + index : index;
                if (r < 0 || r >= size) {
                    throw notFound(path);
                }
                resolved[i] = r;
                current = current.get(r);
            }
        }
        if (current == null) {
            throw notFound(path);
        }
        return new Trail(Path.of(Arrays.asList(resolved)), containers, current);
    }

    /** The new root with {@code value} at the path, creating the containers that were absent. */
    JsonNode rebuild(JsonNode value) {
        return rebuildFrom(containers.length, value);
    }

    /** The new root with {@code parent} replacing the container of the path's last segment. */
    JsonNode rebuildAbove(JsonNode parent) {
        return rebuildFrom(containers.length - 1, parent);
    }

    private JsonNode rebuildFrom(int depth, JsonNode node) {
        JsonNode result = node;
        for (int i = depth - 1; i >= 0; i--) {
            result = Trees.with(containers[i], path.get(i), result);
        }
        return result;
    }

    private static PathConflictException conflict(Path path, int i, String expected) {
        return new PathConflictException("path: " + path.prefix(i + 1) + " (expected: " + expected + ")");
    }

    private static PathNotFoundException notFound(Path path) {
        return new PathNotFoundException("path: " + path + " (expected: an existing location)");
    }
}

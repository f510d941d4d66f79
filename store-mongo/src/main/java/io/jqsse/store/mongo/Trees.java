package io.jqsse.store.mongo;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.jqsse.store.Path;
import java.util.List;

/**
 * Path-copying edits of immutable trees with MongoDB's update semantics (not jq's): these replay
 * what the server already did, so {@code $set} pads arrays with nulls and creates missing objects.
 * Every method returns a new root and never mutates its input; an edit that cannot be replayed (the
 * path goes through a scalar) returns null, and the caller falls back to the full document.
 */
final class Trees {

    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private Trees() {
    }

    /** The node at {@code path}, or null when absent. */
    static JsonNode get(JsonNode root, Path path) {
        JsonNode node = root;
        for (Object s : path.segments()) {
            if (node == null) {
                return null;
            }
            node = s instanceof Integer ? (node.isArray() ? node.get((Integer) s) : null)
                    : (node.isObject() ? node.get((String) s) : null);
        }
        return node;
    }

    /** {@code $set}: the value at {@code path} becomes {@code value}. */
    static JsonNode set(JsonNode root, Path path, JsonNode value) {
        return edit(root, path.segments(), 0, value, Op.SET, 0);
    }

    /** {@code $unset} of a key; an array element becomes null, as MongoDB does. Absent paths are no-ops. */
    static JsonNode unset(JsonNode root, Path path) {
        return edit(root, path.segments(), 0, null, Op.UNSET, 0);
    }

    /** {@code truncatedArrays}: the array at {@code path} keeps its first {@code newSize} elements. */
    static JsonNode truncate(JsonNode root, Path path, int newSize) {
        return edit(root, path.segments(), 0, null, Op.TRUNCATE, newSize);
    }

    private enum Op { SET, UNSET, TRUNCATE }

    private static JsonNode edit(JsonNode node, List<Object> segments, int i, JsonNode value, Op op, int newSize) {
        if (i == segments.size()) {
            switch (op) {
                case SET:
                    return value;
                case TRUNCATE:
                    return node != null && node.isArray() ? truncated((ArrayNode) node, newSize) : null;
                default:
                    throw new IllegalStateException("unset of the root");
            }
        }
        Object segment = segments.get(i);
        if (node == null || node.isMissingNode()) {
            if (op != Op.SET) {
                return node;
            }
            node = NODES.objectNode();
        }
        if (node.isArray() && segment instanceof Integer) {
            return editArray((ArrayNode) node, (Integer) segment, segments, i, value, op, newSize);
        }
        if (node.isObject()) {
            String key = segment.toString();
            return editObject((ObjectNode) node, key, segments, i, value, op, newSize);
        }
        return null;
    }

    private static JsonNode editObject(ObjectNode object, String key, List<Object> segments, int i,
                                       JsonNode value, Op op, int newSize) {
        JsonNode child = object.get(key);
        ObjectNode copy = NODES.objectNode();
        if (op == Op.UNSET && i == segments.size() - 1) {
            if (child == null) {
                return object;
            }
            object.fields().forEachRemaining(e -> {
                if (!e.getKey().equals(key)) {
                    copy.set(e.getKey(), e.getValue());
                }
            });
            return copy;
        }
        JsonNode edited = edit(child, segments, i + 1, value, op, newSize);
        if (edited == null) {
            return null;
        }
        if (edited == child) {
            return object;
        }
        copy.setAll(object);
        copy.set(key, edited);
        return copy;
    }

    private static JsonNode editArray(ArrayNode array, int index, List<Object> segments, int i,
                                      JsonNode value, Op op, int newSize) {
        boolean last = i == segments.size() - 1;
        JsonNode child = array.get(index);
        if (child == null && op != Op.SET) {
            return array;
        }
        JsonNode edited = op == Op.UNSET && last ? NullNode.getInstance()
                : edit(child, segments, i + 1, value, op, newSize);
        if (edited == null) {
            return null;
        }
        ArrayNode copy = NODES.arrayNode(Math.max(array.size(), index + 1));
        copy.addAll(array);
        while (copy.size() <= index) {
            copy.addNull();
        }
        copy.set(index, edited);
        return copy;
    }

    private static ArrayNode truncated(ArrayNode array, int newSize) {
        if (newSize >= array.size()) {
            return array;
        }
        ArrayNode copy = NODES.arrayNode(newSize);
        for (int i = 0; i < newSize; i++) {
            copy.add(array.get(i));
        }
        return copy;
    }
}

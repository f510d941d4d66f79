package io.jqsse.store;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Comparator;

/** Shallow copies of Jackson containers for path copying: the copies share their children. */
final class Trees {

    private static final JsonNodeFactory FACTORY = JsonNodeFactory.instance;

    /**
     * Orders JSON values as RFC 6902 section 4.6 compares them: numbers by their numeric value (so
     * {@code 1} equals {@code 1.0}), everything else by Jackson's equality. Only zero is meaningful.
     */
    static final Comparator<JsonNode> JSON_EQUALITY = (a, b) -> {
        if (a.isNumber() && b.isNumber() && isFinite(a) && isFinite(b)) {
            return a.decimalValue().compareTo(b.decimalValue()) == 0 ? 0 : 1;
        }
        return a.equals(b) ? 0 : 1;
    };

    private Trees() {
    }

    static ObjectNode newObject() {
        return FACTORY.objectNode();
    }

    static ObjectNode copyObject(JsonNode object) {
        ObjectNode copy = FACTORY.objectNode();
        copy.setAll((ObjectNode) object);
        return copy;
    }

    static ArrayNode copyArray(JsonNode array) {
        ArrayNode copy = FACTORY.arrayNode(array.size() + 1);
        copy.addAll((ArrayNode) array);
        return copy;
    }

    static ArrayNode copyArrayWithout(JsonNode array, int index) {
        ArrayNode copy = FACTORY.arrayNode(array.size());
        for (int i = 0; i < array.size(); i++) {
            if (i != index) {
                copy.add(array.get(i));
            }
        }
        return copy;
    }

    /**
     * A copy of {@code container} (or a new container when it is null) with {@code child} at
     * {@code segment}: a key is set, an index replaces an element or, equal to the size, appends.
     */
    static JsonNode with(JsonNode container, Object segment, JsonNode child) {
        if (segment instanceof String key) {
            ObjectNode copy = container == null ? newObject() : copyObject(container);
            copy.set(key, child);
            return copy;
        }
        int index = (Integer) segment;
        ArrayNode copy = container == null ? FACTORY.arrayNode(1) : copyArray(container);
        if (index == copy.size()) {
            copy.add(child);
        } else {
            copy.set(index, child);
        }
        return copy;
    }

    /** What a node is, for error messages: "an object", "a number", ... */
    static String kind(JsonNode node) {
        if (node == null || node.isMissingNode()) {
            return "nothing";
        }
        switch (node.getNodeType()) {
            case OBJECT: return "an object";
            case ARRAY: return "an array";
            case STRING: return "a string";
            case NUMBER: return "a number";
            case BOOLEAN: return "a boolean";
            case NULL: return "null";
            default: return "a " + node.getNodeType().name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    private static boolean isFinite(JsonNode number) {
        return !number.isFloatingPointNumber() || Double.isFinite(number.doubleValue());
    }
}

package io.jqsse.server.internal.stream;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * One {@code update} or {@code delete} event of a filter, before encoding.
 *
 * @param delete true for {@code delete} (then {@code value} is null)
 * @param path   the concrete path in canonical form, or the filter text for a computed filter
 * @param value  the new value for {@code update}
 */
record Delta(boolean delete, String path, JsonNode value) {

    static Delta update(String path, JsonNode value) {
        return new Delta(false, path, value);
    }

    static Delta delete(String path) {
        return new Delta(true, path, null);
    }
}

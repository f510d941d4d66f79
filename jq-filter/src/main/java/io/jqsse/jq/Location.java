package io.jqsse.jq;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * One document location a path filter names.
 *
 * @param path  the concrete path: {@link String} keys and non-negative {@link Integer} indices
 *              (unmodifiable)
 * @param value the value there (shared with the document: do not mutate)
 */
public record Location(List<Object> path, JsonNode value) {

    private static final Pattern IDENTIFIER = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");

    public Location {
        path = List.copyOf(path);
        Objects.requireNonNull(value, "value");
    }

    /**
     * The canonical jq text of a concrete path (SPEC section 1): {@code .} for the root, {@code .name}
     * for identifier keys, {@code ["key"]} otherwise, {@code [n]} for indices; e.g.
     * {@code .data["a b"][0].x}.
     */
    public static String format(List<Object> path) {
        if (path.isEmpty()) {
            return ".";
        }
        StringBuilder sb = new StringBuilder();
        for (Object segment : path) {
            if (segment instanceof Integer) {
                sb.append('[').append(segment).append(']');
            } else if (IDENTIFIER.matcher((String) segment).matches()) {
                sb.append('.').append(segment);
            } else {
                sb.append('[').append(com.fasterxml.jackson.databind.node.TextNode.valueOf((String) segment))
                        .append(']');
            }
        }
        return sb.toString();
    }
}

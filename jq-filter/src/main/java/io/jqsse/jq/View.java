package io.jqsse.jq;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.Objects;

/**
 * A filter's view of a document (SPEC section 3, "Views").
 *
 * <ul>
 *   <li>singular path filter: {@code value} is the location's value, or {@code null} (a
 *       {@code NullNode}) when absent; {@code paths} is {@code [that path]}, resolved even when the
 *       location is absent (empty when it cannot be resolved, e.g. {@code .a[-1]} with no array);</li>
 *   <li>other path filter: {@code value} is the array of the locations' values in document order and
 *       {@code paths} their concrete paths, index for index;</li>
 *   <li>computed filter: {@code value} is the output (the array of outputs unless exactly one) and
 *       {@code paths} is {@code null}.</li>
 * </ul>
 *
 * @param value the view (shared with the document: do not mutate)
 * @param paths concrete paths (segments: String keys, non-negative Integer indices), or null
 */
public record View(JsonNode value, List<List<Object>> paths) {

    public View {
        Objects.requireNonNull(value, "value");
        if (paths != null) {
            paths = paths.stream().map(List::copyOf).toList();
        }
    }
}

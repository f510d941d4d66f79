package io.jqsse.jq;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * A compiled filter, shared by every subscriber with the same text. Immutable and thread-safe.
 * Obtained from {@link FilterCompiler#compile}.
 */
public sealed interface Filter permits PathFilter, ComputedFilter {

    /** The filter text as the client gave it. */
    String text();

    /** The document locations the filter reads. */
    Footprint footprint();

    /**
     * The filter's view of {@code document} (SPEC section 3, "Views"; see {@link View}).
     *
     * @throws FilterEvaluationException when a computed filter fails, or when any filter exceeds its limits
     */
    View view(JsonNode document);
}

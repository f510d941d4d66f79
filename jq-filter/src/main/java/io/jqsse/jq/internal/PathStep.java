package io.jqsse.jq.internal;

import net.thisptr.jackson.jq.JsonQuery;

/** One step of a parsed path filter. */
public sealed interface PathStep {

    /** The 0-based offset of the step in the filter text. */
    int position();

    /** {@code .key}, {@code ."key"}, {@code .["key"]}. */
    record Key(String name, int position) implements PathStep {
    }

    /** {@code [n]}; negative counts from the end. */
    record Index(int index, int position) implements PathStep {
    }

    /** {@code []} or {@code [*]}: every element or value. */
    record Iterate(int position) implements PathStep {
    }

    /** go-sse {@code [key=value]}: {@code [] | select((.key|tostring) == "value")}. */
    record Match(String key, String value, int position) implements PathStep {
    }

    /** {@code select(COND)}, COND compiled by the guarded jackson-jq runtime. */
    record Select(String condition, JsonQuery query, int position) implements PathStep {
    }

    /** {@code ..}: every location at or below. */
    record Recurse(int position) implements PathStep {
    }
}

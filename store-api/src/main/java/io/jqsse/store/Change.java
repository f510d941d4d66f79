package io.jqsse.store;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.Objects;

/**
 * One committed change, as a store hands it to its {@link ChangeListener}: revisions arrive in
 * order, each exactly once, {@code rev == previous rev + 1} within an epoch unless {@link #reset()}.
 *
 * <p>{@code touched} bounds what changed: every location that differs between {@code before} and
 * {@code after} lies at or below one of the touched paths, and nothing outside their subtrees
 * changed. A removal or insertion inside an array touches the array itself (the indices after it
 * shift). The root path means anything may have changed. A write that creates missing parents
 * touches only the path it wrote: the parents it created were absent (or null) before, and every
 * reader of them reads at a prefix of that path.
 *
 * @param epoch      the document's epoch after the change
 * @param rev        the revision after the change
 * @param before     the document before (immutable)
 * @param after      the document after (immutable)
 * @param touched    paths at or below which the document may differ, never empty
 * @param write      the write as applied, indices resolved (never negative), when the store knows it
 *                   (its own writes, or a change stream event it could map onto one); {@code null}
 *                   otherwise
 * @param reset      true when the document was replaced wholesale ({@code POST}, a reload after a
 *                   lost change stream, a new epoch): subscribers get {@code init}, and no delta
 *                   chain continues across it
 * @param timeMillis commit time, unix milliseconds
 * @param sizeBytes  an estimate of the bytes this change brought in (for bounding replay buffers)
 */
public record Change(String epoch, long rev, JsonNode before, JsonNode after, List<Path> touched,
                     Write write, boolean reset, long timeMillis, long sizeBytes) {
    public Change {
        Objects.requireNonNull(epoch, "epoch");
        Objects.requireNonNull(before, "before");
        Objects.requireNonNull(after, "after");
        touched = List.copyOf(touched);
        if (touched.isEmpty()) {
            throw new IllegalArgumentException("touched: [] (expected: at least one path)");
        }
    }

    /** The snapshot after this change. */
    public Snapshot snapshot() {
        return new Snapshot(epoch, rev, after);
    }
}

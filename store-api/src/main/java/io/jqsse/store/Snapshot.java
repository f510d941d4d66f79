package io.jqsse.store;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Objects;

/**
 * The document as committed at revision {@code rev}. The tree is immutable and may be read from any
 * thread.
 *
 * @param epoch    opaque, fixed for the lifetime of the stored document
 * @param rev      the revision: 0 for a new document, +1 per committed write
 * @param document the document's root
 */
public record Snapshot(String epoch, long rev, JsonNode document) {
    public Snapshot {
        Objects.requireNonNull(epoch, "epoch");
        Objects.requireNonNull(document, "document");
    }

    /** The HTTP entity tag of this snapshot, {@code "<epoch>:<rev>"} with the quotes. */
    public String etag() {
        return "\"" + epoch + ":" + rev + "\"";
    }
}

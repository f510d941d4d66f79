package io.jqsse.store;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Objects;

/**
 * One atomic change a client asks for. Every write commits with the next revision or fails and
 * changes nothing. Values handed to a write become part of the document: the caller must not mutate
 * them afterwards.
 */
public sealed interface Write permits Write.Replace, Write.Set, Write.Delete, Write.Merge, Write.Patch {

    /** Replaces the whole document ({@code POST /store}). Subscribers get {@code init}. */
    record Replace(JsonNode document) implements Write {
        public Replace {
            Objects.requireNonNull(document, "document");
        }
    }

    /**
     * Sets the value at {@code path}, creating missing parent objects (jq {@code setpath}). An array
     * index may be at most the array's length (equal appends); beyond it, or through a scalar, the
     * write fails with {@link PathConflictException}.
     */
    record Set(Path path, JsonNode value) implements Write {
        public Set {
            Objects.requireNonNull(path, "path");
            Objects.requireNonNull(value, "value");
        }
    }

    /** Removes the value at {@code path} (jq {@code delpaths}); {@link PathNotFoundException} when absent. */
    record Delete(Path path) implements Write {
        public Delete {
            Objects.requireNonNull(path, "path");
        }
    }

    /** Merges {@code patch} into the value at {@code path} (RFC 7396); missing parents are created. */
    record Merge(Path path, JsonNode patch) implements Write {
        public Merge {
            Objects.requireNonNull(path, "path");
            Objects.requireNonNull(patch, "patch");
        }
    }

    /**
     * Applies an RFC 6902 JSON Patch (a JSON array of operations) to the value at {@code path}, all
     * operations or none. JSON Pointers in the operations are relative to {@code path}.
     */
    record Patch(Path path, JsonNode operations) implements Write {
        public Patch {
            Objects.requireNonNull(path, "path");
            Objects.requireNonNull(operations, "operations");
        }
    }
}

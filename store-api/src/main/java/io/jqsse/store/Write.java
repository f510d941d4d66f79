package io.jqsse.store;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Objects;

/**
 * One atomic change a client asks for. Every write commits with the next revision or fails and
 * changes nothing. Values handed to a write become part of the document: the caller must not mutate
 * them afterwards.
 *
 * <p>{@link Replace}, {@link Set} and {@link Merge} may carry their value's {@link Measured} size, so
 * that a store checking its size limit need not walk the value again: the server passes the size it
 * summed while parsing the request body. Built from a bare {@link JsonNode}, they carry none
 * ({@code measured()} is null) and a store walks the value as before. The measurement is derived
 * from the value, so it takes no part in {@code equals} and {@code hashCode}.
 */
public sealed interface Write permits Write.Replace, Write.Set, Write.Delete, Write.Merge, Write.Patch {

    /**
     * Replaces the whole document ({@code POST /store}). Subscribers get {@code init}.
     *
     * @param measured null, or the size of {@code document} (whose tree must be {@code document} itself)
     */
    record Replace(JsonNode document, Measured measured) implements Write {
        public Replace {
            Objects.requireNonNull(document, "document");
            requireTree(measured, document, "document");
        }

        public Replace(JsonNode document) {
            this(document, null);
        }

        public Replace(Measured document) {
            this(document.tree(), document);
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Replace other && document.equals(other.document);
        }

        @Override
        public int hashCode() {
            return document.hashCode();
        }
    }

    /**
     * Sets the value at {@code path}, creating missing parent objects (jq {@code setpath}). An array
     * index may be at most the array's length (equal appends); beyond it, or through a scalar, the
     * write fails with {@link PathConflictException}.
     */
    record Set(Path path, JsonNode value, Measured measured) implements Write {
        public Set {
            Objects.requireNonNull(path, "path");
            Objects.requireNonNull(value, "value");
            requireTree(measured, value, "value");
        }

        public Set(Path path, JsonNode value) {
            this(path, value, null);
        }

        public Set(Path path, Measured value) {
            this(path, value.tree(), value);
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Set other && path.equals(other.path) && value.equals(other.value);
        }

        @Override
        public int hashCode() {
            return 31 * path.hashCode() + value.hashCode();
        }
    }

    /** Removes the value at {@code path} (jq {@code delpaths}); {@link PathNotFoundException} when absent. */
    record Delete(Path path) implements Write {
        public Delete {
            Objects.requireNonNull(path, "path");
        }
    }

    /** Merges {@code patch} into the value at {@code path} (RFC 7396); missing parents are created. */
    record Merge(Path path, JsonNode patch, Measured measured) implements Write {
        public Merge {
            Objects.requireNonNull(path, "path");
            Objects.requireNonNull(patch, "patch");
            requireTree(measured, patch, "patch");
        }

        public Merge(Path path, JsonNode patch) {
            this(path, patch, null);
        }

        public Merge(Path path, Measured patch) {
            this(path, patch.tree(), patch);
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Merge other && path.equals(other.path) && patch.equals(other.patch);
        }

        @Override
        public int hashCode() {
            return 31 * path.hashCode() + patch.hashCode();
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

    private static void requireTree(Measured measured, JsonNode value, String name) {
        if (measured != null && measured.tree() != value) {
            throw new IllegalArgumentException(name + ": not the measured tree (expected: measured.tree() itself)");
        }
    }
}

package io.jqsse.store;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;

/**
 * Writes over immutable Jackson trees by path copying: applying a write copies only the containers
 * on the written path (each a shallow copy of its child references) and shares every other subtree
 * with the previous document, so its cost grows with the depth of the path and the width of the
 * containers on it, never with the size of the document.
 */
public final class Documents {

    private Documents() {
    }

    /**
     * The result of applying a write.
     *
     * @param document the new root (shares unchanged subtrees with the old one)
     * @param touched  see {@link Change#touched()}
     * @param resolved the write with negative indices resolved
     */
    public record Applied(JsonNode document, List<Path> touched, Write resolved) {
    }

    /**
     * Applies {@code write} to {@code document} without mutating it.
     *
     * @throws PathConflictException  see {@link Write.Set}; a failed JSON Patch {@code test}
     * @throws PathNotFoundException  see {@link Write.Delete}
     * @throws InvalidPatchException  a malformed JSON Patch document
     */
    public static Applied apply(JsonNode document, Write write) {
        throw new UnsupportedOperationException("not yet implemented");
    }

    /** An estimate of the compact JSON size of {@code node}, in bytes, in time linear in its size. */
    public static long estimateBytes(JsonNode node) {
        throw new UnsupportedOperationException("not yet implemented");
    }
}

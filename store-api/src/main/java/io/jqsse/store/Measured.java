package io.jqsse.store;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Objects;

/**
 * A tree paired with its compact JSON size as {@link Documents#estimateBytes(JsonNode)} gives it, so
 * that a store can check its size limit without walking the tree again. Only this package makes one,
 * in two ways:
 *
 * <ul>
 *   <li>{@link Documents#measured(JsonNode)} walks a finished tree once (for embedders: costs the same
 *       walk the store would do, so it only pays when the value is written more than once);</li>
 *   <li>{@link Documents#measuring()} returns a {@link Builder} that a reader feeds each node as it
 *       builds the tree, for a size at no extra pass (the server's request body reader).</li>
 * </ul>
 *
 * <p>Either way the size comes from the rules of {@link SizeEstimate}, never from a number the caller
 * passes. Like the tree, immutable once made (the tree must not be mutated afterwards).
 */
public final class Measured {

    private final JsonNode tree;
    private final long bytes;

    Measured(JsonNode tree, long bytes) {
        this.tree = Objects.requireNonNull(tree, "tree");
        this.bytes = bytes;
    }

    public JsonNode tree() {
        return tree;
    }

    /** What {@link Documents#estimateBytes(JsonNode)} returns for {@link #tree()}. */
    public long bytes() {
        return bytes;
    }

    /** Short: the tree may be megabytes. */
    @Override
    public String toString() {
        return "Measured[" + tree.getNodeType() + ", " + bytes + " bytes]";
    }

    /**
     * Sums the size of a tree while a reader builds it bottom-up: every scalar node through
     * {@link #scalar(JsonNode)}, every object key through {@link #key(String)}, every container through
     * {@link #open()} when it starts and {@link #close(JsonNode)} once it holds all its members, then
     * {@link #finish(JsonNode)} with the root. Each call adds what {@link SizeEstimate} adds for that
     * node, so the total equals a walk of the finished tree. {@link #finish} checks that the calls
     * balance and that the root is the last node fed; a reader that skips a node in between still gets
     * a wrong size, which is why the server's reader is tested against the walk. Not thread-safe.
     */
    public static final class Builder {

        private long bytes;
        private int depth;
        private JsonNode last;

        Builder() {
        }

        /** A string, number, boolean or null value (an array element, a member value or the root). */
        public void scalar(JsonNode node) {
            bytes += SizeEstimate.scalar(node);
            last = node;
        }

        /** An object member's key (its quotes, escapes and colon). */
        public void key(String key) {
            bytes += SizeEstimate.key(key);
        }

        /** A container starts. */
        public void open() {
            depth++;
        }

        /** {@code container} is complete (its brackets and commas). */
        public void close(JsonNode container) {
            if (depth == 0) {
                throw new IllegalStateException("close: no open container (expected: open() first)");
            }
            depth--;
            bytes += SizeEstimate.container(container.size());
            last = container;
        }

        /**
         * The measured root.
         *
         * @throws IllegalStateException when a container is still open or {@code root} is not the node
         *                               fed last
         */
        public Measured finish(JsonNode root) {
            if (depth != 0 || root != last) {
                throw new IllegalStateException("finish: " + depth + " open containers, root "
                        + (root == last ? "fed last" : "not fed last") + " (expected: 0 open, the root fed last)");
            }
            return new Measured(root, bytes);
        }
    }
}

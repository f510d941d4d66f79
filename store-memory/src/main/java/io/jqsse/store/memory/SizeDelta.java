package io.jqsse.store.memory;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.TextNode;
import io.jqsse.store.Documents;
import io.jqsse.store.Measured;
import io.jqsse.store.Path;
import io.jqsse.store.Write;

/**
 * Keeps a document's compact JSON size up to date without re-measuring the whole document: only the
 * subtree a write replaced is measured, before and after. A {@link Write.Set} costs the sizes of the
 * old and the new value at its path, a {@link Write.Delete} the size of the removed value, a
 * {@link Write.Merge} or {@link Write.Patch} the size of the subtree at its path; only a
 * {@link Write.Replace} measures the whole (new) document. A value that comes {@link Measured} (the
 * server measures request bodies while parsing them) is not walked at all: its size is taken as it
 * comes, wherever the measured subtree is.
 */
final class SizeDelta {

    /**
     * @param documentBytes the document's estimated size after the write
     * @param changeBytes   an estimate of what the write brought in ({@link io.jqsse.store.Change#sizeBytes()})
     */
    record Sized(long documentBytes, long changeBytes) {
    }

    private SizeDelta() {
    }

    /** The sizes after {@code resolved} (indices resolved) turned {@code before} into {@code after}. */
    static Sized after(long sizeBefore, JsonNode before, JsonNode after, Write resolved) {
        if (resolved instanceof Write.Replace replace) {
            long size = Documents.estimateBytes(after, replace.measured());
            return new Sized(size, size);
        }
        if (resolved instanceof Write.Delete delete) {
            Path path = delete.path();
            JsonNode parent = at(before, path.parent());
            long removed = Documents.estimateBytes(at(before, path)) + entryOverhead(parent, path.last());
            return new Sized(sizeBefore - removed, path.toString().length());
        }
        Path path;
        long changeBytes;
        Measured known = null;
        if (resolved instanceof Write.Set set) {
            path = set.path();
            known = set.measured();
            changeBytes = Documents.estimateBytes(set.value(), known);
        } else if (resolved instanceof Write.Merge merge) {
            path = merge.path();
            known = merge.measured();
            changeBytes = Documents.estimateBytes(merge.patch(), known);
        } else {
            Write.Patch patch = (Write.Patch) resolved;
            path = patch.path();
            changeBytes = Documents.estimateBytes(patch.operations());
        }
        if (path.isRoot()) {
            return new Sized(Documents.estimateBytes(after, known), changeBytes);
        }
        return new Sized(sizeBefore + replacedDelta(before, after, path, known), changeBytes);
    }

    /**
     * The size change of writing at {@code path}: measured at the shallowest location that was absent
     * (then its entry in the parent is new too) or JSON null on the way (replaced by a created
     * container), else at the path itself; {@code known} (may be null) is not walked where it occurs.
     */
    private static long replacedDelta(JsonNode before, JsonNode after, Path path, Measured known) {
        JsonNode node = before;
        for (int i = 0; i < path.size(); i++) {
            Path prefix = path.prefix(i);
            if (node.isNull()) {
                return Documents.estimateBytes(at(after, prefix), known) - Documents.estimateBytes(node);
            }
            JsonNode child = child(node, path.get(i));
            if (child == null) {
                Path created = path.prefix(i + 1);
                JsonNode newParent = at(after, prefix);
                return Documents.estimateBytes(at(after, created), known) + entryOverhead(newParent, path.get(i));
            }
            node = child;
        }
        return Documents.estimateBytes(at(after, path), known) - Documents.estimateBytes(node);
    }

    /** The bytes an entry costs its container besides its value: the key and colon, and a comma. */
    private static long entryOverhead(JsonNode container, Object segment) {
        long comma = container.size() > 1 ? 1 : 0;
        if (segment instanceof String key) {
            return Documents.estimateBytes(TextNode.valueOf(key)) + 1 + comma;
        }
        return comma;
    }

    private static JsonNode child(JsonNode node, Object segment) {
        if (segment instanceof String key) {
            return node.isObject() ? node.get(key) : null;
        }
        int index = (Integer) segment;
        return node.isArray() && index < node.size() ? node.get(index) : null;
    }

    private static JsonNode at(JsonNode root, Path path) {
        JsonNode node = root;
        for (Object segment : path.segments()) {
            node = child(node, segment);
        }
        return node;
    }
}

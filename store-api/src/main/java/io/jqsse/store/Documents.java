package io.jqsse.store;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;

/**
 * Writes over immutable Jackson trees by path copying: applying a write copies only the containers
 * on the written path (each a shallow copy of its child references) and shares every other subtree
 * with the previous document, so its cost grows with the depth of the path and the width of the
 * containers on it, never with the size of the document: a write is O(depth). Neither the input
 * document nor the written value is ever mutated; the written value becomes part of the new document
 * by reference (for a merge, the parts of the patch that are not objects do).
 *
 * <p>Semantics follow jq for {@link Write.Set} ({@code setpath}) and {@link Write.Delete}
 * ({@code delpaths} of one path, but failing when absent), RFC 7396 for {@link Write.Merge} and
 * RFC 6902 with RFC 6901 pointers for {@link Write.Patch}. Thread-safe: all methods are pure
 * functions of their arguments.
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
     * <ul>
     *   <li>{@link Write.Set}: missing (or {@code null}) parents are created, as objects for key
     *       segments and as arrays for an index segment of 0; an index equal to the array's length
     *       appends; a negative index counts from the end. An index beyond the end, a key on an
     *       array, an index on an object or any segment through a scalar fails with
     *       {@link PathConflictException}. Setting the root replaces the document.</li>
     *   <li>{@link Write.Delete}: {@link PathNotFoundException} when absent; removing an array
     *       element touches the array (the indices after it shift); the root cannot be deleted.</li>
     *   <li>{@link Write.Merge}: RFC 7396 applied to the value at the path ({@code null} when
     *       absent), the result set there with {@link Write.Set}'s rules.</li>
     *   <li>{@link Write.Patch}: RFC 6902, pointers relative to the path, all operations or none;
     *       touches the union of the operations' targets.</li>
     * </ul>
     *
     * @throws PathConflictException  see {@link Write.Set}; a JSON Patch operation that does not apply
     * @throws PathNotFoundException  see {@link Write.Delete}
     * @throws InvalidPatchException  a malformed JSON Patch document
     */
    public static Applied apply(JsonNode document, Write write) {
        if (write instanceof Write.Replace replace) {
            return new Applied(replace.document(), List.of(Path.root()), replace);
        }
        if (write instanceof Write.Set set) {
            Trail trail = Trail.forSet(document, set.path());
            return new Applied(trail.rebuild(set.value()), List.of(trail.path()),
                    new Write.Set(trail.path(), set.value(), set.measured()));
        }
        if (write instanceof Write.Delete delete) {
            return applyDelete(document, delete.path());
        }
        if (write instanceof Write.Merge merge) {
            Trail trail = Trail.forSet(document, merge.path());
            JsonNode merged = mergePatch(trail.leaf(), merge.patch());
            return new Applied(trail.rebuild(merged), List.of(trail.path()),
                    new Write.Merge(trail.path(), merge.patch(), merge.measured()));
        }
        Write.Patch patch = (Write.Patch) write;
        List<JsonPatch.Operation> operations = JsonPatch.parse(patch.operations());
        Trail trail = Trail.forSet(document, patch.path());
        JsonPatch.Result result = JsonPatch.apply(trail.leaf(), operations);
        List<Path> touched = result.touched().isEmpty()
                ? List.of(trail.path())
                : result.touched().stream().map(trail.path()::concat).toList();
        return new Applied(trail.rebuild(result.document()), touched,
                new Write.Patch(trail.path(), patch.operations()));
    }

    /** An estimate of the compact JSON size of {@code node}, in bytes, in time linear in its size. */
    public static long estimateBytes(JsonNode node) {
        return SizeEstimate.of(node);
    }

    /**
     * {@link #estimateBytes(JsonNode)} of {@code node}, without walking the subtree that is
     * {@code known}'s tree (the same node, not an equal one) if {@code node} holds it; {@code known}
     * may be null.
     */
    public static long estimateBytes(JsonNode node, Measured known) {
        return SizeEstimate.of(node, known);
    }

    /**
     * {@code tree} with its size, by walking it now (for embedders that already hold a tree; the server
     * measures request bodies while parsing them with {@link #measuring()} instead).
     */
    public static Measured measured(JsonNode tree) {
        return new Measured(tree, SizeEstimate.of(tree));
    }

    /** A builder that measures a tree while a reader builds it, node by node (no second pass). */
    public static Measured.Builder measuring() {
        return new Measured.Builder();
    }

    private static Applied applyDelete(JsonNode document, Path path) {
        if (path.isRoot()) {
            throw new PathConflictException(
                    "path: . (expected: a path below the root: cannot delete the root; POST a new document instead)");
        }
        Trail trail = Trail.forDelete(document, path);
        Path resolved = trail.path();
        JsonNode parent = trail.container(path.size() - 1);
        Object last = resolved.last();
        JsonNode without;
        if (last instanceof String key) {
            ObjectNode copy = Trees.copyObject(parent);
            copy.remove(key);
            without = copy;
        } else {
            without = Trees.copyArrayWithout(parent, (Integer) last);
        }
        List<Path> touched = List.of(last instanceof String ? resolved : resolved.parent());
        return new Applied(trail.rebuildAbove(without), touched, new Write.Delete(resolved));
    }

    /** RFC 7396 section 2, {@code MergePatch(Target, Patch)}; {@code target} may be null (absent). */
    static JsonNode mergePatch(JsonNode target, JsonNode patch) {
        if (!patch.isObject()) {
            return patch;
        }
        ObjectNode result = target != null && target.isObject() ? Trees.copyObject(target) : Trees.newObject();
        for (var it = patch.fields(); it.hasNext(); ) {
            var field = it.next();
            if (field.getValue().isNull()) {
                result.remove(field.getKey());
            } else {
                result.set(field.getKey(), mergePatch(result.get(field.getKey()), field.getValue()));
            }
        }
        return result;
    }
}

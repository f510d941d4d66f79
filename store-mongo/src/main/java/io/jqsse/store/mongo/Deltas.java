package io.jqsse.store.mongo;

import com.fasterxml.jackson.databind.JsonNode;
import com.mongodb.client.model.changestream.TruncatedArray;
import com.mongodb.client.model.changestream.UpdateDescription;
import io.jqsse.store.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import org.bson.BsonArray;
import org.bson.BsonDocument;
import org.bson.BsonValue;

/**
 * Applies a change stream {@code updateDescription} to the replica's {@code data} tree: truncated
 * arrays first, then removed fields, then updated fields, as MongoDB computes them. Field names are
 * dotted paths from the stored document's root; only those under {@code data} change the tree. A
 * segment names an array index when the node it lands on is an array and it is all digits (or as
 * {@code disambiguatedPaths} says, when the server sends it). When a path cannot be resolved
 * without guessing (it goes through a scalar, or an object whose keys contain {@code .}) the
 * description is not applied and the caller uses the full document instead.
 */
final class Deltas {

    static final String DATA = "data";

    private Deltas() {
    }

    /**
     * The outcome of applying a description.
     *
     * @param data    the new tree
     * @param touched minimal touched paths (none is below another); empty when data did not change
     */
    record Applied(JsonNode data, List<Path> touched) {
    }

    /** The new tree and touched paths, or null when the description cannot be applied exactly. */
    static Applied apply(JsonNode data, UpdateDescription description) {
        BsonDocument disambiguated = description.getDisambiguatedPaths();
        List<Path> touched = new ArrayList<>();
        JsonNode tree = data;
        for (TruncatedArray t : orEmpty(description.getTruncatedArrays())) {
            if (!isData(t.getField())) {
                continue;
            }
            Path path = resolve(tree, t.getField(), disambiguated);
            if (path == null) {
                return null;
            }
            tree = Trees.truncate(tree, path, t.getNewSize());
            touched.add(path);
        }
        for (String field : orEmpty(description.getRemovedFields())) {
            if (!isData(field)) {
                continue;
            }
            Path path = resolve(tree, field, disambiguated);
            if (path == null || path.isRoot()) {
                return null;
            }
            tree = Trees.unset(tree, path);
            touched.add(path);
        }
        BsonDocument updated = description.getUpdatedFields();
        if (updated != null) {
            for (Map.Entry<String, BsonValue> e : updated.entrySet()) {
                if (!isData(e.getKey())) {
                    continue;
                }
                Path path = resolve(tree, e.getKey(), disambiguated);
                if (path == null) {
                    return null;
                }
                touched.add(touchedBySet(tree, path));
                tree = Trees.set(tree, path, BsonJson.toJson(e.getValue()));
            }
        }
        return tree == null ? null : new Applied(tree, minimal(touched));
    }

    /** True when {@code field} (a dotted path of the stored document) lies in {@code data}. */
    static boolean isData(String field) {
        return field.equals(DATA) || field.startsWith(DATA + ".");
    }

    /** An append (or a padded set) beyond an array's end touches the array, since its length changes. */
    private static Path touchedBySet(JsonNode tree, Path path) {
        if (!path.isRoot() && path.last() instanceof Integer) {
            JsonNode parent = Trees.get(tree, path.parent());
            if (parent != null && parent.isArray() && (Integer) path.last() >= parent.size()) {
                return path.parent();
            }
        }
        return path;
    }

    /** The path below {@code data} that {@code field} names in {@code tree}, or null when ambiguous. */
    static Path resolve(JsonNode tree, String field, BsonDocument disambiguated) {
        if (field.equals(DATA)) {
            return Path.root();
        }
        if (disambiguated != null && disambiguated.get(field) instanceof BsonArray) {
            return fromSegments(disambiguated.getArray(field));
        }
        String[] parts = field.substring(DATA.length() + 1).split("\\.", -1);
        List<Object> segments = new ArrayList<>(parts.length);
        JsonNode node = tree;
        for (String part : parts) {
            if (node != null && node.isArray() && isIndex(part)) {
                int index = Integer.parseInt(part);
                segments.add(index);
                node = node.get(index);
            } else if (node == null || node.isObject()) {
                if (node != null && node.get(part) == null && hasDottedKey(node)) {
                    return null;
                }
                segments.add(part);
                node = node == null ? null : node.get(part);
            } else {
                return null;
            }
        }
        return Path.of(segments);
    }

    private static Path fromSegments(BsonArray array) {
        List<Object> segments = new ArrayList<>(array.size());
        for (int i = 1; i < array.size(); i++) {
            BsonValue v = array.get(i);
            segments.add(v.isNumber() ? (Object) v.asNumber().intValue() : v.asString().getValue());
        }
        return Path.of(segments);
    }

    private static boolean isIndex(String part) {
        if (part.isEmpty() || part.length() > 9) {
            return false;
        }
        for (int i = 0; i < part.length(); i++) {
            if (part.charAt(i) < '0' || part.charAt(i) > '9') {
                return false;
            }
        }
        return true;
    }

    private static boolean hasDottedKey(JsonNode object) {
        for (Iterator<String> it = object.fieldNames(); it.hasNext(); ) {
            if (it.next().indexOf('.') >= 0) {
                return true;
            }
        }
        return false;
    }

    /** {@code paths} without duplicates and without any path below another one of them. */
    static List<Path> minimal(List<Path> paths) {
        List<Path> result = new ArrayList<>();
        for (Path p : paths) {
            boolean covered = false;
            for (Path q : paths) {
                if (q != p && (q.isStrictPrefixOf(p) || q.equals(p) && result.contains(q))) {
                    covered = true;
                    break;
                }
            }
            if (!covered) {
                result.add(p);
            }
        }
        return result;
    }

    private static <T> List<T> orEmpty(List<T> list) {
        return list == null ? List.of() : list;
    }
}

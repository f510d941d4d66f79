package io.jqsse.store.mongo;

import com.fasterxml.jackson.databind.JsonNode;
import io.jqsse.store.Path;
import java.util.ArrayList;
import java.util.List;
import org.bson.BsonArray;
import org.bson.BsonDocument;
import org.bson.BsonInt32;
import org.bson.BsonString;

/**
 * Builds the MongoDB update documents for writes computed from a known rev: {@code $inc} of rev plus
 * {@code $set}/{@code $unset} of the smallest subtrees that contain the touched paths and that a
 * dotted path addresses without ambiguity. A dotted path stops above a key that is empty, contains
 * {@code .} or starts with {@code $} (MongoDB 5+ stores such keys but cannot name them in an update
 * path), and above any container that does not exist on both sides with the same kind (MongoDB
 * would create an object where jq creates an array, or pad an array with nulls).
 */
final class Updates {

    static final String REV = "rev";
    static final String EPOCH = "epoch";
    static final String PROBE = "probe";

    private Updates() {
    }

    /** The dotted field name of {@code path} under {@code data}. */
    static String dotted(Path path) {
        StringBuilder sb = new StringBuilder(Deltas.DATA);
        for (Object s : path.segments()) {
            sb.append('.').append(s);
        }
        return sb.toString();
    }

    static BsonDocument replace(JsonNode document) {
        return new BsonDocument("$set", new BsonDocument(Deltas.DATA, BsonJson.toBson(document))).append("$inc", incRev());
    }

    /**
     * The {@code $inc} of rev comes last: mongo-java-server applies operators in order while readers
     * may look, and a torn read must never show a rev whose data is not all there yet.
     *
     * <p>The update that turns {@code before} into {@code after} given that they differ only at or
     * below {@code touched}; to be applied with a filter on the rev {@code before} was read at.
     */
    static BsonDocument compareAndSwap(JsonNode before, JsonNode after, List<Path> touched) {
        List<Path> targets = new ArrayList<>();
        for (Path t : touched) {
            targets.add(addressablePrefix(before, after, t));
        }
        BsonDocument set = new BsonDocument();
        BsonDocument unset = new BsonDocument();
        BsonDocument push = new BsonDocument();
        for (Path p : Deltas.minimal(targets)) {
            JsonNode value = Trees.get(after, p);
            JsonNode old = Trees.get(before, p);
            if (value == null) {
                unset.put(dotted(p), new BsonString(""));
            } else if (isAppend(old, value)) {
                BsonArray each = new BsonArray();
                for (int i = old.size(); i < value.size(); i++) {
                    each.add(BsonJson.toBson(value.get(i)));
                }
                push.put(dotted(p), new BsonDocument("$each", each));
            } else {
                set.put(dotted(p), BsonJson.toBson(value));
            }
        }
        BsonDocument update = new BsonDocument();
        putUnlessEmpty(update, "$unset", unset);
        putUnlessEmpty(update, "$set", set);
        putUnlessEmpty(update, "$push", push);
        update.put("$inc", incRev());
        return update;
    }

    /**
     * {@code update} that also sets the write's descriptor {@link WriteDescriptor#FIELD} (in its
     * {@code $set}, the {@code $inc} of rev still last), so that the descriptor commits atomically
     * with the data and rev it describes.
     */
    static BsonDocument describing(BsonDocument update, WriteDescriptor write) {
        BsonDocument described = new BsonDocument();
        BsonDocument set = new BsonDocument();
        for (var e : update.entrySet()) {
            if (e.getKey().equals("$set")) {
                set.putAll(e.getValue().asDocument());
            } else if (!e.getKey().equals("$inc")) {
                described.put(e.getKey(), e.getValue());
            }
        }
        set.put(WriteDescriptor.FIELD, write.toBson());
        described.put("$set", set);
        described.put("$inc", update.get("$inc", incRev()));
        return described;
    }

    private static void putUnlessEmpty(BsonDocument update, String operator, BsonDocument fields) {
        if (!fields.isEmpty()) {
            update.put(operator, fields);
        }
    }

    /**
     * True when {@code after} is {@code before} with elements appended: the path copy shares every
     * old element, so reference equality decides in time linear in the array's length without
     * encoding it, and {@code $push} sends only the new elements.
     */
    private static boolean isAppend(JsonNode before, JsonNode after) {
        if (before == null || !before.isArray() || !after.isArray() || after.size() <= before.size()) {
            return false;
        }
        for (int i = 0; i < before.size(); i++) {
            if (before.get(i) != after.get(i)) {
                return false;
            }
        }
        return true;
    }

    /**
     * The longest prefix of {@code path} whose every step MongoDB resolves as we mean it: each
     * container exists in both trees with the same kind, and keys are addressable. Rewriting that
     * prefix's whole value is then exact.
     */
    private static Path addressablePrefix(JsonNode before, JsonNode after, Path path) {
        JsonNode b = before;
        JsonNode a = after;
        for (int i = 0; i < path.size(); i++) {
            Object s = path.get(i);
            boolean ok = s instanceof Integer
                    ? b != null && a != null && b.isArray() && a.isArray() && (Integer) s < a.size()
                    : b != null && a != null && b.isObject() && a.isObject() && isPlainKey((String) s);
            if (!ok) {
                return path.prefix(i);
            }
            b = s instanceof Integer ? b.get((Integer) s) : b.get((String) s);
            a = s instanceof Integer ? a.get((Integer) s) : a.get((String) s);
            if (s instanceof Integer && (b == null || a == null)) {
                return path.prefix(i);
            }
        }
        return path;
    }

    private static boolean isPlainKey(String key) {
        return !key.isEmpty() && key.indexOf('.') < 0 && key.charAt(0) != '$' && key.indexOf('\0') < 0;
    }

    private static BsonDocument incRev() {
        return new BsonDocument(REV, new BsonInt32(1));
    }
}

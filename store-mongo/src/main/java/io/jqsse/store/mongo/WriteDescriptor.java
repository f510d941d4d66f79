package io.jqsse.store.mongo;

import com.fasterxml.jackson.databind.JsonNode;
import io.jqsse.store.Documents;
import io.jqsse.store.Path;
import io.jqsse.store.Write;
import java.util.ArrayList;
import java.util.List;
import org.bson.BsonArray;
import org.bson.BsonDocument;
import org.bson.BsonInt32;
import org.bson.BsonInt64;
import org.bson.BsonString;
import org.bson.BsonValue;
import org.bson.RawBsonDocument;
import org.bson.codecs.BsonDocumentCodec;

/**
 * What a jq-sse write was, without its values: the field {@code w} that every write sets in the same
 * atomic update as its data and rev, {@code {rev, epoch, op, path, touched}} with {@code op} one of
 * {@code set}, {@code delete}, {@code merge}, {@code patch}, {@code replace}, {@code path} the
 * written path (indices resolved) and {@code touched} the paths the write touched, each path an
 * array of segments (strings for keys, 32-bit integers for indices). Another instance reads the
 * values from the new data and {@link #rebuild}s the change the writer published, so every
 * instance sends the same events for a write. A descriptor whose rev and epoch are not those of the
 * change being applied describes an older write (the latest one was made by something else than
 * jq-sse) and is ignored.
 *
 * @param epoch   the epoch the write committed in
 * @param rev     the rev it committed as
 * @param op      the kind of write
 * @param path    the written path ({@code .} for a replace)
 * @param touched the touched paths, never empty; the written path alone when there are more than
 *                {@link #MAX_TOUCHED}
 */
record WriteDescriptor(String epoch, long rev, String op, Path path, List<Path> touched) {

    /** The stored document's field. */
    static final String FIELD = "w";
    /** Beyond this many touched paths (a long JSON Patch) the descriptor keeps the written path alone. */
    static final int MAX_TOUCHED = 64;

    static final String SET = "set";
    static final String DELETE = "delete";
    static final String MERGE = "merge";
    static final String PATCH = "patch";
    static final String REPLACE = "replace";

    WriteDescriptor {
        touched = List.copyOf(touched);
    }

    /**
     * The tree a descriptor rebuilds, and how the change presents it.
     *
     * @param after   the new data (sharing unchanged subtrees with the old one where it can)
     * @param touched the change's touched paths
     * @param write   the change's write: the set or delete as applied, the replace, or null for a
     *                merge or patch, whose patch document the descriptor does not carry
     * @param reset   true for a replace
     */
    record Rebuilt(JsonNode after, List<Path> touched, Write write, boolean reset) {
    }

    /** The descriptor of {@code applied} committing as {@code rev} in {@code epoch}. */
    static WriteDescriptor of(String epoch, long rev, Documents.Applied applied) {
        Write w = applied.resolved();
        String op;
        Path path;
        if (w instanceof Write.Set s) {
            op = SET;
            path = s.path();
        } else if (w instanceof Write.Delete d) {
            op = DELETE;
            path = d.path();
        } else if (w instanceof Write.Merge m) {
            op = MERGE;
            path = m.path();
        } else if (w instanceof Write.Patch p) {
            op = PATCH;
            path = p.path();
        } else {
            op = REPLACE;
            path = Path.root();
        }
        List<Path> touched = applied.touched().size() <= MAX_TOUCHED ? applied.touched() : List.of(path);
        return new WriteDescriptor(epoch, rev, op, path, touched);
    }

    BsonDocument toBson() {
        BsonArray t = new BsonArray();
        for (Path p : touched) {
            t.add(segments(p));
        }
        return new BsonDocument(Updates.REV, new BsonInt64(rev)).append(Updates.EPOCH, new BsonString(epoch))
                .append("op", new BsonString(op)).append("path", segments(path)).append("touched", t);
    }

    /** The bytes of {@link #toBson()} as BSON. */
    long bsonSize() {
        return new RawBsonDocument(toBson(), new BsonDocumentCodec()).getByteBuffer().remaining();
    }

    /** The descriptor stored as {@code value}, or null when it is absent or not one this class wrote. */
    static WriteDescriptor fromBson(BsonValue value) {
        if (value == null || !value.isDocument()) {
            return null;
        }
        BsonDocument d = value.asDocument();
        BsonValue rev = d.get(Updates.REV);
        BsonValue epoch = d.get(Updates.EPOCH);
        BsonValue op = d.get("op");
        BsonValue touched = d.get("touched");
        if (rev == null || !rev.isNumber() || epoch == null || !epoch.isString() || op == null || !op.isString()
                || touched == null || !touched.isArray() || touched.asArray().isEmpty()
                || !List.of(SET, DELETE, MERGE, PATCH, REPLACE).contains(op.asString().getValue())) {
            return null;
        }
        Path path = path(d.get("path"));
        List<Path> paths = new ArrayList<>();
        for (BsonValue t : touched.asArray()) {
            Path p = path(t);
            if (p == null) {
                return null;
            }
            paths.add(p);
        }
        return path == null ? null : new WriteDescriptor(epoch.asString().getValue(), rev.asNumber().longValue(),
                op.asString().getValue(), path, paths);
    }

    /**
     * The change this write made from {@code before} to {@code after}, as its writer published it;
     * null when the write does not lead from one to the other (the data was changed otherwise too).
     * A set or delete is replayed with {@link Documents#apply}, its value read from {@code after};
     * for a merge or patch, {@code before} with the touched subtrees taken from {@code after} must
     * be {@code after}.
     */
    Rebuilt rebuild(JsonNode before, JsonNode after) {
        try {
            switch (op) {
                case SET, DELETE -> {
                    JsonNode value = Trees.get(after, path);
                    Write write = SET.equals(op) ? value == null ? null : new Write.Set(path, value)
                            : new Write.Delete(path);
                    Documents.Applied applied = write == null ? null : Documents.apply(before, write);
                    return applied == null || !applied.document().equals(after) ? null
                            : new Rebuilt(applied.document(), applied.touched(), applied.resolved(), false);
                }
                case REPLACE -> {
                    return new Rebuilt(after, List.of(Path.root()), new Write.Replace(after), true);
                }
                default -> {
                    JsonNode grafted = before;
                    for (Path t : touched) {
                        JsonNode value = Trees.get(after, t);
                        grafted = grafted == null ? null : value == null ? Trees.unset(grafted, t)
                                : Trees.set(grafted, t, value);
                    }
                    return grafted == null || !grafted.equals(after) ? null
                            : new Rebuilt(grafted, touched, null, false);
                }
            }
        } catch (RuntimeException e) {
            return null;
        }
    }

    private static BsonArray segments(Path p) {
        BsonArray a = new BsonArray();
        for (Object s : p.segments()) {
            a.add(s instanceof Integer i ? new BsonInt32(i) : new BsonString((String) s));
        }
        return a;
    }

    private static Path path(BsonValue value) {
        if (value == null || !value.isArray()) {
            return null;
        }
        List<Object> segments = new ArrayList<>();
        for (BsonValue s : value.asArray()) {
            if (s.isString()) {
                segments.add(s.asString().getValue());
            } else if (s.isInt32()) {
                segments.add(s.asInt32().getValue());
            } else {
                return null;
            }
        }
        return Path.of(segments);
    }
}

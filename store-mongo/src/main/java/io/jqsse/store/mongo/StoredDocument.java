package io.jqsse.store.mongo;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import java.util.Objects;
import java.util.regex.Pattern;
import org.bson.BsonDocument;
import org.bson.BsonValue;

/**
 * The stored MongoDB document {@code {_id, data, rev, epoch, probe, w}} as the replica sees it.
 *
 * @param epoch the document's epoch
 * @param rev   its revision
 * @param data  the JSON document (immutable by convention)
 * @param probe the last start-up probe token written to it, or null
 * @param write the descriptor of the last jq-sse write ({@code w}), or null; it describes this rev
 *              only when its own rev and epoch say so
 */
record StoredDocument(String epoch, long rev, JsonNode data, String probe, WriteDescriptor write) {

    /**
     * Epochs this store accepts from the database: they go into event ids and ETags, where CR, LF,
     * quotes or colons would break the stream or the header. Anything else is a foreign document,
     * adopted under a new epoch.
     */
    static final Pattern EPOCH = Pattern.compile("[A-Za-z0-9_-]{1,64}");

    StoredDocument {
        Objects.requireNonNull(epoch, "epoch");
        Objects.requireNonNull(data, "data");
    }

    StoredDocument(String epoch, long rev, JsonNode data, String probe) {
        this(epoch, rev, data, probe, null);
    }

    /**
     * Reads a stored document; null when {@code doc} is null or lacks {@code epoch} or {@code rev}
     * (written by something else than a jq-sse store).
     */
    static StoredDocument of(BsonDocument doc) {
        if (doc == null) {
            return null;
        }
        BsonValue epoch = doc.get(Updates.EPOCH);
        BsonValue rev = doc.get(Updates.REV);
        if (epoch == null || !epoch.isString() || !EPOCH.matcher(epoch.asString().getValue()).matches()
                || rev == null || !rev.isNumber()) {
            return null;
        }
        BsonValue data = doc.get(Deltas.DATA);
        BsonValue probe = doc.get(Updates.PROBE);
        return new StoredDocument(epoch.asString().getValue(), rev.asNumber().longValue(),
                data == null ? JsonNodeFactory.instance.objectNode() : BsonJson.toJson(data),
                probe != null && probe.isString() ? probe.asString().getValue() : null,
                WriteDescriptor.fromBson(doc.get(WriteDescriptor.FIELD)));
    }
}

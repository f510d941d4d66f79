package io.jqsse.store.mongo;

import com.mongodb.client.model.changestream.ChangeStreamDocument;
import com.mongodb.client.model.changestream.UpdateDescription;
import org.bson.BsonDocument;
import org.bson.BsonValue;

/**
 * What the replica needs from one change stream event.
 *
 * @param operationType {@code insert}, {@code update}, {@code replace}, {@code delete}, ...
 * @param full          the full document when the server sent one (with {@code updateLookup} it is
 *                      the document as of the lookup, possibly at a later rev than this event)
 * @param delta         the update description, when the server sent one
 * @param deltaRev      the rev this event set, from the update description; null when unknown
 * @param deltaEpoch    the epoch this event set, from the update description; null when unchanged
 * @param probe         the probe token this event wrote, or null
 */
record Event(String operationType, StoredDocument full, UpdateDescription delta, Long deltaRev, String deltaEpoch,
             String probe) {

    /** Not a change stream operation: the store read the document itself. */
    static final String RELOAD = "reload";

    static Event of(ChangeStreamDocument<BsonDocument> doc) {
        String type = doc.getOperationTypeString();
        StoredDocument full = StoredDocument.of(doc.getFullDocument());
        UpdateDescription delta = doc.getUpdateDescription();
        Long rev = null;
        String epoch = null;
        String probe = null;
        if (delta != null && delta.getUpdatedFields() != null) {
            BsonDocument fields = delta.getUpdatedFields();
            BsonValue r = fields.get(Updates.REV);
            rev = r != null && r.isNumber() ? r.asNumber().longValue() : null;
            BsonValue e = fields.get(Updates.EPOCH);
            epoch = e != null && e.isString() ? e.asString().getValue() : null;
            BsonValue p = fields.get(Updates.PROBE);
            probe = p != null && p.isString() ? p.asString().getValue() : null;
        } else if ("insert".equals(type) || "replace".equals(type)) {
            rev = full == null ? null : full.rev();
            epoch = full == null ? null : full.epoch();
        }
        if (probe == null && full != null) {
            probe = full.probe();
        }
        return new Event(type, full, delta, rev, epoch, probe);
    }

    /** True when the event changes the stored document (as opposed to deleting or invalidating it). */
    boolean isModification() {
        return "update".equals(operationType) || "replace".equals(operationType) || "insert".equals(operationType)
                || RELOAD.equals(operationType);
    }
}

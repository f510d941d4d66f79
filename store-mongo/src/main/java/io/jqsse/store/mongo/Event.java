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
 * @param foreign       the event carries a full document without rev or epoch (replaced by a writer
 *                      that does not know the shape)
 * @param dataWithoutRev the update description changes {@code data} but not {@code rev} (a writer
 *                      that does not increment it)
 * @param deltaWrite    the write descriptor ({@code w}) the update description sets, or null
 */
record Event(String operationType, StoredDocument full, UpdateDescription delta, Long deltaRev, String deltaEpoch,
             String probe, boolean foreign, boolean dataWithoutRev, WriteDescriptor deltaWrite) {

    /** Not a change stream operation: the store read the document itself. */
    static final String RELOAD = "reload";

    static Event of(ChangeStreamDocument<BsonDocument> doc) {
        String type = doc.getOperationTypeString();
        StoredDocument full = StoredDocument.of(doc.getFullDocument());
        boolean foreign = doc.getFullDocument() != null && full == null;
        boolean dataWithoutRev = false;
        UpdateDescription delta = doc.getUpdateDescription();
        Long rev = null;
        String epoch = null;
        String probe = null;
        WriteDescriptor write = null;
        if (delta != null && delta.getUpdatedFields() != null) {
            BsonDocument fields = delta.getUpdatedFields();
            BsonValue r = fields.get(Updates.REV);
            rev = r != null && r.isNumber() ? r.asNumber().longValue() : null;
            BsonValue e = fields.get(Updates.EPOCH);
            epoch = e != null && e.isString() ? e.asString().getValue() : null;
            dataWithoutRev = rev == null && (fields.keySet().stream().anyMatch(Deltas::isData)
                    || delta.getRemovedFields() != null && delta.getRemovedFields().stream().anyMatch(Deltas::isData));
            BsonValue p = fields.get(Updates.PROBE);
            probe = p != null && p.isString() ? p.asString().getValue() : null;
            write = WriteDescriptor.fromBson(fields.get(WriteDescriptor.FIELD));
        } else if ("insert".equals(type) || "replace".equals(type)) {
            rev = full == null ? null : full.rev();
            epoch = full == null ? null : full.epoch();
        }
        if (probe == null && full != null) {
            probe = full.probe();
        }
        return new Event(type, full, delta, rev, epoch, probe, foreign, dataWithoutRev, write);
    }

    /** A full document the store read itself, as an event. */
    static Event reload(StoredDocument doc) {
        return new Event(RELOAD, doc, null, null, null, null, false, false, null);
    }

    /**
     * The descriptor of the write that made {@code rev} in {@code epoch}: the one this event's update
     * description sets, else the full document's; null when neither describes that rev.
     */
    WriteDescriptor writeOf(String epoch, long rev) {
        for (WriteDescriptor w : new WriteDescriptor[] {deltaWrite, full == null ? null : full.write()}) {
            if (w != null && w.rev() == rev && w.epoch().equals(epoch)) {
                return w;
            }
        }
        return null;
    }

    /** True when the event changes the stored document (as opposed to deleting or invalidating it). */
    boolean isModification() {
        return "update".equals(operationType) || "replace".equals(operationType) || "insert".equals(operationType)
                || RELOAD.equals(operationType);
    }
}

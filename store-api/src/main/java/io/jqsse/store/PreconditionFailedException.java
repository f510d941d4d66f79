package io.jqsse.store;

/** The document is not at the revision a conditional write expected (412). */
public class PreconditionFailedException extends StoreException {
    private static final long serialVersionUID = 1L;

    private final String epoch;
    private final long currentRev;

    public PreconditionFailedException(String epoch, long currentRev) {
        super("rev: " + currentRev + " (expected: the rev of If-Match)");
        this.epoch = epoch;
        this.currentRev = currentRev;
    }

    public String epoch() {
        return epoch;
    }

    public long currentRev() {
        return currentRev;
    }

    /** The current entity tag, {@code "<epoch>:<rev>"} with the quotes. */
    public String currentEtag() {
        return "\"" + epoch + ":" + currentRev + "\"";
    }
}

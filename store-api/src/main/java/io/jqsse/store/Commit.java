package io.jqsse.store;

/**
 * The outcome of a successful write.
 *
 * @param epoch      the document's epoch
 * @param rev        the revision the write committed as
 * @param timeMillis when it committed, unix milliseconds
 */
public record Commit(String epoch, long rev, long timeMillis) {
}

package io.jqsse.store;

import java.util.concurrent.CompletionStage;

/**
 * A store of one JSON document with an epoch and a revision.
 *
 * <p>Contract, checked by the contract suite in this module's test jar that every store extends:
 * <ul>
 *   <li>{@link #snapshot()} never blocks and returns the latest committed snapshot this server knows
 *       (for a replicated store, its local replica);</li>
 *   <li>{@link #write} commits atomically with the next revision or fails with a
 *       {@link StoreException} and changes nothing; it never blocks the calling thread (it may be a
 *       Netty event loop); the returned stage completes once the change is also visible in
 *       {@link #snapshot()} of this store (read-your-writes);</li>
 *   <li>the listener given to {@link #subscribe} receives every committed change after the returned
 *       snapshot, in revision order, exactly once, including changes made by other writers of the
 *       same backing document.</li>
 * </ul>
 */
public interface DocumentStore extends AutoCloseable {

    /** Use with {@link #write(Write, long)} when the write has no precondition. */
    long ANY_REV = -1;

    /** {@code "memory"}, {@code "mongo"}, ...: reported in {@code /metrics}. */
    String type();

    /**
     * Connects, loads the document and starts following changes. Completes exceptionally with a
     * message that says what is wrong and how to fix it when the store cannot work (e.g. MongoDB
     * without change streams). Called once, before anything else.
     */
    CompletionStage<Void> start();

    /** The latest committed snapshot; never blocks. */
    Snapshot snapshot();

    /**
     * Commits {@code write}.
     *
     * @param expectedRev {@link #ANY_REV}, or the revision the document must be at for the write to
     *                    apply ({@code If-Match}); otherwise it fails with
     *                    {@link PreconditionFailedException}
     * @return the commit; failed with {@link PathConflictException}, {@link PathNotFoundException},
     *         {@link InvalidPatchException}, {@link DocumentTooLargeException},
     *         {@link PreconditionFailedException} or {@link StoreUnavailableException}
     */
    CompletionStage<Commit> write(Write write, long expectedRev);

    /**
     * Registers the one listener and returns the snapshot it starts from: the listener then receives
     * every change with a revision above the snapshot's. Calling it twice is an error.
     */
    Snapshot subscribe(ChangeListener listener);

    /** Whether writes can be served now; never blocks. */
    StoreHealth health();

    /** The largest document this store accepts, in bytes of compact JSON (or the store's encoding). */
    long maxDocumentBytes();

    /** Stops following changes and releases connections. Idempotent. */
    @Override
    void close();
}

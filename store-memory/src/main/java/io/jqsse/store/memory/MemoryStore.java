package io.jqsse.store.memory;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import io.jqsse.store.Change;
import io.jqsse.store.ChangeListener;
import io.jqsse.store.Commit;
import io.jqsse.store.DocumentStore;
import io.jqsse.store.DocumentTooLargeException;
import io.jqsse.store.Documents;
import io.jqsse.store.PreconditionFailedException;
import io.jqsse.store.Snapshot;
import io.jqsse.store.StoreHealth;
import io.jqsse.store.StoreUnavailableException;
import io.jqsse.store.Write;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The embedded store: one JSON document in the heap, with a random epoch per instance.
 *
 * <p>A write runs on the calling thread under a short lock: it checks the precondition, builds the
 * new root with {@link Documents#apply} (path copying, O(depth)), checks the size against
 * {@link #maxDocumentBytes()} from a running estimate that only re-measures the replaced subtree,
 * publishes the new {@link Snapshot} through a volatile field and calls the listener, still under
 * the lock so that changes reach it in revision order. The returned stage is already complete.
 * {@link #snapshot()} reads the volatile field and never blocks.
 *
 * <p>Thread-safe. {@link #close()} makes later writes fail with {@link StoreUnavailableException}.
 */
public final class MemoryStore implements DocumentStore {

    /** The default {@link Builder#maxDocumentBytes(long)}: 64 MiB of compact JSON. */
    public static final long DEFAULT_MAX_DOCUMENT_BYTES = 64L << 20;

    private static final Logger LOG = LoggerFactory.getLogger(MemoryStore.class);
    private static final SecureRandom RANDOM = new SecureRandom();

    private final Object lock = new Object();
    private final long maxDocumentBytes;
    private final String epoch;
    private volatile Snapshot snapshot;
    private volatile boolean closed;
    private long sizeBytes;
    private ChangeListener listener;

    /** A store over {@code {}} with the default limit. */
    public MemoryStore() {
        this(builder());
    }

    private MemoryStore(Builder builder) {
        this.maxDocumentBytes = builder.maxDocumentBytes;
        this.epoch = newEpoch();
        this.sizeBytes = Documents.estimateBytes(builder.initialDocument);
        if (sizeBytes > maxDocumentBytes) {
            throw new IllegalArgumentException("initialDocument: " + sizeBytes
                    + " bytes (expected: at most maxDocumentBytes " + maxDocumentBytes + ")");
        }
        this.snapshot = new Snapshot(epoch, 0, builder.initialDocument);
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Eight URL-safe characters from 48 random bits. */
    private static String newEpoch() {
        byte[] bytes = new byte[6];
        RANDOM.nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    @Override
    public String type() {
        return "memory";
    }

    @Override
    public CompletionStage<Void> start() {
        return CompletableFuture.completedFuture(null);
    }

    @Override
    public Snapshot snapshot() {
        return snapshot;
    }

    @Override
    public CompletionStage<Commit> write(Write write, long expectedRev) {
        Objects.requireNonNull(write, "write");
        try {
            return CompletableFuture.completedFuture(commit(write, expectedRev));
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    private Commit commit(Write write, long expectedRev) {
        synchronized (lock) {
            if (closed) {
                throw new StoreUnavailableException("store: closed (expected: an open memory store)");
            }
            Snapshot current = snapshot;
            if (expectedRev != ANY_REV && expectedRev != current.rev()) {
                throw new PreconditionFailedException(epoch, current.rev());
            }
            Documents.Applied applied = Documents.apply(current.document(), write);
            SizeDelta.Sized sized = SizeDelta.after(sizeBytes, current.document(), applied.document(), applied.resolved());
            if (sized.documentBytes() > maxDocumentBytes) {
                throw new DocumentTooLargeException("document: " + sized.documentBytes()
                        + " bytes (expected: at most maxDocumentBytes " + maxDocumentBytes + ")");
            }
            long now = System.currentTimeMillis();
            Snapshot next = new Snapshot(epoch, current.rev() + 1, applied.document());
            sizeBytes = sized.documentBytes();
            snapshot = next;
            if (listener != null) {
                publish(new Change(epoch, next.rev(), current.document(), next.document(), applied.touched(),
                        applied.resolved(), write instanceof Write.Replace, now, sized.changeBytes()));
            }
            return new Commit(epoch, next.rev(), now);
        }
    }

    /** A listener that throws must not undo or fail a committed write: it is logged and the write stands. */
    private void publish(Change change) {
        try {
            listener.onChange(change);
        } catch (RuntimeException e) {
            LOG.warn("listener failed on rev {}; the change is committed", change.rev(), e);
        }
    }

    @Override
    public Snapshot subscribe(ChangeListener newListener) {
        Objects.requireNonNull(newListener, "listener");
        synchronized (lock) {
            if (listener != null) {
                throw new IllegalStateException("listener: already subscribed (expected: one subscribe per store)");
            }
            listener = newListener;
            return snapshot;
        }
    }

    @Override
    public StoreHealth health() {
        return closed ? StoreHealth.unavailable("memory store closed") : StoreHealth.OK;
    }

    @Override
    public long maxDocumentBytes() {
        return maxDocumentBytes;
    }

    /** The running estimate of the document's compact JSON size, in bytes. */
    long sizeBytes() {
        synchronized (lock) {
            return sizeBytes;
        }
    }

    @Override
    public void close() {
        synchronized (lock) {
            closed = true;
            listener = null;
        }
    }

    /** Options of a {@link MemoryStore}; defaults: {@link #DEFAULT_MAX_DOCUMENT_BYTES}, {@code {}}. */
    public static final class Builder {
        private long maxDocumentBytes = DEFAULT_MAX_DOCUMENT_BYTES;
        private JsonNode initialDocument = JsonNodeFactory.instance.objectNode();

        private Builder() {
        }

        /** The largest document accepted, in bytes of compact JSON; writes beyond it fail (413). */
        public Builder maxDocumentBytes(long bytes) {
            if (bytes <= 0) {
                throw new IllegalArgumentException("maxDocumentBytes: " + bytes + " (expected: > 0)");
            }
            this.maxDocumentBytes = bytes;
            return this;
        }

        /** The document at rev 0; it becomes the store's and must not be mutated afterwards. */
        public Builder initialDocument(JsonNode document) {
            this.initialDocument = Objects.requireNonNull(document, "initialDocument");
            return this;
        }

        public MemoryStore build() {
            return new MemoryStore(this);
        }
    }
}

package io.jqsse.store.mongo;

import com.mongodb.MongoException;
import com.mongodb.MongoServerException;
import com.mongodb.client.model.Filters;
import com.mongodb.reactivestreams.client.MongoCollection;
import com.fasterxml.jackson.databind.JsonNode;
import io.jqsse.store.Commit;
import io.jqsse.store.DocumentStore;
import io.jqsse.store.DocumentTooLargeException;
import io.jqsse.store.Documents;
import io.jqsse.store.Path;
import io.jqsse.store.PathConflictException;
import io.jqsse.store.PreconditionFailedException;
import io.jqsse.store.Snapshot;
import io.jqsse.store.StoreException;
import io.jqsse.store.StoreUnavailableException;
import io.jqsse.store.Write;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.function.Function;
import org.bson.BsonDocument;
import org.bson.BsonValue;
import org.bson.conversions.Bson;

/**
 * Turns writes into single atomic MongoDB updates: {@code $set}/{@code $unset}/{@code $push} of the
 * smallest addressable subtrees that contain the written paths (the dotted path itself for plain
 * keys, see {@link Updates}), {@code $set} of the write's {@link WriteDescriptor} (so that other
 * instances publish the same change) and {@code $inc} of rev, filtered on the rev and epoch the new
 * value was computed from. The rev in the
 * filter is what makes the outcome exact: the write commits as that rev + 1, jq semantics (which
 * MongoDB's dotted paths do not have: padding arrays, numeric keys, keys with {@code .} or {@code $})
 * are decided by {@link Documents#apply} on a copy known to be current, and the replica can replay the
 * write precisely when its event arrives. The first attempt computes from the replica without a
 * read; a lost race, or a replica that says the write cannot apply, leads to attempts on a freshly
 * read document, retried while other writers win. ({@code findAndModify} would return the rev of a
 * blind update, but mongo-java-server leaves it out of its oplog, so change streams would miss it.)
 *
 * <p>Threading: runs on whatever thread calls {@link #write} and on driver threads; it touches only
 * the replica's volatile snapshot. Acknowledged commits go to {@link Outcomes#acknowledged}, which
 * returns the stage that completes once the replica has the rev.
 */
final class Writer {

    /** Room for {@code _id}, {@code rev}, {@code epoch} and {@code probe} beside {@code data} and {@code w}. */
    static final long OVERHEAD_BYTES = 1024;
    private static final int MAX_ATTEMPTS = 32;
    /** BSONObjectTooLarge, "Resulting document after update is larger than 16MB". */
    private static final List<Integer> TOO_LARGE = List.of(10334, 17419, 17420, 13134);
    /** DollarPrefixedFieldName, EmptyFieldName, DottedFieldName: keys a MongoDB before 5.0 cannot store. */
    private static final List<Integer> REFUSED_KEYS = List.of(52, 56, 57);

    /** Where outcomes of writes announced with {@link Replica#sending(long)} go, on the replica thread. */
    interface Outcomes {
        /** Registers an acknowledged write with the replica and returns its read-your-writes stage. */
        CompletableFuture<Commit> acknowledged(Write write, Commit commit);

        /** The write announced with {@link Replica#sending} did not commit as {@code rev}. */
        void notCommitted(long rev);
    }

    private final MongoCollection<BsonDocument> collection;
    private final BsonValue documentId;
    private final Replica replica;
    private final long maxDocumentBytes;
    private final Outcomes outcomes;

    Writer(MongoCollection<BsonDocument> collection, BsonValue documentId, Replica replica, long maxDocumentBytes,
           Outcomes outcomes) {
        this.collection = collection;
        this.documentId = documentId;
        this.replica = replica;
        this.maxDocumentBytes = maxDocumentBytes;
        this.outcomes = outcomes;
    }

    CompletableFuture<Commit> write(Write write, long expectedRev) {
        Snapshot s = replica.snapshot();
        StoredDocument local = new StoredDocument(s.epoch(), s.rev(), s.document(), null);
        return attempt(write, expectedRev, local, replica.dataBytes(), 0);
    }

    /**
     * One compare-and-swap of {@code write} against {@code stored}. The first attempt works from the
     * replica without reading; when it loses (the replica was behind, or another writer won) or the
     * replica says the write cannot apply, the next attempt reads the stored document first, and what
     * that fresh copy says is final.
     */
    private CompletableFuture<Commit> attempt(Write write, long expectedRev, StoredDocument stored, long storedBytes,
                                              int attempt) {
        boolean fromReplica = storedBytes >= 0;
        if (expectedRev != DocumentStore.ANY_REV && stored.rev() != expectedRev) {
            return fromReplica ? fresh(write, expectedRev, attempt)
                    : CompletableFuture.failedFuture(new PreconditionFailedException(stored.epoch(), stored.rev()));
        }
        Documents.Applied applied;
        BsonDocument update;
        try {
            applied = Documents.apply(stored.data(), write);
            WriteDescriptor descriptor = WriteDescriptor.of(stored.epoch(), stored.rev() + 1, applied);
            checkSize(descriptor.bsonSize() + (fromReplica ? storedBytes + sizeDelta(stored.data(), applied)
                    : BsonJson.bsonSize(applied.document())));
            update = Updates.describing(write instanceof Write.Replace
                    ? Updates.replace(applied.document())
                    : Updates.compareAndSwap(stored.data(), applied.document(), applied.touched()), descriptor);
        } catch (DocumentTooLargeException e) {
            return CompletableFuture.failedFuture(e);
        } catch (StoreException e) {
            return fromReplica ? fresh(write, expectedRev, attempt) : CompletableFuture.failedFuture(e);
        }
        Bson filter = Filters.and(Filters.eq("_id", documentId), Filters.eq(Updates.REV, stored.rev()),
                Filters.eq(Updates.EPOCH, stored.epoch()));
        replica.sending(stored.rev() + 1);
        return Rx.first(collection.updateOne(filter, update))
                .handle((result, error) -> {
                    if (error != null || result.getMatchedCount() == 0) {
                        outcomes.notCommitted(stored.rev() + 1);
                    }
                    if (error != null) {
                        return CompletableFuture.<Commit>failedFuture(map(unwrap(error)));
                    }
                    if (result.getMatchedCount() == 0) {
                        return fresh(write, expectedRev, attempt + 1);
                    }
                    return outcomes.acknowledged(write,
                            new Commit(stored.epoch(), stored.rev() + 1, System.currentTimeMillis()));
                })
                .thenCompose(Function.identity());
    }

    private CompletableFuture<Commit> fresh(Write write, long expectedRev, int attempt) {
        if (attempt >= MAX_ATTEMPTS) {
            return CompletableFuture.failedFuture(new StoreUnavailableException(
                    "write attempts: " + attempt + " (expected: fewer concurrent writers of the document)"));
        }
        return Rx.first(collection.find(Filters.eq("_id", documentId)).first())
                .handle((doc, error) -> {
                    if (error != null) {
                        return CompletableFuture.<Commit>failedFuture(map(unwrap(error)));
                    }
                    StoredDocument stored = StoredDocument.of(doc);
                    if (stored == null) {
                        return CompletableFuture.<Commit>failedFuture(new StoreUnavailableException("document: "
                                + documentId + " (expected: a jq-sse document with data, rev and epoch)"));
                    }
                    return attempt(write, expectedRev, stored, -1, attempt);
                })
                .thenCompose(Function.identity());
    }

    private static long sizeDelta(JsonNode before, Documents.Applied applied) {
        long delta = 0;
        for (Path t : applied.touched()) {
            JsonNode b = Trees.get(before, t);
            JsonNode a = Trees.get(applied.document(), t);
            delta += (a == null ? 0 : BsonJson.bsonSize(a)) - (b == null ? 0 : BsonJson.bsonSize(b));
        }
        return delta;
    }

    private void checkSize(long dataBytes) {
        if (dataBytes + OVERHEAD_BYTES > maxDocumentBytes) {
            throw new DocumentTooLargeException("document bytes: " + (dataBytes + OVERHEAD_BYTES)
                    + " (expected: at most " + maxDocumentBytes + " bytes of BSON)");
        }
    }

    static Throwable unwrap(Throwable t) {
        while (t instanceof CompletionException && t.getCause() != null) {
            t = t.getCause();
        }
        return t;
    }

    /** One place that maps driver failures onto the store's exceptions. */
    static RuntimeException map(Throwable t) {
        if (t instanceof StoreException) {
            return (StoreException) t;
        }
        if (t instanceof MongoServerException && TOO_LARGE.contains(((MongoServerException) t).getCode())) {
            return new DocumentTooLargeException("document: " + t.getMessage()
                    + " (expected: at most 16 MiB of BSON)", t);
        }
        if (t instanceof MongoServerException && REFUSED_KEYS.contains(((MongoServerException) t).getCode())) {
            return new PathConflictException("key: " + t.getMessage()
                    + " (expected: keys this MongoDB can store; 5.0+ stores any key)", t);
        }
        if (t instanceof MongoException) {
            return new StoreUnavailableException("MongoDB: " + t.getMessage(), t);
        }
        return t instanceof RuntimeException ? (RuntimeException) t : new StoreUnavailableException(String.valueOf(t), t);
    }
}

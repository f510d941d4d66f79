package io.jqsse.store.mongo;

import com.mongodb.MongoCommandException;
import com.mongodb.MongoException;
import com.mongodb.client.model.Aggregates;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.changestream.ChangeStreamDocument;
import com.mongodb.client.model.changestream.FullDocument;
import com.mongodb.reactivestreams.client.ChangeStreamPublisher;
import com.mongodb.reactivestreams.client.MongoCollection;
import java.util.List;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.bson.BsonDocument;
import org.bson.BsonValue;
import org.reactivestreams.Subscriber;
import org.reactivestreams.Subscription;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Follows the change stream of the one stored document: opens it, hands each event to the replica
 * thread, keeps the resume token and, after an error, reopens the stream from that token with a
 * growing back-off (100 ms to 2 s). When the token is too old for the server (its history was
 * lost) the stream is reopened fresh and {@code onFresh} tells the store to re-synchronize.
 *
 * <p>Threading: driver callbacks only hop to the replica executor; all state is touched there.
 */
final class ChangeFollower {

    private static final Logger log = LoggerFactory.getLogger(ChangeFollower.class);
    private static final int BATCH = 64;
    private static final long MIN_BACKOFF_MILLIS = 100;
    private static final long MAX_BACKOFF_MILLIS = 2000;
    /** ChangeStreamHistoryLost, ChangeStreamFatalError (resume token no longer in the oplog). */
    private static final List<Integer> HISTORY_LOST = List.of(286, 280);

    private final MongoCollection<BsonDocument> collection;
    private final BsonValue documentId;
    private final ScheduledExecutorService executor;
    private final Consumer<Event> onEvent;
    private final Consumer<Throwable> onError;
    private final Runnable onFresh;
    private BsonDocument resumeToken;
    private Subscription subscription;
    private int generation;
    private long backoffMillis = MIN_BACKOFF_MILLIS;
    private volatile boolean healthy;
    private boolean closed;

    /**
     * @param onEvent each event, on the replica thread
     * @param onError a stream failure, on the replica thread (the stream is reopened anyway)
     * @param onFresh the stream was (re)opened without a resume token: events before it are unknown
     */
    ChangeFollower(MongoCollection<BsonDocument> collection, BsonValue documentId, ScheduledExecutorService executor,
                   Consumer<Event> onEvent, Consumer<Throwable> onError, Runnable onFresh) {
        this.collection = collection;
        this.documentId = documentId;
        this.executor = executor;
        this.onEvent = onEvent;
        this.onError = onError;
        this.onFresh = onFresh;
    }

    /** Opens the stream (from the kept resume token, if any); on the replica thread. */
    void open() {
        if (closed) {
            return;
        }
        int gen = ++generation;
        ChangeStreamPublisher<BsonDocument> publisher = collection
                .watch(List.of(Aggregates.match(Filters.or(Filters.eq("documentKey._id", documentId),
                        Filters.eq("fullDocument._id", documentId)))), BsonDocument.class)
                .fullDocument(FullDocument.UPDATE_LOOKUP)
                .batchSize(BATCH);
        boolean fresh = resumeToken == null;
        log.debug("opening the change stream {}", fresh ? "fresh" : "after " + resumeToken.toJson());
        if (!fresh) {
            publisher = publisher.resumeAfter(resumeToken);
        }
        publisher.subscribe(new StreamSubscriber(gen));
        healthy = true;
        if (fresh) {
            onFresh.run();
        }
    }

    /** True unless the stream failed and has not been reopened yet; any thread. */
    boolean isHealthy() {
        return healthy;
    }

    /** Cancels the stream; on the replica thread. */
    void close() {
        closed = true;
        generation++;
        if (subscription != null) {
            subscription.cancel();
            subscription = null;
        }
    }

    private void failed(int gen, Throwable t) {
        if (gen != generation || closed) {
            return;
        }
        subscription = null;
        healthy = false;
        if (isHistoryLost(t)) {
            log.warn("change stream: resume token too old ({}); reopening and reloading the document", t.toString());
            resumeToken = null;
        } else {
            log.warn("change stream failed ({}); resuming in {} ms", t.toString(), backoffMillis);
        }
        onError.accept(t);
        long delay = backoffMillis;
        backoffMillis = Math.min(MAX_BACKOFF_MILLIS, backoffMillis * 2);
        executor.schedule(this::open, delay, TimeUnit.MILLISECONDS);
    }

    /**
     * Events of other documents of the collection are dropped by a {@code $match} on the server and
     * here again: mongo-java-server puts the update operators, not the {@code _id}, in an update
     * event's {@code documentKey}, hence the match on {@code fullDocument._id} as well.
     */
    private boolean concernsDocument(ChangeStreamDocument<BsonDocument> doc) {
        BsonDocument key = doc.getDocumentKey();
        BsonDocument full = doc.getFullDocument();
        return key != null && documentId.equals(key.get("_id")) || full != null && documentId.equals(full.get("_id"));
    }

    static boolean isHistoryLost(Throwable t) {
        return t instanceof MongoCommandException && HISTORY_LOST.contains(((MongoException) t).getCode())
                || t instanceof MongoException && ((MongoException) t).hasErrorLabel("NonResumableChangeStreamError")
                && String.valueOf(t.getMessage()).contains("resume");
    }

    private final class StreamSubscriber implements Subscriber<ChangeStreamDocument<BsonDocument>> {
        private final int gen;

        StreamSubscriber(int gen) {
            this.gen = gen;
        }

        @Override
        public void onSubscribe(Subscription s) {
            executor.execute(() -> {
                if (gen != generation || closed) {
                    s.cancel();
                    return;
                }
                subscription = s;
                s.request(BATCH);
            });
        }

        @Override
        public void onNext(ChangeStreamDocument<BsonDocument> doc) {
            executor.execute(() -> {
                if (gen != generation || closed) {
                    return;
                }
                resumeToken = doc.getResumeToken();
                backoffMillis = MIN_BACKOFF_MILLIS;
                healthy = true;
                if (concernsDocument(doc)) {
                    onEvent.accept(Event.of(doc));
                }
                if (subscription != null) {
                    subscription.request(1);
                }
            });
        }

        @Override
        public void onError(Throwable t) {
            executor.execute(() -> failed(gen, t));
        }

        @Override
        public void onComplete() {
            executor.execute(() -> {
                if (gen == generation) {
                    resumeToken = null;
                }
                failed(gen, new MongoException("change stream: ended (expected: an open stream)"));
            });
        }
    }
}

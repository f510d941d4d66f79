package io.jqsse.store.mongo;

import com.mongodb.client.model.Filters;
import com.mongodb.client.model.UpdateOptions;
import com.mongodb.reactivestreams.client.MongoCollection;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.bson.BsonDocument;
import org.bson.BsonInt64;
import org.bson.BsonString;
import org.bson.BsonValue;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Proves that a freshly opened change stream is live: writes a new probe token into the stored
 * document every 250 ms until an event carrying it comes back. Every write after that event is on
 * the stream, so the document the event carries (or a read after it) is a safe starting point. This
 * probes the change stream itself, not the topology: what matters is whether events arrive.
 *
 * <p>The probe write creates the document when missing ({@code data: {}}, rev 0, a new epoch) and
 * adopts one written without rev and epoch (by go-sse, or by hand) by giving it rev 0 and an epoch.
 *
 * <p>Threading: on the replica thread.
 */
final class Probe {

    private static final Logger log = LoggerFactory.getLogger(Probe.class);
    private static final long INTERVAL_MILLIS = 250;
    private static final SecureRandom RANDOM = new SecureRandom();

    private final MongoCollection<BsonDocument> collection;
    private final BsonValue documentId;
    private final ScheduledExecutorService executor;
    private String token;
    private volatile Throwable lastError;

    Probe(MongoCollection<BsonDocument> collection, BsonValue documentId, ScheduledExecutorService executor) {
        this.collection = collection;
        this.documentId = documentId;
        this.executor = executor;
    }

    /** Starts probing with a new token (a running probe is replaced). */
    void start() {
        token = random(8);
        write(token, 0);
    }

    /** True while probing. */
    boolean isRunning() {
        return token != null;
    }

    /** True (and the probing stops) when {@code e} carries the current token. */
    boolean isAnsweredBy(Event e) {
        if (token != null && e.probe() != null && e.probe().startsWith(token + ":")) {
            token = null;
            return true;
        }
        return false;
    }

    void stop() {
        token = null;
    }

    /** Why the last probe write failed, or null. */
    Throwable lastError() {
        return lastError;
    }

    /** Each write sets a new value ({@code <token>:<n>}): a write that changes nothing makes no event. */
    private void write(String t, int n) {
        if (!t.equals(token)) {
            return;
        }
        BsonDocument adopt = new BsonDocument("$set", new BsonDocument(Updates.REV, new BsonInt64(0))
                .append(Updates.EPOCH, new BsonString(newEpoch())));
        BsonDocument upsert = new BsonDocument("$setOnInsert", new BsonDocument(Deltas.DATA, new BsonDocument())
                .append(Updates.REV, new BsonInt64(0))
                .append(Updates.EPOCH, new BsonString(newEpoch())))
                .append("$set", new BsonDocument(Updates.PROBE, new BsonString(t + ":" + n)));
        Rx.first(collection.updateOne(Filters.and(Filters.eq("_id", documentId), Filters.or(
                        Filters.exists(Updates.EPOCH, false),
                        Filters.not(Filters.regex(Updates.EPOCH, "^" + StoredDocument.EPOCH.pattern() + "$")))),
                        adopt))
                .thenCompose(r -> Rx.first(collection.updateOne(Filters.eq("_id", documentId), upsert,
                        new UpdateOptions().upsert(true))))
                .whenComplete((r, e) -> {
                    if (e != null) {
                        log.debug("probe write failed", e);
                        lastError = Writer.unwrap(e);
                    }
                    executor.schedule(() -> write(t, n + 1), INTERVAL_MILLIS, TimeUnit.MILLISECONDS);
                });
    }

    /** The start failure when the probe never came back, or the server refused change streams. */
    static IllegalStateException noChangeStreams(MongoStoreConfig config, Throwable cause) {
        String reason = cause == null
                ? "no change stream event within " + config.probeTimeout().toMillis() + " ms of a probe write"
                : cause.getMessage();
        return new IllegalStateException("MongoDB change streams: unavailable at " + config.redactedConnectionString()
                + " " + config.dbName() + "." + config.collection() + ": " + reason
                + " (expected: a replica set or sharded cluster; a standalone mongod has no change streams:"
                + " start it with --replSet rs0 and run rs.initiate() once, or use STORE_TYPE=memory)", cause);
    }

    /** The start failure when no probe write reached MongoDB. */
    static IllegalStateException unreachable(MongoStoreConfig config, Throwable cause) {
        return new IllegalStateException("MongoDB: unreachable at " + config.redactedConnectionString()
                + " (" + cause.getMessage() + ") (expected: a running MongoDB replica set at"
                + " MONGO_URI, or MONGO_HOST and MONGO_PORT, with valid credentials)", cause);
    }

    /** A new epoch: 8 hex digits. */
    static String newEpoch() {
        return random(4);
    }

    private static String random(int bytes) {
        byte[] b = new byte[bytes];
        RANDOM.nextBytes(b);
        return HexFormat.of().formatHex(b);
    }
}

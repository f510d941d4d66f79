package io.jqsse.store.mongo;

import com.mongodb.ConnectionString;
import com.mongodb.MongoClientSettings;
import com.mongodb.MongoCommandException;
import com.mongodb.WriteConcern;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.UpdateOptions;
import com.mongodb.event.ClusterDescriptionChangedEvent;
import com.mongodb.event.ClusterListener;
import com.mongodb.reactivestreams.client.MongoClient;
import com.mongodb.reactivestreams.client.MongoClients;
import com.mongodb.reactivestreams.client.MongoCollection;
import io.jqsse.store.ChangeListener;
import io.jqsse.store.Commit;
import io.jqsse.store.DocumentStore;
import io.jqsse.store.Snapshot;
import io.jqsse.store.StoreHealth;
import io.jqsse.store.StoreUnavailableException;
import io.jqsse.store.Write;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.TimeUnit;
import org.bson.BsonDocument;
import org.bson.BsonInt64;
import org.bson.BsonString;
import org.bson.BsonValue;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The document in one MongoDB document {@code {_id, data, rev, epoch}}, with a local replica fed
 * by a change stream so that reads run at memory speed ({@code STORE_TYPE=mongo}).
 *
 * <p>Start-up probes the change stream rather than the topology: it opens the stream, writes a probe
 * token into the stored document (creating it when missing) until the token comes back on the
 * stream, and loads the replica from that event. A deployment without change streams (a standalone
 * mongod) fails {@link #start()} with a message saying how to fix it.
 *
 * <p>Writes are compare-and-swaps on rev (see {@code Writer}); a write's stage completes when the
 * change stream has brought its rev into the replica (read-your-writes), or, should the event not
 * come within {@link MongoStoreConfig#replicaTimeout()}, after a reload. While MongoDB is down,
 * writes fail with {@link StoreUnavailableException}, {@link #health()} says so, and the change
 * stream resumes from its token once MongoDB is back.
 *
 * <p>Threading: nothing here blocks the calling thread; driver callbacks hop to one replica thread
 * ({@code jq-sse-mongo-replica}) that owns the replica, calls the listener and completes write
 * stages: their dependent actions run on that thread unless the caller chooses an executor, and
 * must not block.
 */
public final class MongoStore implements DocumentStore {

    private static final Logger log = LoggerFactory.getLogger(MongoStore.class);
    private static final long PROBE_INTERVAL_MILLIS = 250;
    private static final String REPLICA_THREAD = "jq-sse-mongo-replica";
    private static final SecureRandom RANDOM = new SecureRandom();
    /**
     * "$changeStream is only supported on replica sets" (a standalone mongod), "Unrecognized pipeline
     * stage" (before 3.6), CommandNotSupported.
     */
    private static final List<Integer> NO_CHANGE_STREAMS = List.of(40573, 40324, 115);

    private final MongoStoreConfig config;
    private final BsonValue documentId;
    private final ScheduledExecutorService executor;
    private final Replica replica;
    private final CompletableFuture<Void> started = new CompletableFuture<>();
    private final AtomicBoolean starting = new AtomicBoolean();
    private final AtomicBoolean closing = new AtomicBoolean();
    private volatile boolean clusterWritable;
    private volatile MongoClient client;
    private MongoCollection<BsonDocument> collection;
    private volatile ChangeFollower follower;
    private volatile Writer writer;
    private String probeToken;
    private volatile Throwable lastProbeError;
    private boolean reloading;
    private boolean closed;

    public MongoStore(MongoStoreConfig config) {
        this.config = Objects.requireNonNull(config, "config");
        this.documentId = new BsonString(config.documentId());
        ScheduledThreadPoolExecutor pool = new ScheduledThreadPoolExecutor(1, r -> {
            Thread t = new Thread(r, REPLICA_THREAD);
            t.setDaemon(true);
            return t;
        });
        pool.setRemoveOnCancelPolicy(true);
        pool.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
        pool.setRejectedExecutionHandler(new ThreadPoolExecutor.DiscardPolicy());
        this.executor = pool;
        this.replica = new Replica(() -> executor.execute(this::reload), this::bumpRev, executor);
    }

    @Override
    public String type() {
        return "mongo";
    }

    @Override
    public CompletionStage<Void> start() {
        if (!starting.compareAndSet(false, true)) {
            return started;
        }
        executor.execute(() -> {
            try {
                connect();
                follower.open();
                executor.schedule(this::failStartIfNotLive, config.probeTimeout().toMillis(), TimeUnit.MILLISECONDS);
            } catch (RuntimeException e) {
                started.completeExceptionally(e);
            }
        });
        return started;
    }

    private void connect() {
        ConnectionString cs = new ConnectionString(config.connectionString());
        MongoClientSettings.Builder settings = MongoClientSettings.builder().applyConnectionString(cs)
                .applyToClusterSettings(b -> b.addClusterListener(new ClusterListener() {
                    @Override
                    public void clusterDescriptionChanged(ClusterDescriptionChangedEvent event) {
                        clusterWritable = event.getNewDescription().hasWritableServer();
                    }
                }));
        if (cs.getServerSelectionTimeout() == null) {
            settings.applyToClusterSettings(b -> b.serverSelectionTimeout(5, TimeUnit.SECONDS));
        }
        if (cs.getConnectTimeout() == null) {
            settings.applyToSocketSettings(b -> b.connectTimeout(5, TimeUnit.SECONDS));
        }
        client = MongoClients.create(settings.build());
        collection = client.getDatabase(config.dbName()).getCollection(config.collection(), BsonDocument.class)
                .withWriteConcern(writeConcern(config.writeConcern()));
        follower = new ChangeFollower(collection, documentId, executor, this::onEvent, this::onStreamError,
                this::resynchronize);
        writer = new Writer(collection, documentId, replica, config.maxDocumentBytes(), new Writer.Outcomes() {
            @Override
            public CompletableFuture<Commit> acknowledged(Write write, Commit commit) {
                return MongoStore.this.acknowledged(write, commit);
            }

            @Override
            public void notCommitted(long rev) {
                executor.execute(() -> replica.notCommitted(rev));
            }
        });
    }

    static WriteConcern writeConcern(String name) {
        if (name.equals("majority")) {
            return WriteConcern.MAJORITY;
        }
        if (Character.isDigit(name.charAt(0))) {
            return new WriteConcern(Integer.parseInt(name));
        }
        return Objects.requireNonNull(WriteConcern.valueOf(name), name);
    }

    /** The stream was opened without a resume token: probe until our token comes back, then load from it. */
    private void resynchronize() {
        probeToken = HexFormat.of().formatHex(randomBytes(8));
        probe(probeToken, 0);
    }

    /**
     * Each probe writes a new value (a write that changes nothing makes no event): {@code <token>:<n>}.
     * It creates the document when missing, and adopts one written without rev and epoch (by go-sse
     * or by hand) by giving it rev 0 and an epoch.
     */
    private void probe(String token, int n) {
        if (closed || !token.equals(probeToken)) {
            return;
        }
        BsonDocument adopt = new BsonDocument("$set", new BsonDocument(Updates.REV, new BsonInt64(0))
                .append(Updates.EPOCH, new BsonString(newEpoch())));
        BsonDocument upsert = new BsonDocument("$setOnInsert", new BsonDocument(Deltas.DATA, new BsonDocument())
                .append(Updates.REV, new BsonInt64(0))
                .append(Updates.EPOCH, new BsonString(newEpoch())))
                .append("$set", new BsonDocument(Updates.PROBE, new BsonString(token + ":" + n)));
        Rx.first(collection.updateOne(Filters.and(Filters.eq("_id", documentId), Filters.exists(Updates.EPOCH, false)),
                        adopt))
                .thenCompose(r -> Rx.first(collection.updateOne(Filters.eq("_id", documentId), upsert,
                        new UpdateOptions().upsert(true))))
                .whenComplete((r, e) -> {
                    if (e != null) {
                        log.debug("probe write failed", e);
                        lastProbeError = Writer.unwrap(e);
                    }
                    executor.schedule(() -> probe(token, n + 1), PROBE_INTERVAL_MILLIS, TimeUnit.MILLISECONDS);
                });
    }

    private void onEvent(Event e) {
        if (probeToken != null && e.probe() != null && e.probe().startsWith(probeToken + ":")) {
            probeToken = null;
            if (e.full() != null) {
                replica.load(e.full());
            } else {
                reload();
            }
            if (replica.snapshot() != null) {
                started.complete(null);
            }
            return;
        }
        replica.onEvent(e);
    }

    private void onStreamError(Throwable t) {
        if (!started.isDone() && t instanceof MongoCommandException
                && NO_CHANGE_STREAMS.contains(((MongoCommandException) t).getErrorCode())) {
            started.completeExceptionally(noChangeStreams(t));
            probeToken = null;
            follower.close();
        }
    }

    private void failStartIfNotLive() {
        if (!started.isDone()) {
            Throwable unreachable = lastProbeError;
            started.completeExceptionally(unreachable == null ? noChangeStreams(null)
                    : new IllegalStateException("MongoDB: unreachable at " + config.redactedConnectionString()
                            + " (" + unreachable.getMessage() + ") (expected: a running MongoDB replica set at"
                            + " MONGO_URI, or MONGO_HOST and MONGO_PORT, with valid credentials)", unreachable));
            probeToken = null;
            follower.close();
        }
    }

    private IllegalStateException noChangeStreams(Throwable cause) {
        String reason = cause == null
                ? "no change stream event within " + config.probeTimeout().toMillis() + " ms of a probe write"
                : cause.getMessage();
        return new IllegalStateException("MongoDB change streams: unavailable at " + config.redactedConnectionString()
                + " " + config.dbName() + "." + config.collection() + ": " + reason
                + " (expected: a replica set or sharded cluster; a standalone mongod has no change streams:"
                + " start it with --replSet rs0 and run rs.initiate() once, or use STORE_TYPE=memory)", cause);
    }

    /** Reads the stored document again and hands it to the replica; coalesced, retried while down. */
    private void reload() {
        if (reloading || closed) {
            return;
        }
        reloading = true;
        Rx.first(collection.find(Filters.eq("_id", documentId)).first()).whenComplete((doc, e) -> executor.execute(() -> {
            reloading = false;
            StoredDocument stored = e == null ? StoredDocument.of(doc) : null;
            if (stored != null) {
                replica.load(stored);
                if (probeToken == null && !started.isDone()) {
                    started.complete(null);
                }
            } else if (!closed) {
                if (e == null && probeToken == null) {
                    resynchronize();
                }
                executor.schedule(this::reload, 500, TimeUnit.MILLISECONDS);
            }
        }));
    }

    /** Gives a change that another writer made without incrementing rev a rev of its own. */
    private void bumpRev(long rev) {
        Snapshot s = replica.snapshot();
        Rx.first(collection.updateOne(Filters.and(Filters.eq("_id", documentId), Filters.eq(Updates.REV, rev),
                        Filters.eq(Updates.EPOCH, s.epoch())), new BsonDocument("$inc",
                        new BsonDocument(Updates.REV, new org.bson.BsonInt32(1)))))
                .whenComplete((r, e) -> {
                    if (e != null) {
                        log.debug("rev {}: could not be moved on; reloading", rev, e);
                        executor.execute(this::reload);
                    }
                });
    }

    private CompletableFuture<Commit> acknowledged(Write write, Commit commit) {
        CompletableFuture<Commit> future = new CompletableFuture<>();
        if (executor.isShutdown()) {
            future.completeExceptionally(new StoreUnavailableException("store: closed (expected: an open store)"));
            return future;
        }
        executor.execute(() -> {
            replica.register(new Replica.Pending(write, commit, future));
            if (!future.isDone()) {
                long timeout = config.replicaTimeout().toMillis();
                executor.schedule(() -> {
                    if (replica.isPending(commit.rev())) {
                        reload();
                        executor.schedule(() -> replica.giveUp(commit.rev()), timeout, TimeUnit.MILLISECONDS);
                    }
                }, timeout, TimeUnit.MILLISECONDS);
            }
        });
        return future;
    }

    @Override
    public Snapshot snapshot() {
        Snapshot s = replica.snapshot();
        if (s == null) {
            throw new IllegalStateException("snapshot: none (expected: start() completed first)");
        }
        return s;
    }

    @Override
    public CompletionStage<Commit> write(Write write, long expectedRev) {
        Objects.requireNonNull(write, "write");
        if (replica.snapshot() == null || writer == null) {
            return CompletableFuture.failedFuture(new StoreUnavailableException("store: not started (expected: start() completed)"));
        }
        return writer.write(write, expectedRev);
    }

    @Override
    public Snapshot subscribe(ChangeListener listener) {
        Objects.requireNonNull(listener, "listener");
        Snapshot s = replica.subscribe(listener);
        if (s == null) {
            throw new IllegalStateException("subscribe: before start (expected: start() completed first)");
        }
        return s;
    }

    @Override
    public StoreHealth health() {
        if (!clusterWritable) {
            return StoreHealth.unavailable("MongoDB unreachable at " + config.redactedConnectionString());
        }
        ChangeFollower f = follower;
        if (f != null && !f.isHealthy()) {
            return StoreHealth.unavailable("MongoDB change stream interrupted; resuming");
        }
        return StoreHealth.OK;
    }

    @Override
    public long maxDocumentBytes() {
        return config.maxDocumentBytes();
    }

    @Override
    public void close() {
        if (!closing.compareAndSet(false, true)) {
            return;
        }
        CompletableFuture<Void> done = new CompletableFuture<>();
        executor.execute(() -> {
            closed = true;
            if (follower != null) {
                follower.close();
            }
            replica.failPending(new StoreUnavailableException("store: closed (expected: an open store)"));
            started.completeExceptionally(new StoreUnavailableException("store: closed before it started"));
            done.complete(null);
        });
        executor.shutdown();
        if (!Thread.currentThread().getName().equals(REPLICA_THREAD)) {
            done.join();
        }
        if (client != null) {
            client.close();
        }
    }

    private static String newEpoch() {
        return HexFormat.of().formatHex(randomBytes(4));
    }

    private static byte[] randomBytes(int n) {
        byte[] b = new byte[n];
        RANDOM.nextBytes(b);
        return b;
    }
}

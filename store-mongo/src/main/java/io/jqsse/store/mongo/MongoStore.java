package io.jqsse.store.mongo;

import com.mongodb.ConnectionString;
import com.mongodb.MongoClientSettings;
import com.mongodb.MongoCommandException;
import com.mongodb.WriteConcern;
import com.mongodb.client.model.Filters;
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
    private static final String REPLICA_THREAD = "jq-sse-mongo-replica";
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
    private Probe probe;
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
        probe = new Probe(collection, documentId, executor);
        follower = new ChangeFollower(collection, documentId, executor, this::onEvent, this::onStreamError,
                probe::start);
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

    private void onEvent(Event e) {
        if (probe.isAnsweredBy(e)) {
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
            started.completeExceptionally(Probe.noChangeStreams(config, t));
            probe.stop();
            follower.close();
        }
    }

    private void failStartIfNotLive() {
        if (!started.isDone()) {
            Throwable unreachable = probe.lastError();
            started.completeExceptionally(unreachable == null ? Probe.noChangeStreams(config, null)
                    : Probe.unreachable(config, unreachable));
            probe.stop();
            follower.close();
        }
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
                if (!probe.isRunning() && !started.isDone()) {
                    started.complete(null);
                }
            } else if (!closed) {
                if (e == null && !probe.isRunning()) {
                    probe.start();
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
            if (probe != null) {
                probe.stop();
            }
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
}

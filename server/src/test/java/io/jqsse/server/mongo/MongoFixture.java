package io.jqsse.server.mongo;

import com.mongodb.client.model.Filters;
import com.mongodb.reactivestreams.client.MongoClient;
import com.mongodb.reactivestreams.client.MongoClients;
import com.mongodb.reactivestreams.client.MongoCollection;
import de.bwaldvogel.mongo.MongoServer;
import de.bwaldvogel.mongo.backend.memory.MemoryBackend;
import io.jqsse.store.mongo.InProcessMongo;
import io.jqsse.store.mongo.MongoStore;
import io.jqsse.store.mongo.MongoStoreConfig;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import org.bson.BsonDocument;
import org.bson.conversions.Bson;
import org.reactivestreams.Publisher;
import org.reactivestreams.Subscriber;
import org.reactivestreams.Subscription;

/**
 * The MongoDB behind these tests, and the only class that knows which one it is: the in-process
 * mongo-java-server with its oplog enabled (change streams work) on 127.0.0.1 and a free port, or
 * the real MongoDB of {@code -Dmongo.uri=...} (a replica set: change streams need one). Each
 * backend names one fresh document in a fresh collection; every store made here shares it.
 *
 * <p>The in-process server can be stopped and served again on the same port (its backend keeps the
 * data and the oplog), which a real MongoDB cannot do from a test: {@link #canRestart()} says which.
 */
final class MongoFixture implements AutoCloseable {

    static final String URI_PROPERTY = "mongo.uri";
    static final Duration DRIVER_WAIT = Duration.ofSeconds(10);
    private static final AtomicInteger DOCUMENTS = new AtomicInteger();

    private final MemoryBackend backend;
    private final String collection = "server_" + Long.toHexString(System.nanoTime());
    private final String documentId = "doc-" + DOCUMENTS.incrementAndGet();
    private MongoServer server;
    private int port;
    private MongoClient driver;

    private MongoFixture(MemoryBackend backend) {
        this.backend = backend;
    }

    /** The in-process server, or the real MongoDB when {@code -Dmongo.uri} is set. */
    static MongoFixture start() {
        if (realUri() != null) {
            return new MongoFixture(null);
        }
        MongoFixture b = new MongoFixture(InProcessMongo.newBackend());
        b.backend.enableOplog();
        b.bind(0);
        return b;
    }

    private static String realUri() {
        String uri = System.getProperty(URI_PROPERTY);
        return uri == null || uri.isBlank() ? null : uri;
    }

    private void bind(int onPort) {
        server = new MongoServer(InProcessMongo.survivingShutdown(backend));
        server.bind(new InetSocketAddress("127.0.0.1", onPort));
        port = server.getLocalAddress().getPort();
    }

    /** True for the in-process server, which {@link #stop()} and {@link #restart()} control. */
    boolean canRestart() {
        return backend != null;
    }

    /** Stops serving: every connection drops, new ones are refused; the data and the oplog stay. */
    void stop() {
        requireInProcess();
        server.shutdownNow();
    }

    /** Serves the same data and oplog again on the same port. */
    void restart() {
        requireInProcess();
        bind(port);
    }

    private void requireInProcess() {
        if (backend == null) {
            throw new IllegalStateException("backend: " + realUri() + " (expected: the in-process server to restart)");
        }
    }

    /**
     * The connection string. In process it fails fast while the server is down (server selection
     * 2 s, a heartbeat every 500 ms) so that tests see 503 and recovery within seconds.
     */
    String uri() {
        return backend == null ? realUri()
                : "mongodb://127.0.0.1:" + port + "/?serverSelectionTimeoutMS=2000&heartbeatFrequencyMS=500"
                + "&connectTimeoutMS=1000";
    }

    /** A store on this backend's document; each call makes a new one (one per jq-sse instance). */
    MongoStore newStore() {
        return new MongoStore(MongoStoreConfig.builder().uri(uri()).dbName("jqsse_server_test")
                .collection(collection).documentId(documentId)
                .writeConcern(backend != null ? "acknowledged" : "majority")
                .probeTimeout(Duration.ofSeconds(backend != null ? 5 : 15))
                .build());
    }

    /** One update made directly with the driver on the stored document {@code {_id, data, rev, epoch}}. */
    long updateDirectly(Bson update) {
        return await(collection().updateOne(Filters.eq("_id", documentId), update)).getModifiedCount();
    }

    /** The stored document as the driver reads it. */
    BsonDocument read() {
        return await(collection().find(Filters.eq("_id", documentId)).first());
    }

    private MongoCollection<BsonDocument> collection() {
        if (driver == null) {
            driver = MongoClients.create(uri());
        }
        return driver.getDatabase("jqsse_server_test").getCollection(collection, BsonDocument.class);
    }

    /** The first item of {@code publisher} (null when it completes empty), within {@link #DRIVER_WAIT}. */
    static <T> T await(Publisher<T> publisher) {
        CompletableFuture<T> first = new CompletableFuture<>();
        publisher.subscribe(new Subscriber<T>() {
            @Override
            public void onSubscribe(Subscription s) {
                s.request(1);
            }

            @Override
            public void onNext(T t) {
                first.complete(t);
            }

            @Override
            public void onError(Throwable t) {
                first.completeExceptionally(t);
            }

            @Override
            public void onComplete() {
                first.complete(null);
            }
        });
        try {
            return first.get(DRIVER_WAIT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            throw new IllegalStateException("driver: " + e.getCause(), e.getCause());
        } catch (TimeoutException e) {
            throw new IllegalStateException("driver: no answer within " + DRIVER_WAIT, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() {
        if (driver != null) {
            if (backend == null) {
                await(collection().drop());
            }
            driver.close();
        }
        if (server != null) {
            server.shutdownNow();
            backend.close();
        }
    }
}

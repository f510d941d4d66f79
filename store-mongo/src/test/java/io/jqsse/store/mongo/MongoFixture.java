package io.jqsse.store.mongo;

import de.bwaldvogel.mongo.MongoServer;
import de.bwaldvogel.mongo.backend.memory.MemoryBackend;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The MongoDB the tests run against: the in-process mongo-java-server (with its oplog, so change
 * streams work) bound to 127.0.0.1 on a free port, or a real MongoDB when {@code -Dmongo.uri=...}
 * is given. Each {@link #config()} names a fresh document, so tests never see each other's writes.
 */
final class MongoFixture implements AutoCloseable {

    static final String URI_PROPERTY = "mongo.uri";
    private static final AtomicInteger DOCUMENTS = new AtomicInteger();

    private final MemoryBackend backend;
    private final String collection = "test_" + Long.toHexString(System.nanoTime());
    private MongoServer server;
    private InetSocketAddress address;
    private String lastDocumentId;

    private MongoFixture(MemoryBackend backend) {
        this.backend = backend;
    }

    /** The in-process server with an oplog, or the real one of {@code -Dmongo.uri}. */
    static MongoFixture start() {
        MemoryBackend backend = null;
        if (realUri() == null) {
            backend = InProcessMongo.newBackend();
            backend.enableOplog();
        }
        MongoFixture f = new MongoFixture(backend);
        if (f.backend != null) {
            f.bind(0);
        }
        return f;
    }

    /** An in-process server WITHOUT an oplog: it accepts change streams that never deliver anything. */
    static MongoFixture withoutOplog() {
        MongoFixture f = new MongoFixture(InProcessMongo.newBackend());
        f.bind(0);
        return f;
    }

    static String realUri() {
        String uri = System.getProperty(URI_PROPERTY);
        return uri == null || uri.isBlank() ? null : uri;
    }

    boolean isInProcess() {
        return backend != null;
    }

    private void bind(int port) {
        server = new MongoServer(InProcessMongo.survivingShutdown(backend));
        server.bind(new InetSocketAddress("127.0.0.1", port));
        address = server.getLocalAddress();
    }

    /** Stops the in-process server and drops every connection; the backend keeps the data and the oplog. */
    void stopServer() {
        server.shutdownNow();
    }

    /** Serves the same backend again on the same port. */
    void restartServer() {
        bind(address.getPort());
    }

    String uri() {
        return isInProcess() ? "mongodb://127.0.0.1:" + address.getPort() + "/" : realUri();
    }

    /** A config naming a fresh document in this fixture's collection. */
    MongoStoreConfig.Builder config() {
        lastDocumentId = "doc-" + DOCUMENTS.incrementAndGet();
        return sameDocument();
    }

    /** A config naming the document of the last {@link #config()}. */
    MongoStoreConfig.Builder sameDocument() {
        return MongoStoreConfig.builder().uri(uri()).dbName("jqsse_test").collection(collection)
                .documentId(lastDocumentId).writeConcern(isInProcess() ? "acknowledged" : "majority")
                .probeTimeout(Duration.ofSeconds(isInProcess() ? 3 : 10));
    }

    String collection() {
        return collection;
    }

    String lastDocumentId() {
        return lastDocumentId;
    }

    @Override
    public void close() {
        if (server != null) {
            server.shutdownNow();
        }
        if (backend != null) {
            backend.close();
        }
    }
}

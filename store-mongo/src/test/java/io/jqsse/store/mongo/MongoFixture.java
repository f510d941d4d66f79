package io.jqsse.store.mongo;

import de.bwaldvogel.mongo.MongoBackend;
import de.bwaldvogel.mongo.MongoServer;
import de.bwaldvogel.mongo.MongoVersion;
import de.bwaldvogel.mongo.bson.Document;
import de.bwaldvogel.mongo.backend.memory.MemoryBackend;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
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
            backend = newBackend();
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
        MongoFixture f = new MongoFixture(newBackend());
        f.bind(0);
        return f;
    }

    /**
     * A memory backend that reports MongoDB 4.0 (wire version 7), the oldest the 5.x driver talks to;
     * mongo-java-server 1.45 reports 3.6 by default.
     */
    private static MemoryBackend newBackend() {
        MemoryBackend backend = new MemoryBackend();
        backend.version(new MongoVersion() {
            @Override
            public List<Integer> getVersionArray() {
                return List.of(4, 0, 0);
            }

            @Override
            public int getWireVersion() {
                return 7;
            }
        });
        return backend;
    }

    static String realUri() {
        String uri = System.getProperty(URI_PROPERTY);
        return uri == null || uri.isBlank() ? null : uri;
    }

    boolean isInProcess() {
        return backend != null;
    }

    private void bind(int port) {
        server = new MongoServer(survivingShutdown(backend));
        server.bind(new InetSocketAddress("127.0.0.1", port));
        address = server.getLocalAddress();
    }

    /**
     * The backend as a server sees it, with two differences. {@code close()} does nothing:
     * {@link MongoServer#shutdownNow()} closes its backend, and a restart must find the data and the
     * oplog where they were. And commands run one at a time, their replies deep-copied before the
     * next one starts: mongo-java-server applies an update in place while other commands' replies
     * (an {@code updateLookup}, a {@code find}) still refer to the same document and are encoded
     * later, so without this a reader could see a new rev with old data, which a real MongoDB never
     * shows.
     */
    private static MongoBackend survivingShutdown(MongoBackend backend) {
        return (MongoBackend) Proxy.newProxyInstance(MongoBackend.class.getClassLoader(),
                new Class<?>[] {MongoBackend.class}, (proxy, method, args) -> {
                    if (method.getName().equals("close") && method.getParameterCount() == 0) {
                        return null;
                    }
                    synchronized (backend) {
                        try {
                            Object result = method.invoke(backend, args);
                            return result instanceof Document ? ((Document) result).cloneDeeply() : result;
                        } catch (InvocationTargetException e) {
                            throw e.getCause();
                        }
                    }
                });
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

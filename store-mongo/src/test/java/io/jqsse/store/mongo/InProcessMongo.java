package io.jqsse.store.mongo;

import de.bwaldvogel.mongo.MongoBackend;
import de.bwaldvogel.mongo.MongoVersion;
import de.bwaldvogel.mongo.backend.memory.MemoryBackend;
import de.bwaldvogel.mongo.bson.Document;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.util.List;

/**
 * The in-process MongoDB (mongo-java-server) as the tests of this module and of the server use it;
 * shared through this module's test jar.
 */
public final class InProcessMongo {

    private InProcessMongo() {
    }

    /**
     * A memory backend that reports MongoDB 4.0 (wire version 7), the oldest the 5.x driver talks to;
     * mongo-java-server 1.45 reports 3.6 by default.
     */
    public static MemoryBackend newBackend() {
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

    /**
     * The backend as a server sees it, with two differences. {@code close()} does nothing:
     * {@code MongoServer.shutdownNow()} closes its backend, and a restart must find the data and the
     * oplog where they were (as a real mongod keeps its data files). And commands run one at a time,
     * their replies deep-copied before the next one starts: mongo-java-server applies an update in
     * place while other commands' replies (an {@code updateLookup}, a {@code find}) still refer to
     * the same document and are encoded later, so without this a reader could see a new rev with old
     * data, which a real MongoDB never shows.
     */
    public static MongoBackend survivingShutdown(MongoBackend backend) {
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
}

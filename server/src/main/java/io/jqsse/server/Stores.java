package io.jqsse.server;

import io.jqsse.store.DocumentStore;
import io.jqsse.store.memory.MemoryStore;
import java.util.Locale;

/** Makes the store that {@code STORE_TYPE} names when the embedder gives none. */
final class Stores {

    private Stores() {
    }

    static DocumentStore fromConfig(ServerConfig config) {
        String type = config.storeType().trim().toLowerCase(Locale.ROOT);
        switch (type) {
            case "memory":
                return new MemoryStore();
            case "mongo":
                throw new IllegalArgumentException("storeType: mongo (expected: memory; this build of jq-sse has no"
                        + " MongoDB store, pass one to JqSseServer.builder().store(...))");
            default:
                throw new IllegalArgumentException("storeType: " + config.storeType() + " (expected: memory or mongo)");
        }
    }
}

package io.jqsse.server;

import io.jqsse.store.DocumentStore;
import io.jqsse.store.memory.MemoryStore;
import io.jqsse.store.mongo.MongoStore;
import io.jqsse.store.mongo.MongoStoreConfig;
import java.util.Locale;

/** Makes the store that {@code STORE_TYPE} names when the embedder gives none. */
final class Stores {

    private Stores() {
    }

    /** @throws IllegalArgumentException for an unknown store type or invalid {@code MONGO_*} settings */
    static DocumentStore fromConfig(ServerConfig config) {
        String type = config.storeType().trim().toLowerCase(Locale.ROOT);
        return switch (type) {
            case "memory" -> new MemoryStore();
            case "mongo" -> new MongoStore(mongo(config.mongo()));
            default -> throw new IllegalArgumentException("storeType: " + config.storeType()
                    + " (expected: memory or mongo)");
        };
    }

    static MongoStoreConfig mongo(ServerConfig.Mongo m) {
        return MongoStoreConfig.builder()
                .uri(blankToNull(m.uri()))
                .host(m.host())
                .port(m.port())
                .user(blankToNull(m.user()))
                .password(blankToNull(m.password()))
                .authDb(blankToNull(m.authDb()))
                .dbName(m.dbName())
                .collection(m.collection())
                .documentId(m.documentId())
                .writeConcern(m.writeConcern())
                .build();
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s;
    }
}

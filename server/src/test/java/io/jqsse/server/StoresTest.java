package io.jqsse.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.jqsse.store.DocumentStore;
import io.jqsse.store.mongo.MongoStoreConfig;
import org.junit.jupiter.api.Test;

class StoresTest {

    @Test
    void memoryIsTheDefaultStore() {
        try (DocumentStore store = Stores.fromConfig(ServerConfig.defaults())) {
            assertEquals("memory", store.type());
        }
    }

    @Test
    void mongoStoreTypeMakesAMongoStoreFromTheMongoSettings() {
        ServerConfig config = ServerConfig.builder().storeType("mongo").mongo(new ServerConfig.Mongo(null, "db.example",
                27018, "u", "p", "admin", "gosse", "kv_store", "main", "majority")).build();
        try (DocumentStore store = Stores.fromConfig(config)) {
            assertEquals("mongo", store.type());
        }
        MongoStoreConfig m = Stores.mongo(config.mongo());
        assertEquals("db.example", m.host());
        assertEquals(27018, m.port());
        assertEquals("u", m.user());
        assertEquals("majority", m.writeConcern());
    }

    @Test
    void blankMongoSettingsCountAsUnset() {
        MongoStoreConfig m = Stores.mongo(new ServerConfig.Mongo("", "localhost", 27017, " ", "", "admin", "gosse",
                "kv_store", "main", "majority"));
        assertNull(m.uri());
        assertNull(m.user());
        assertNull(m.password());
    }

    @Test
    void unknownStoreTypeIsRejectedNamingTheSetting() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Stores.fromConfig(ServerConfig.builder().storeType("redis").build()));
        assertEquals("storeType: redis (expected: memory or mongo)", e.getMessage());
    }
}

package io.jqsse.store.mongo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.mongodb.ConnectionString;
import com.mongodb.WriteConcern;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;

class MongoStoreConfigTest {

    @Test
    void defaultsAreTheGoSseOnes() {
        MongoStoreConfig c = MongoStoreConfig.builder().build();
        assertEquals("gosse", c.dbName());
        assertEquals("kv_store", c.collection());
        assertEquals("main", c.documentId());
        assertEquals("majority", c.writeConcern());
        assertEquals(16L * 1024 * 1024, c.maxDocumentBytes());
        assertEquals("mongodb://localhost:27017/", c.connectionString());
    }

    @Test
    void partsBuildAConnectionStringWithUrlEncodedCredentials() {
        MongoStoreConfig c = MongoStoreConfig.builder().host("db.example").port(27018).user("ann@corp")
                .password("p@ss:w/rd %x").authDb("admin").build();
        assertEquals("mongodb://ann%40corp:p%40ss%3Aw%2Frd%20%25x@db.example:27018/?authSource=admin",
                c.connectionString());
        ConnectionString parsed = new ConnectionString(c.connectionString());
        assertEquals("ann@corp", parsed.getCredential().getUserName());
        assertEquals("p@ss:w/rd %x", new String(parsed.getCredential().getPassword()));
        assertEquals("admin", parsed.getCredential().getSource());
    }

    @Test
    void uriWinsOverThePartsAndPasswordsNeverShowInText() {
        MongoStoreConfig c = MongoStoreConfig.builder().uri("mongodb://u:secret@h1,h2/?replicaSet=rs0")
                .host("ignored").build();
        assertEquals("mongodb://u:secret@h1,h2/?replicaSet=rs0", c.connectionString());
        assertEquals("mongodb://u:***@h1,h2/?replicaSet=rs0", c.redactedConnectionString());
        assertFalse(c.toString().contains("secret"), c.toString());
    }

    @Test
    void authDbWithoutAUserIsLeftOut() {
        assertEquals("mongodb://localhost:27017/", MongoStoreConfig.builder().authDb("admin").build().connectionString());
    }

    static Stream<Arguments> invalidSettings() {
        return Stream.of(
                Arguments.of("uri: http://x (expected: a mongodb:// or mongodb+srv:// connection string)",
                        (UnaryOperator<MongoStoreConfig.Builder>) b -> b.uri("http://x")),
                Arguments.of("port: 0 (expected: 1..65535)",
                        (UnaryOperator<MongoStoreConfig.Builder>) b -> b.port(0)),
                Arguments.of("dbName: a.b (expected: 1..63 characters, none of /\\. \"$*<>:|?)",
                        (UnaryOperator<MongoStoreConfig.Builder>) b -> b.dbName("a.b")),
                Arguments.of("collection: system.x (expected: a non-empty name without $, not system.*)",
                        (UnaryOperator<MongoStoreConfig.Builder>) b -> b.collection("system.x")),
                Arguments.of("documentId:  (expected: a non-empty string)",
                        (UnaryOperator<MongoStoreConfig.Builder>) b -> b.documentId("")),
                Arguments.of("writeConcern: most (expected: majority, a number of nodes, acknowledged,"
                                + " unacknowledged, journaled, w1, w2 or w3)",
                        (UnaryOperator<MongoStoreConfig.Builder>) b -> b.writeConcern("most")),
                Arguments.of("maxDocumentBytes: 16777217 (expected: 1..16777216)",
                        (UnaryOperator<MongoStoreConfig.Builder>) b -> b.maxDocumentBytes(16L * 1024 * 1024 + 1)),
                Arguments.of("password: *** (expected: no password without a user)",
                        (UnaryOperator<MongoStoreConfig.Builder>) b -> b.password("x")));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("invalidSettings")
    void invalidSettingIsRefusedWithItsNameValueAndExpectation(String message,
                                                                UnaryOperator<MongoStoreConfig.Builder> change) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> change.apply(MongoStoreConfig.builder()).build());
        assertEquals(message, e.getMessage());
    }

    @ParameterizedTest
    @CsvSource({"majority, majority", "1, 1", "2, 2", "acknowledged, server default", "w1, 1",
        "journaled, server default"})
    void writeConcernNamesMapOntoTheDriver(String name, String w) {
        WriteConcern wc = MongoStore.writeConcern(name);
        assertEquals(w, wc.getWObject() == null ? "server default" : wc.getWObject().toString());
        assertTrue(wc.isAcknowledged());
    }

    @Test
    void toBuilderKeepsEverySetting() {
        MongoStoreConfig c = MongoStoreConfig.builder().uri("mongodb://h/").dbName("d").collection("c")
                .documentId("x").writeConcern("2").maxDocumentBytes(1000).build();
        assertEquals(c, c.toBuilder().build());
    }
}

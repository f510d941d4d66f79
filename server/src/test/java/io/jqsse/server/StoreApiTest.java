package io.jqsse.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.jqsse.server.TestClient.Reply;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The HTTP API over real sockets, starting with the go-sse README's curl examples. */
class StoreApiTest {

    private JqSseServer server;
    private TestClient client;

    @BeforeEach
    void start() {
        server = JqSseServer.builder().config(ServerConfig.builder().host("127.0.0.1").port(0).build()).build().start();
        client = new TestClient(server.port());
    }

    @AfterEach
    void stop() {
        server.close();
    }

    static JsonNode json(String text) {
        try {
            return TestClient.JSON.readTree(text);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    @Test
    void goSseReadmeExamplesWork() {
        Reply post = client.json("POST", "/store", BadInputTest.USERS);
        assertEquals(200, post.status(), post.body());
        assertEquals("success", post.json().path("status").asText());
        assertEquals(BadInputTest.USERS.length(), post.json().path("data").path("size_bytes").asInt());
        assertTrue(post.json().path("data").path("timestamp").asLong() > 1_600_000_000L, post.body());
        long rev = post.json().path("data").path("rev").asLong();

        Reply patch = client.json("PATCH", "/store?path=" + BadInputTest.enc(".data.users[0].status"), "\"away\"");
        assertEquals(200, patch.status(), patch.body());
        assertEquals(rev + 1, patch.json().path("data").path("rev").asLong());

        Reply users = client.get("/store?path=" + BadInputTest.enc(".data.users[*]"));
        assertEquals(200, users.status(), users.body());
        assertEquals(json("[{\"id\":1,\"name\":\"Alice\",\"status\":\"away\"},"
                + "{\"id\":2,\"name\":\"Bob\",\"status\":\"offline\"}]"), users.json());
        assertEquals(json("[\"Alice\",\"Bob\"]"),
                client.get("/store?path=" + BadInputTest.enc(".data.users[*].name")).json());
        assertEquals(json("\"away\""), client.get("/store?path=" + BadInputTest.enc(".data.users[0].status")).json());
    }

    @Test
    void getWithoutPathReturnsTheWholeDocumentWithItsEtag() {
        client.json("POST", "/store", BadInputTest.USERS);
        Reply r = client.get("/store");
        assertEquals(json(BadInputTest.USERS), r.json());
        assertEquals("application/json", r.header("content-type").orElseThrow());
        assertTrue(r.header("etag").orElseThrow().matches("\"[^\":]+:\\d+\""), r.headers().toString());
    }

    @Test
    void ifNoneMatchWithTheCurrentEtagGets304() {
        String etag = client.get("/store").header("etag").orElseThrow();
        Reply r = client.get("/store", "If-None-Match", etag);
        assertEquals(304, r.status());
        assertEquals(etag, r.header("etag").orElseThrow());
        client.json("PUT", "/store?path=.a", "1");
        assertEquals(200, client.get("/store", "If-None-Match", etag).status());
    }

    @Test
    void plainPathThatDoesNotExistGetsNotFound() {
        client.json("POST", "/store", BadInputTest.USERS);
        client.get("/store?path=" + BadInputTest.enc(".data.nobody")).assertError(404, "not_found");
        client.get("/store?path=" + BadInputTest.enc(".data.users[7]")).assertError(404, "not_found");
    }

    @Test
    void patternTrueListsEveryLocationWithItsCanonicalPath() {
        client.json("POST", "/store", BadInputTest.USERS);
        Reply r = client.get("/store?pattern=true&path=" + BadInputTest.enc(".data.users[*].status"));
        assertEquals(200, r.status(), r.body());
        assertEquals(json("[{\"path\":\".data.users[0].status\",\"value\":\"online\"},"
                + "{\"path\":\".data.users[1].status\",\"value\":\"offline\"}]"), r.json());
    }

    @Test
    void putSetsAValueCreatingMissingParentsLikeJqSetpath() {
        assertEquals(200, client.json("PUT", "/store?path=" + BadInputTest.enc(".a.b[0]"), "\"x\"").status());
        assertEquals(200, client.json("PUT", "/store?path=" + BadInputTest.enc(".a.b[1]"), "\"y\"").status());
        client.json("PUT", "/store?path=" + BadInputTest.enc(".a.b[3]"), "\"z\"").assertError(409, "path_conflict");
        assertEquals(200, client.json("PUT", "/store?path=" + BadInputTest.enc(".a.c.d"), "{}").status());
        assertEquals(json("{\"a\":{\"b\":[\"x\",\"y\"],\"c\":{\"d\":{}}}}"), client.get("/store").json());
    }

    @Test
    void deleteRemovesTheValueAndThenGetsNotFound() {
        client.json("POST", "/store", BadInputTest.USERS);
        Reply r = client.send("DELETE", "/store?path=" + BadInputTest.enc(".data.config"), null, null);
        assertEquals(200, r.status(), r.body());
        assertFalse(client.get("/store").json().path("data").has("config"));
        client.send("DELETE", "/store?path=" + BadInputTest.enc(".data.config"), null, null)
                .assertError(404, "not_found");
    }

    @Test
    void mergePatchMergesAtThePathOrTheRoot() {
        client.json("POST", "/store", "{\"a\":{\"x\":1,\"y\":2}}");
        Reply r = client.send("PATCH", "/store?path=.a", "application/merge-patch+json", "{\"x\":null,\"z\":3}");
        assertEquals(200, r.status(), r.body());
        assertEquals(json("{\"a\":{\"y\":2,\"z\":3}}"), client.get("/store").json());
        assertEquals(200, client.send("PATCH", "/store", "application/merge-patch+json", "{\"b\":true}").status());
        assertEquals(json("{\"a\":{\"y\":2,\"z\":3},\"b\":true}"), client.get("/store").json());
    }

    @Test
    void jsonPatchAppliesAllOperationsOrNone() {
        client.json("POST", "/store", "{\"a\":[1,2]}");
        String ok = "[{\"op\":\"add\",\"path\":\"/a/-\",\"value\":3},{\"op\":\"replace\",\"path\":\"/b\",\"value\":0}]";
        Reply failed = client.send("PATCH", "/store", "application/json-patch+json", ok);
        assertTrue(failed.status() >= 400, "replace of a missing member fails: " + failed.body());
        assertEquals(json("{\"a\":[1,2]}"), client.get("/store").json());
        String good = "[{\"op\":\"add\",\"path\":\"/a/-\",\"value\":3},{\"op\":\"add\",\"path\":\"/b\",\"value\":0}]";
        assertEquals(200, client.send("PATCH", "/store", "application/json-patch+json", good).status());
        assertEquals(json("{\"a\":[1,2,3],\"b\":0}"), client.get("/store").json());
    }

    @Test
    void ifMatchWithTheCurrentEtagWritesAndReturnsTheNewEtag() {
        String etag = client.get("/store").header("etag").orElseThrow();
        Reply r = client.json("PUT", "/store?path=.a", "1", "If-Match", etag);
        assertEquals(200, r.status(), r.body());
        String next = r.header("etag").orElseThrow();
        assertEquals(next, client.get("/store").header("etag").orElseThrow());
        client.json("PUT", "/store?path=.a", "2", "If-Match", etag).assertError(412, "precondition_failed");
    }

    @Test
    void contentTypeWithParametersOrAJsonSuffixIsAccepted() {
        assertEquals(200, client.send("PUT", "/store?path=.a", "application/json; charset=utf-8", "1").status());
        assertEquals(200, client.send("PUT", "/store?path=.b", "application/vnd.example+json", "2").status());
        assertEquals(json("{\"a\":1,\"b\":2}"), client.get("/store").json());
    }
}

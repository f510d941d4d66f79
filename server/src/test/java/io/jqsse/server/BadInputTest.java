package io.jqsse.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jqsse.server.TestClient.Reply;
import io.jqsse.store.DocumentTooLargeException;
import io.jqsse.store.StoreHealth;
import io.jqsse.store.StoreUnavailableException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * One test per row of SPEC section 2's bad-input table, over real sockets; each also proves that the document
 * (its {@code GET /store} body and {@code ETag}) did not change and that the server still answers.
 */
class BadInputTest {

    static final String USERS = "{\"data\":{\"users\":[{\"id\":1,\"name\":\"Alice\",\"status\":\"online\"},"
            + "{\"id\":2,\"name\":\"Bob\",\"status\":\"offline\"}],\"config\":{\"maxUsers\":100,\"timeout\":30}}}";
    static final int MAX_REQUEST_BYTES = 4096;
    static final int MAX_INITIAL_LINE_BYTES = 1024;
    static final int MAX_HEADER_BYTES = 2048;

    private FaultyStore store;
    private JqSseServer server;
    private TestClient client;
    private Reply before;

    @BeforeEach
    void start() {
        store = new FaultyStore();
        server = JqSseServer.builder().store(store).config(ServerConfig.builder()
                .host("127.0.0.1").port(0).maxRequestBytes(MAX_REQUEST_BYTES)
                .maxInitialLineBytes(MAX_INITIAL_LINE_BYTES).maxHeaderBytes(MAX_HEADER_BYTES)
                .build()).build().start();
        client = new TestClient(server.port());
        assertEquals(200, client.json("POST", "/store", USERS).status());
        before = client.get("/store");
    }

    @AfterEach
    void stop() {
        Reply after = client.get("/store");
        assertEquals(200, after.status(), after.body());
        assertEquals(before.body(), after.body(), "the document changed");
        assertEquals(before.header("etag"), after.header("etag"), "the revision changed");
        server.close();
    }

    @Test
    void bodyThatIsNotJsonGetsInvalidJsonWithLineAndColumn() {
        Reply r = client.json("PATCH", "/store?path=.data.x", "{\n  \"a\": tru\n}").assertError(400, "invalid_json");
        assertTrue(r.json().path("message").asText().contains("line 2, column"), r.body());
    }

    @Test
    void bodyWithADuplicateKeyOrTrailingGarbageGetsInvalidJson() {
        client.json("POST", "/store", "{\"a\":1,\"a\":2}").assertError(400, "invalid_json");
        client.json("POST", "/store", "{\"a\":1} {\"b\":2}").assertError(400, "invalid_json");
        client.json("PUT", "/store?path=.a", "").assertError(400, "invalid_json");
    }

    @Test
    void contentTypeThatIsNotJsonGetsInvalidContentType() {
        client.send("PATCH", "/store?path=.data.x", "text/plain", "1").assertError(415, "invalid_content_type");
        client.send("POST", "/store", "application/x-www-form-urlencoded", "{}")
                .assertError(415, "invalid_content_type");
        client.send("PUT", "/store?path=.data.x", null, "1").assertError(415, "invalid_content_type");
    }

    @Test
    void writeWithoutPathGetsMissingParameter() {
        client.json("PATCH", "/store", "1").assertError(400, "missing_parameter");
        client.json("PUT", "/store", "1").assertError(400, "missing_parameter");
        client.send("DELETE", "/store", null, null).assertError(400, "missing_parameter");
    }

    @Test
    void pathThatDoesNotParseGetsInvalidPath() {
        Reply write = client.json("PATCH", "/store?path=" + enc(".data[(("), "1").assertError(400, "invalid_path");
        assertTrue(write.json().path("message").asText().matches("path: \\.data\\[\\(\\( \\(.*position \\d+.*"),
                write.body());
        Reply read = client.get("/store?path=" + enc(".a[")).assertError(400, "invalid_path");
        assertEquals("path: .a[ (expected: ']' at position 3)", read.json().path("message").asText());
        Reply unknown = client.get("/store?path=" + enc("nosuch(1)")).assertError(400, "invalid_path");
        assertTrue(unknown.json().path("message").asText().contains("known function"), unknown.body());
    }

    @Test
    void writePathWithAWildcardGetsInvalidPathSayingItMustBeConcrete() {
        Reply r = client.json("PATCH", "/store?path=" + enc(".data.users[*].status"), "\"x\"")
                .assertError(400, "invalid_path");
        assertTrue(r.json().path("message").asText().contains("write paths must be concrete"), r.body());
    }

    @Test
    void pathThroughAScalarGetsPathConflict() {
        client.json("PUT", "/store?path=" + enc(".data.config.timeout.x"), "1").assertError(409, "path_conflict");
    }

    @Test
    void indexBeyondTheArrayEndGetsPathConflict() {
        client.json("PUT", "/store?path=" + enc(".data.users[5]"), "{}").assertError(409, "path_conflict");
    }

    @Test
    void bodyAboveTheRequestLimitGets413AndTheConnectionCloses() {
        String response = client.raw("POST /store HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                + "Content-Length: " + (MAX_REQUEST_BYTES + 1) + "\r\n\r\n");
        assertTrue(response.startsWith("HTTP/1.1 413 "), response);
        assertTrue(response.contains("\"error\":\"request_too_large\""), response);
        assertTrue(response.toLowerCase().contains("connection: close"), response);
    }

    @Test
    void bodyAboveTheRequestLimitSentWholeStillGetsTheEnvelopeNotAReset() {
        String big = "[" + "1,".repeat(MAX_REQUEST_BYTES) + "1]";
        client.json("POST", "/store", big).assertError(413, "request_too_large");
    }

    @Test
    void chunkedBodyAboveTheRequestLimitGets413() {
        String chunk = "[" + "1,".repeat(MAX_REQUEST_BYTES / 2) + "1]";
        String response = client.raw("POST /store HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                + "Transfer-Encoding: chunked\r\n\r\n" + Integer.toHexString(chunk.length()) + "\r\n" + chunk + "\r\n");
        assertTrue(response.startsWith("HTTP/1.1 413 "), response);
        assertTrue(response.contains("\"error\":\"request_too_large\""), response);
    }

    @Test
    void documentAboveTheStoreLimitGetsDocumentTooLarge() {
        store.fail(StoreHealth.OK, () -> new DocumentTooLargeException("document: 17 MB (expected: at most 16 MB)"));
        client.json("PUT", "/store?path=.data.big", "\"xxxx\"").assertError(413, "document_too_large");
    }

    @Test
    void ifMatchWithAnOldTagGetsPreconditionFailedWithTheCurrentEtag() {
        String current = before.header("etag").orElseThrow();
        String old = current.replaceFirst(":(\\d+)\"$", ":0\"");
        Reply r = client.json("PUT", "/store?path=.data.x", "1", "If-Match", old).assertError(412, "precondition_failed");
        assertEquals(current, r.header("etag").orElseThrow());
        client.json("PUT", "/store?path=.data.x", "1", "If-Match", "\"other-epoch:1\"")
                .assertError(412, "precondition_failed");
    }

    @Test
    void unknownRouteGetsNotFound() {
        client.get("/nope").assertError(404, "not_found");
        client.json("POST", "/store/extra", "{}").assertError(404, "not_found");
    }

    @Test
    void wrongMethodGetsMethodNotAllowedWithAllow() {
        Reply r = client.json("POST", "/health", "{}").assertError(405, "method_not_allowed");
        assertEquals("GET, HEAD, OPTIONS", r.header("allow").orElseThrow());
        Reply s = client.send("TRACE", "/store", null, null).assertError(405, "method_not_allowed");
        assertTrue(s.header("allow").orElseThrow().contains("PATCH"), s.headers().toString());
    }

    @Test
    void headerBlockAboveTheLimitGets431() {
        String response = client.raw("GET /health HTTP/1.1\r\nHost: x\r\nX-Big: " + "a".repeat(MAX_HEADER_BYTES * 2)
                + "\r\n\r\n");
        assertTrue(response.startsWith("HTTP/1.1 431 "), response);
        assertTrue(response.contains("\"error\":\"headers_too_large\""), response);
    }

    @Test
    void uriAboveTheLimitGets414() {
        String response = client.raw("GET /store?path=." + "a".repeat(MAX_INITIAL_LINE_BYTES * 2)
                + " HTTP/1.1\r\nHost: x\r\n\r\n");
        assertTrue(response.startsWith("HTTP/1.1 414 "), response);
        assertTrue(response.contains("\"error\":\"uri_too_long\""), response);
    }

    @Test
    void malformedRequestGets400AndTheConnectionCloses() {
        String response = client.raw("NOT AN HTTP REQUEST\r\n\r\n");
        assertTrue(response.startsWith("HTTP/1.1 400 "), response);
        assertTrue(response.contains("\"error\":\"bad_request\""), response);
    }

    @Test
    void connectionAboveTheLimitGets503WithRetryAfter() throws Exception {
        try (JqSseServer limited = JqSseServer.builder().store(new FaultyStore()).config(ServerConfig.builder()
                .host("127.0.0.1").port(0).maxConnections(1).build()).build().start();
             Socket first = new Socket()) {
            first.connect(new InetSocketAddress("127.0.0.1", limited.port()));
            OutputStream out = first.getOutputStream();
            out.write("GET /health HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
            InputStream in = first.getInputStream();
            assertEquals('H', in.read(), "the first connection is served");
            String second = new TestClient(limited.port()).raw("GET /health HTTP/1.1\r\nHost: x\r\n\r\n");
            assertTrue(second.startsWith("HTTP/1.1 503 "), second);
            assertTrue(second.contains("Retry-After: "), second);
            assertTrue(second.contains("\"error\":\"too_many_connections\""), second);
        }
    }

    @Test
    void unreachableStoreGetsStoreUnavailableOnWritesAndHealth() {
        store.fail(StoreHealth.unavailable("mongo: connection refused"),
                () -> new StoreUnavailableException("mongo: connection refused"));
        Reply r = client.json("PATCH", "/store?path=.data.x", "1").assertError(503, "store_unavailable");
        assertTrue(r.header("retry-after").isPresent(), r.headers().toString());
        client.json("POST", "/store", "{}").assertError(503, "store_unavailable");
        Reply health = client.get("/health").assertError(503, "store_unavailable");
        assertTrue(health.json().path("message").asText().contains("connection refused"), health.body());
    }

    @Test
    void aStoreFailureNoOneForesawGets500InternalErrorAndTheServerKeepsServing() {
        store.fail(StoreHealth.OK, () -> new IllegalStateException("bug in a store"));
        Reply r = client.json("PUT", "/store?path=.a", "1").assertError(500, "internal_error");
        assertTrue(!r.body().contains("bug in a store"), "internal details stay in the log: " + r.body());
        assertEquals(200, client.get("/health").status());
    }

    static String enc(String s) {
        return java.net.URLEncoder.encode(s, StandardCharsets.UTF_8);
    }
}

package io.jqsse.server;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.jqsse.server.testing.Http;
import io.jqsse.store.memory.MemoryStore;
import java.io.InputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** A request target with broken percent-encoding is a 400, on every route, and changes nothing. */
class MalformedUriTest {

    JqSseServer server;

    @BeforeEach
    void start() {
        server = JqSseServer.builder().config(ServerConfig.builder().host("127.0.0.1").port(0).build())
                .store(new MemoryStore()).build().start();
        new Http(server.port()).post("{\"a\":1}");
    }

    @AfterEach
    void stop() {
        server.close();
    }

    @ParameterizedTest
    @ValueSource(strings = {"GET /%zz", "GET /store?path=%zz", "GET /events?filter=%zz", "PUT /store?path=.a%zz"})
    void brokenPercentEncodingIsABadRequest(String requestLine) throws Exception {
        try (Socket s = new Socket("127.0.0.1", server.port())) {
            String body = requestLine.startsWith("PUT") ? "2" : "";
            s.getOutputStream().write((requestLine + " HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                    + "Content-Length: " + body.length() + "\r\nConnection: close\r\n\r\n" + body)
                    .getBytes(StandardCharsets.US_ASCII));
            InputStream in = s.getInputStream();
            String response = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            assertEquals("HTTP/1.1 400 Bad Request", response.substring(0, response.indexOf("\r\n")), response);
            assertEquals(true, response.contains("\"error\":\"bad_request\""), response);
        }
        assertEquals(Http.json("{\"a\":1}"), new Http(server.port()).view("."));
    }
}

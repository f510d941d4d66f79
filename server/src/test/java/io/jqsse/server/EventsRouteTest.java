package io.jqsse.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jqsse.server.TestClient.Reply;
import io.jqsse.server.testing.SseClient;
import io.jqsse.codec.WhatwgEventStreamParser.Event;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * How the HTTP layer hands {@code GET /events} to the stream engine: bad filters get envelopes before
 * anything is streamed, accepted streams keep the connection-limit handler and get CORS headers, and
 * {@link JqSseServer#close()} ends them.
 */
class EventsRouteTest {

    static final Duration WAIT = Duration.ofSeconds(10);

    private JqSseServer server;
    private TestClient client;
    private Reply before;

    @BeforeEach
    void start() {
        server = JqSseServer.builder().config(ServerConfig.builder().host("127.0.0.1").port(0)
                .corsAllowedOrigins(List.of("https://app.example")).build()).build().start();
        client = new TestClient(server.port());
        client.json("POST", "/store", BadInputTest.USERS);
        before = client.get("/store");
    }

    @AfterEach
    void stop() {
        server.close();
    }

    @Test
    void filterThatDoesNotParseGetsInvalidFilterAndTheDocumentIsUnchanged() {
        client.get("/events?filter=" + BadInputTest.enc(".data[")).assertError(400, "invalid_filter");
        client.get("/events?filter=" + BadInputTest.enc("nosuchfunction(1)")).assertError(400, "invalid_filter");
        Reply after = client.get("/store");
        assertEquals(before.body(), after.body());
        assertEquals(before.header("etag"), after.header("etag"));
    }

    @Test
    void streamCarriesCorsHeadersAndReceivesAWriteMadeOverHttp() throws Exception {
        try (SseClient sse = SseClient.open(server.port(), "/events?filter=" + SseClient.q(".data.users[0].status"),
                Map.of("Origin", "https://app.example"))) {
            String head = sse.awaitHead(WAIT);
            assertTrue(head.startsWith("HTTP/1.1 200"), head);
            assertTrue(head.toLowerCase().contains("access-control-allow-origin: https://app.example"), head);
            sse.awaitEvents(events -> events.stream().anyMatch(e -> e.type().equals("initial_data")), WAIT);
            assertEquals(200, client.json("PATCH", "/store?path=" + BadInputTest.enc(".data.users[0].status"),
                    "\"away\"").status());
            List<Event> events = sse.awaitEvents(
                    all -> all.stream().anyMatch(e -> e.type().equals("update") && e.data().contains("away")), WAIT);
            assertTrue(events.stream().anyMatch(e -> e.type().equals("connected")), events.toString());
            assertEquals(1, client.get("/metrics").json().path("clients").asInt());
        }
    }

    @Test
    void closeEndsOpenStreams() throws Exception {
        try (SseClient sse = SseClient.open(server.port(), "/events?filter=.")) {
            sse.awaitHead(WAIT);
            server.close();
            sse.awaitEnd(WAIT);
        }
    }
}

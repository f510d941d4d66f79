package io.jqsse.server.internal.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jqsse.jq.FilterCompiler;
import io.jqsse.jq.FilterLimits;
import io.jqsse.server.ServerConfig;
import io.jqsse.server.internal.stream.StreamEngine;
import io.jqsse.store.DocumentStore;
import io.jqsse.store.memory.MemoryStore;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The whole pipeline of {@link HttpChannelInitializer} on an {@link EmbeddedChannel}: raw request bytes in,
 * raw response bytes out; every buffer written in is released and every buffer read out is released here.
 */
class PipelineTest {

    static final int MAX_REQUEST_BYTES = 1024;
    static final int MAX_LINE = 256;
    static final int MAX_HEADERS = 512;

    private DocumentStore store;
    private HttpApi api;

    @BeforeEach
    void start() {
        ServerConfig config = ServerConfig.builder().port(0).maxRequestBytes(MAX_REQUEST_BYTES)
                .maxInitialLineBytes(MAX_LINE).maxHeaderBytes(MAX_HEADERS).maxConnections(2)
                .corsAllowedOrigins(List.of("https://app.example")).build();
        store = new MemoryStore();
        store.start().toCompletableFuture().join();
        FilterCompiler compiler = new FilterCompiler(FilterLimits.defaults());
        StreamEngine engine = new StreamEngine(config, store, compiler);
        engine.start();
        api = new HttpApi(config, store, compiler, engine);
    }

    @AfterEach
    void stop() {
        store.close();
    }

    static Stream<Arguments> badRequests() {
        return Stream.of(
                Arguments.of("GET /" + "a".repeat(MAX_LINE) + " HTTP/1.1\r\nHost: x\r\n\r\n", 414, "uri_too_long"),
                Arguments.of("GET / HTTP/1.1\r\nHost: x\r\nX-A: " + "b".repeat(MAX_HEADERS) + "\r\n\r\n", 431,
                        "headers_too_large"),
                Arguments.of("GARBAGE\r\n\r\n", 400, "bad_request"),
                Arguments.of("POST /store HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: "
                        + (MAX_REQUEST_BYTES + 1) + "\r\n\r\n", 413, "request_too_large"),
                Arguments.of("POST /store HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                        + "Expect: 100-continue\r\nContent-Length: " + (MAX_REQUEST_BYTES + 1) + "\r\n\r\n", 413,
                        "request_too_large"));
    }

    @ParameterizedTest
    @MethodSource("badRequests")
    void requestsTheDecoderOrAggregatorRejectGetAnEnvelopeAndTheConnectionCloses(String request, int status,
                                                                                  String error) {
        EmbeddedChannel ch = channel();
        String response = exchange(ch, request);
        assertTrue(response.startsWith("HTTP/1.1 " + status + " "), response);
        assertTrue(response.contains("\"error\":\"" + error + "\""), response);
        assertTrue(response.contains("\"code\":" + status), response);
        assertTrue(response.toLowerCase().contains("connection: close"), response);
        assertFalse(ch.isOpen(), "closed after the response");
        assertFalse(ch.finishAndReleaseAll());
    }

    @Test
    void keepAliveRequestsAreServedInOrderOnOneConnection() {
        EmbeddedChannel ch = channel();
        String put = exchange(ch, "PUT /store?path=.a HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                + "Content-Length: 1\r\n\r\n7");
        assertTrue(put.startsWith("HTTP/1.1 200 "), put);
        String get = exchange(ch, "GET /store?path=.a HTTP/1.1\r\nHost: x\r\n\r\n");
        assertTrue(get.startsWith("HTTP/1.1 200 ") && get.endsWith("\r\n\r\n7"), get);
        assertTrue(ch.isOpen());
        assertFalse(ch.finishAndReleaseAll());
    }

    @Test
    void notModifiedAndNoContentResponsesKeepTheConnectionOpen() {
        EmbeddedChannel ch = channel();
        String get = exchange(ch, "GET /store HTTP/1.1\r\nHost: x\r\n\r\n");
        String etag = get.replaceFirst("(?s).*\r\netag: (\"[^\"]+\")\r\n.*", "$1");
        String notModified = exchange(ch, "GET /store HTTP/1.1\r\nHost: x\r\nIf-None-Match: " + etag + "\r\n\r\n");
        assertTrue(notModified.startsWith("HTTP/1.1 304 "), notModified);
        String options = exchange(ch, "OPTIONS /store HTTP/1.1\r\nHost: x\r\n\r\n");
        assertTrue(options.startsWith("HTTP/1.1 204 ") && options.contains("allow: GET, HEAD, POST"), options);
        assertTrue(ch.isOpen());
        assertFalse(ch.finishAndReleaseAll());
    }

    @ParameterizedTest(name = "{0} Connection: {1} -> open {2}")
    @CsvSource({"HTTP/1.1,,true", "HTTP/1.1,close,false", "HTTP/1.0,,false", "HTTP/1.0,keep-alive,true"})
    void connectionStaysOpenOnlyWhenTheClientAsksForIt(String version, String connection, boolean open) {
        EmbeddedChannel ch = channel();
        String response = exchange(ch, "GET /health " + version + "\r\nHost: x\r\n"
                + (connection == null ? "" : "Connection: " + connection + "\r\n") + "\r\n");
        assertTrue(response.startsWith("HTTP/1.1 200 "), response);
        assertEquals(open, ch.isOpen(), response);
        assertFalse(ch.finishAndReleaseAll());
    }

    @Test
    void idleConnectionsAreClosed() {
        EmbeddedChannel ch = channel();
        ch.pipeline().fireUserEventTriggered(io.netty.handler.timeout.IdleStateEvent.ALL_IDLE_STATE_EVENT);
        assertFalse(ch.isOpen());
        assertFalse(ch.finishAndReleaseAll());
    }

    @Test
    void preflightIsAnsweredByTheCorsHandler() {
        EmbeddedChannel ch = channel();
        String response = exchange(ch, "OPTIONS /store HTTP/1.1\r\nHost: x\r\nOrigin: https://app.example\r\n"
                + "Access-Control-Request-Method: PATCH\r\n\r\n");
        assertTrue(response.startsWith("HTTP/1.1 204 "), response);
        assertTrue(response.contains("access-control-allow-origin: https://app.example"), response);
        assertTrue(response.contains("access-control-allow-methods: GET, POST, PUT, PATCH, DELETE, OPTIONS"), response);
        assertFalse(ch.finishAndReleaseAll());
    }

    @Test
    void connectionsAboveTheLimitGetRawBytes503AndClose() {
        EmbeddedChannel first = channel();
        EmbeddedChannel second = channel();
        EmbeddedChannel third = channel();
        String rejected = drain(third);
        assertTrue(rejected.startsWith("HTTP/1.1 503 Service Unavailable\r\n"), rejected);
        assertTrue(rejected.contains("Retry-After: 1\r\n"), rejected);
        assertTrue(rejected.contains("\"error\":\"too_many_connections\""), rejected);
        assertFalse(third.isOpen());
        assertEquals(2, api.connections().connections());
        assertEquals(1, api.connections().rejectedConnections());
        first.finishAndReleaseAll();
        second.finishAndReleaseAll();
        third.finishAndReleaseAll();
        assertEquals(0, api.connections().connections());
    }

    private EmbeddedChannel channel() {
        return new EmbeddedChannel(new HttpChannelInitializer(api));
    }

    private static String exchange(EmbeddedChannel ch, String request) {
        ByteBuf in = Unpooled.copiedBuffer(request, StandardCharsets.ISO_8859_1);
        ch.writeInbound(in);
        ch.runPendingTasks();
        assertEquals(0, in.refCnt(), "the request bytes were released");
        assertTrue(ch.inboundMessages().isEmpty(), "nothing passes the router");
        return drain(ch);
    }

    private static String drain(EmbeddedChannel ch) {
        StringBuilder sb = new StringBuilder();
        for (Object o; (o = ch.readOutbound()) != null; ) {
            ByteBuf b = (ByteBuf) o;
            sb.append(b.toString(StandardCharsets.ISO_8859_1));
            b.release();
        }
        return sb.toString();
    }
}

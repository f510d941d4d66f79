package io.jqsse.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.jqsse.server.TestClient.Reply;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** {@code /health}, {@code /metrics}, {@code /}, {@code OPTIONS} and CORS over real sockets. */
class StatusRoutesTest {

    private JqSseServer server;
    private TestClient client;

    @BeforeEach
    void start() {
        server = JqSseServer.builder().config(ServerConfig.builder().host("127.0.0.1").port(0)
                .corsAllowedOrigins(List.of("https://app.example")).build()).build().start();
        client = new TestClient(server.port());
    }

    @AfterEach
    void stop() {
        server.close();
    }

    @Test
    void healthAnswersTheGoSseEnvelope() {
        Reply r = client.get("/health");
        assertEquals(200, r.status(), r.body());
        assertEquals("success", r.json().path("status").asText());
        assertEquals("ok", r.json().path("data").path("status").asText());
        assertTrue(r.json().path("data").path("time").asLong() > 1_600_000_000L, r.body());
    }

    @Test
    void metricsAnswersGoSseJsonByDefault() {
        client.json("PUT", "/store?path=.a", "1");
        JsonNode m = client.get("/metrics").json();
        assertEquals(0, m.path("clients").asInt());
        assertEquals("memory", m.path("store_type").asText());
        assertTrue(m.path("time").asLong() > 1_600_000_000L, m.toString());
        assertTrue(m.path("uptime").isIntegralNumber(), m.toString());
        assertTrue(m.path("counters").path("store_writes_total").asLong() >= 1, m.toString());
    }

    @Test
    void metricsCountEveryAnsweredWriteInTheWriteDurationHistogram() {
        client.json("PUT", "/store?path=.a", "1");
        client.json("PATCH", "/store?path=.a", "2");
        client.json("PATCH", "/store?path=.a", "{bad");
        JsonNode h = client.get("/metrics").json().path("histograms").path("write_duration_seconds");
        assertEquals(2, h.path("count").asLong(), "a rejected body never reaches the store: " + h);
        assertEquals(2, h.path("buckets").path("+Inf").asLong(), h.toString());
        assertTrue(h.path("buckets").path("10").asLong() <= 2 && h.path("sum").asDouble() > 0, h.toString());
        String text = client.get("/metrics", "Accept", "text/plain").body();
        assertTrue(text.contains("# TYPE jqsse_write_duration_seconds histogram\n"), text);
        assertTrue(text.contains("jqsse_write_duration_seconds_bucket{le=\"+Inf\"} 2\n"), text);
        assertTrue(text.contains("jqsse_write_duration_seconds_count 2\n"), text);
    }

    @Test
    void metricsReportTheCollectorsAndTheHeapInBothFormats() {
        System.gc();
        JsonNode counters = client.get("/metrics").json().path("counters");
        assertTrue(counters.path("jvm_gc_collections_total").asLong() >= 1, counters.toString());
        assertTrue(counters.path("jvm_gc_time_milliseconds_total").isIntegralNumber(), counters.toString());
        long used = counters.path("jvm_heap_used_bytes").asLong();
        assertTrue(used > 0 && used <= counters.path("jvm_heap_committed_bytes").asLong(), counters.toString());
        String text = client.get("/metrics", "Accept", "text/plain").body();
        assertTrue(text.contains("# TYPE jqsse_jvm_gc_time_milliseconds_total counter\n"), text);
        assertTrue(text.contains("# TYPE jqsse_jvm_heap_used_bytes gauge\n"), text);
    }

    @Test
    void metricsAnswersPrometheusTextWhenTheScraperPrefersIt() {
        Reply r = client.get("/metrics", "Accept", "text/plain;version=0.0.4;q=0.9,*/*;q=0.1");
        assertEquals("text/plain; version=0.0.4; charset=utf-8", r.header("content-type").orElseThrow());
        assertTrue(r.body().contains("# TYPE jqsse_clients gauge\njqsse_clients 0\n"), r.body());
        assertTrue(r.body().contains("# TYPE jqsse_http_requests_total counter\n"), r.body());
        Reply open = client.get("/metrics", "Accept", "application/openmetrics-text;version=1.0.0,*/*;q=0.1");
        assertTrue(open.header("content-type").orElseThrow().startsWith("application/openmetrics-text"));
        assertTrue(open.body().endsWith("# EOF\n"), open.body());
    }

    @Test
    void rootServesTheSelfContainedWebPage() {
        Reply r = client.get("/");
        assertEquals(200, r.status());
        assertTrue(r.header("content-type").orElseThrow().startsWith("text/html"));
        assertTrue(r.body().contains("new EventSource("), "subscribes with EventSource");
        assertTrue(!r.body().contains("src=\"http") && !r.body().contains("href=\"http"), "no external assets");
    }

    @Test
    void preflightFromAListedOriginIsAnswered204WithTheAllowedMethodsAndHeaders() {
        Reply r = client.send("OPTIONS", "/store", null, null, "Origin", "https://app.example",
                "Access-Control-Request-Method", "PATCH", "Access-Control-Request-Headers", "content-type,if-match");
        assertEquals(204, r.status());
        assertEquals("https://app.example", r.header("access-control-allow-origin").orElseThrow());
        assertEquals("GET, POST, PUT, PATCH, DELETE, OPTIONS", r.header("access-control-allow-methods").orElseThrow());
        String headers = r.header("access-control-allow-headers").orElseThrow();
        for (String h : List.of("Content-Type", "Last-Event-ID", "If-Match", "If-None-Match", "Authorization")) {
            assertTrue(headers.contains(h), headers);
        }
        assertTrue(r.header("access-control-allow-credentials").isEmpty());
    }

    @Test
    void responsesEchoAListedOriginAndIgnoreOthers() {
        Reply listed = client.get("/store", "Origin", "https://app.example");
        assertEquals("https://app.example", listed.header("access-control-allow-origin").orElseThrow());
        assertEquals("Origin", listed.header("vary").orElseThrow());
        Reply other = client.get("/store", "Origin", "https://evil.example");
        assertTrue(other.header("access-control-allow-origin").isEmpty(), other.headers().toString());
    }

    @Test
    void wildcardOriginsAnswerStarWithoutCredentials() {
        try (JqSseServer open = JqSseServer.builder().config(ServerConfig.builder().host("127.0.0.1").port(0)
                .build()).build().start()) {
            Reply r = new TestClient(open.port()).get("/health", "Origin", "https://any.example");
            assertEquals("*", r.header("access-control-allow-origin").orElseThrow());
            assertTrue(r.header("access-control-allow-credentials").isEmpty());
        }
    }

    @Test
    void headAnswersLikeGetWithoutTheBody() {
        Reply get = client.get("/store");
        Reply head = client.send("HEAD", "/store", null, null);
        assertEquals(200, head.status());
        assertEquals("", head.body());
        assertEquals(get.header("etag"), head.header("etag"));
        assertEquals(get.header("content-length"), head.header("content-length"));
        Reply events = client.send("HEAD", "/events", null, null);
        assertEquals(405, events.status());
        assertEquals("GET, OPTIONS", events.header("allow").orElseThrow());
    }

    @Test
    void plainOptionsAnswersAllow() {
        Reply r = client.send("OPTIONS", "/health", null, null);
        assertEquals(204, r.status());
        assertEquals("GET, HEAD, OPTIONS", r.header("allow").orElseThrow());
    }
}

package io.jqsse.server.internal.http;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.jqsse.store.Snapshot;
import io.jqsse.store.StoreHealth;
import io.netty.buffer.ByteBufAllocator;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpResponseStatus;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.TreeMap;

/** {@code GET /health}, {@code GET /metrics} and the built-in page {@code GET /}. */
final class StatusRoutes {

    private static final String PAGE_RESOURCE = "index.html";

    private final HttpApi api;
    private final String page;

    StatusRoutes(HttpApi api) {
        this.api = api;
        this.page = loadPage();
    }

    /** go-sse's health envelope; 503 {@code store_unavailable} with the store's reason when it is down. */
    FullHttpResponse health(ByteBufAllocator alloc) {
        StoreHealth health = api.store().health();
        if (!health.available()) {
            throw ErrorMapping.storeUnavailable("store: " + api.store().type() + " unavailable (" + health.reason()
                    + ")");
        }
        Snapshot snapshot = api.store().snapshot();
        ObjectNode data = Json.object();
        data.put("status", "ok");
        data.put("time", System.currentTimeMillis() / 1000);
        data.put("store_type", api.store().type());
        data.put("epoch", snapshot.epoch());
        data.put("rev", snapshot.rev());
        return Responses.success(alloc, HttpResponseStatus.OK, data, "server is healthy");
    }

    /**
     * go-sse's JSON ({@code clients}, {@code store_type}, {@code time}, {@code uptime} first, then the
     * counters) unless the request prefers the Prometheus or OpenMetrics text format.
     */
    /** {@code {"buckets": {"0.0001": n, ..., "+Inf": count}, "sum": seconds, "count": n}}, buckets cumulative. */
    private static void histogram(ObjectNode out, Histogram.Snapshot h) {
        ObjectNode buckets = out.putObject("buckets");
        for (int i = 0; i < Histogram.BOUNDS_SECONDS.length; i++) {
            buckets.put(Histogram.label(Histogram.BOUNDS_SECONDS[i]), h.cumulative()[i]);
        }
        buckets.put("+Inf", h.count());
        out.put("sum", h.sumSeconds());
        out.put("count", h.count());
    }

    FullHttpResponse metrics(ByteBufAllocator alloc, FullHttpRequest request) {
        Snapshot snapshot = api.store().snapshot();
        long uptimeSeconds = api.uptime().toSeconds();
        Map<String, Long> metrics = new TreeMap<>(api.counters());
        api.engine().counters().forEach((k, v) -> metrics.merge(k, v, Long::sum));
        JvmMetrics.addTo(metrics);
        Map<String, Long> gauges = api.gauges();
        MetricsText.Format format = MetricsText.negotiate(request.headers().get(HttpHeaderNames.ACCEPT));
        if (format != MetricsText.Format.JSON) {
            metrics.putAll(gauges);
            metrics.put("uptime_seconds", uptimeSeconds);
            metrics.put("document_rev", snapshot.rev());
            metrics.put("store_up", api.store().health().available() ? 1L : 0L);
            return Responses.text(alloc, HttpResponseStatus.OK, format.contentType(),
                    MetricsText.render(format, metrics, Map.of("write_duration_seconds", api.writeDurations())));
        }
        ObjectNode body = Json.object();
        body.put("clients", gauges.get("clients"));
        body.put("store_type", api.store().type());
        body.put("time", System.currentTimeMillis() / 1000);
        body.put("uptime", uptimeSeconds);
        body.put("connections", gauges.get("connections"));
        body.put("epoch", snapshot.epoch());
        body.put("rev", snapshot.rev());
        ObjectNode counterNode = body.putObject("counters");
        metrics.forEach(counterNode::put);
        counterNode.put("buffered_request_bytes", gauges.get("buffered_request_bytes"));
        histogram(body.putObject("histograms").putObject("write_duration_seconds"), api.writeDurations());
        return Responses.json(alloc, HttpResponseStatus.OK, body);
    }

    FullHttpResponse page(ByteBufAllocator alloc) {
        FullHttpResponse response = Responses.text(alloc, HttpResponseStatus.OK, "text/html; charset=utf-8", page);
        response.headers().set(HttpHeaderNames.CACHE_CONTROL, "no-cache");
        return response;
    }

    private static String loadPage() {
        try (InputStream in = StatusRoutes.class.getResourceAsStream(PAGE_RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException("resource: " + PAGE_RESOURCE + " (expected: on the class path)");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}

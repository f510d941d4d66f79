package io.jqsse.server.internal.http;

import io.jqsse.jq.FilterCompiler;
import io.jqsse.server.ServerConfig;
import io.jqsse.server.internal.stream.StreamEngine;
import io.jqsse.store.DocumentStore;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.LongAdder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What every channel's router shares: the config, the store, the filter compiler, the stream engine, the
 * connection counter and the HTTP counters. Thread-safe; one per server.
 */
public final class HttpApi {

    private static final Logger log = LoggerFactory.getLogger(HttpApi.class);

    private final ServerConfig config;
    private final DocumentStore store;
    private final FilterCompiler compiler;
    private final StreamEngine engine;
    private final ConnectionLimitHandler connections;
    private final long startNanos = System.nanoTime();
    private final Map<String, LongAdder> counters = new ConcurrentHashMap<>();
    private final Set<CompletableFuture<?>> inFlightWrites = ConcurrentHashMap.newKeySet();
    private final Histogram writeDurations = new Histogram();
    private final BodyBudget.Pool bodies;

    public HttpApi(ServerConfig config, DocumentStore store, FilterCompiler compiler, StreamEngine engine) {
        this.config = Objects.requireNonNull(config, "config");
        this.store = Objects.requireNonNull(store, "store");
        this.compiler = Objects.requireNonNull(compiler, "compiler");
        this.engine = Objects.requireNonNull(engine, "engine");
        this.connections = new ConnectionLimitHandler(config.maxConnections());
        this.bodies = new BodyBudget.Pool(config.bufferedRequestBudgetBytes());
    }

    public ServerConfig config() {
        return config;
    }

    DocumentStore store() {
        return store;
    }

    FilterCompiler compiler() {
        return compiler;
    }

    StreamEngine engine() {
        return engine;
    }

    /** The request-body bytes all connections may hold while bodies arrive ({@code MAX_BUFFERED_REQUESTS_MB}). */
    BodyBudget.Pool bodies() {
        return bodies;
    }

    /** The shared connection counter; the initializer puts it first in every pipeline. */
    ConnectionLimitHandler connections() {
        return connections;
    }

    Duration uptime() {
        return Duration.ofNanos(System.nanoTime() - startNanos);
    }

    void count(String name) {
        counters.computeIfAbsent(name, k -> new LongAdder()).increment();
    }

    /** The HTTP layer's counters and gauges, by metric name without prefix, sorted. */
    Map<String, Long> counters() {
        Map<String, Long> out = new TreeMap<>();
        counters.forEach((k, v) -> out.put(k, v.sum()));
        out.put("connections_rejected_total", connections.rejectedConnections());
        return out;
    }

    /**
     * Marks a write as in flight until the returned future completes (when its answer is written),
     * so that {@link #awaitWrites} lets it finish on shutdown, and counts how long that took in
     * {@link #writeDurations()}: the server's own share of a write's latency, which fan-out must
     * not lengthen (a client's figure adds its own scheduling and the network).
     */
    CompletableFuture<Void> beginWrite() {
        long start = System.nanoTime();
        CompletableFuture<Void> f = new CompletableFuture<>();
        inFlightWrites.add(f);
        f.whenComplete((v, e) -> {
            inFlightWrites.remove(f);
            writeDurations.record(System.nanoTime() - start);
        });
        return f;
    }

    /** From the store call of each write request to its answer, since start. */
    Histogram.Snapshot writeDurations() {
        return writeDurations.snapshot();
    }

    /**
     * Waits up to {@code grace} for the store writes that requests started to complete (successfully or
     * not: their own callbacks answer them).
     */
    public void awaitWrites(Duration grace) throws InterruptedException {
        CompletableFuture<?>[] pending = inFlightWrites.stream()
                .map(f -> f.handle((c, e) -> null))
                .toArray(CompletableFuture[]::new);
        try {
            CompletableFuture.allOf(pending).get(grace.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException | TimeoutException e) {
            log.warn("{} store writes still in flight after {} ms", inFlightWrites.size(), grace.toMillis());
        }
    }

    /** The gauges {@code clients} (open streams) and {@code connections}, for metrics; a new mutable map. */
    Map<String, Long> gauges() {
        Map<String, Long> out = new LinkedHashMap<>();
        out.put("clients", (long) engine.clients());
        out.put("connections", (long) connections.connections());
        out.put("buffered_request_bytes", bodies.heldBytes());
        return out;
    }
}

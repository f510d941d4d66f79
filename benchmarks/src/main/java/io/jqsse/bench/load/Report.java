package io.jqsse.bench.load;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.Locale;
import org.HdrHistogram.Histogram;

/**
 * The outcome of one load run and the figures derived from it.
 *
 * @param loadAverage        the machine's 1-minute load average at the end of the run (other work on the
 *                           2 cores skews every figure)
 * @param expectedDeliveries stamped deliveries the run should produce when nothing is lost or
 *                           conflated, -1 when the filter and write templates do not say
 * @param serverCpuNanos     CPU time the server process tree used from the first write to the end of
 *                           the drain
 * @param clientCpuNanos     the same for this load generator and its subscriber children
 */
record Report(Options options, double loadAverage, long rssBefore, long rssIdle, long rssLoaded, PoolStats connect,
              Publisher.PublishStats publish, PoolStats delivered, JsonNode countersBefore, JsonNode countersAfter,
              long expectedDeliveries, long serverCpuNanos, long clientCpuNanos) {

    /** Idle RSS growth per held connection, bytes. */
    double rssPerConnection() {
        return connect.connected() == 0 ? 0 : (double) (rssIdle - rssBefore) / connect.connected();
    }

    /** Stamped deliveries per second, from the first write to the last delivery. */
    double deliveredPerSecond() {
        long span = delivered.lastEventMicros() - publish.firstMicros();
        return span <= 0 ? 0 : delivered.stamps() * 1e6 / span;
    }

    /** Server CPU per stamped delivery over the publish and drain phases, nanoseconds. */
    double serverCpuPerDelivery() {
        return delivered.stamps() == 0 ? 0 : (double) serverCpuNanos / delivered.stamps();
    }

    /** Load generator CPU per stamped delivery over the same phases, nanoseconds. */
    double clientCpuPerDelivery() {
        return delivered.stamps() == 0 ? 0 : (double) clientCpuNanos / delivered.stamps();
    }

    long counterDelta(String name) {
        if (countersBefore == null || countersAfter == null || countersAfter.path("counters").get(name) == null) {
            return -1;
        }
        return countersAfter.path("counters").get(name).asLong() - countersBefore.path("counters").path(name).asLong();
    }

    /**
     * Percent of this run's writes that jq-sse answered within {@code bucket} seconds (a bucket of its
     * {@code write_duration_seconds} histogram, e.g. "0.002"), measured by the server from the store call
     * to the answer; -1 for nchan or when the server had no such bucket.
     */
    double serverWritesWithin(String bucket) {
        if (countersBefore == null || countersAfter == null) {
            return -1;
        }
        JsonNode before = countersBefore.path("histograms").path("write_duration_seconds");
        JsonNode after = countersAfter.path("histograms").path("write_duration_seconds");
        long n = after.path("count").asLong() - before.path("count").asLong();
        if (n <= 0 || !after.path("buckets").has(bucket)) {
            return -1;
        }
        long within = after.path("buckets").path(bucket).asLong() - before.path("buckets").path(bucket).asLong();
        return 100.0 * within / n;
    }

    String summary() {
        Histogram lat = delivered.latency();
        Histogram w = publish.writeLatency();
        return String.format(Locale.ROOT, String.join("%n",
                        "target %s, %d subscribers (%d processes, %d sources), filter %s, load average %.2f",
                        "connections: %d held, %d failed, %d closed by server; all answered in %.0f ms (p50 %.1f ms, p99 %.1f ms each)",
                        "server RSS: %.1f MiB before, %.1f MiB idle with connections (%.2f KiB per connection), %.1f MiB under load",
                        "writes: %d sent, %d ok, %d failed, %d skipped in %.1f s (%.0f/s); write latency p50 %.2f ms p99 %.2f ms max %.2f ms",
                        "deliveries: %d of %d expected (%d init events), %.0f events/s; CPU server %.2f s (%.0f ns per delivery), load generator %.2f s (%.0f ns)",
                        "write-to-delivery latency: p50 %.1f ms, p90 %.1f ms, p99 %.1f ms, p99.9 %.1f ms, max %.1f ms",
                        "server: %d group evaluations, %d changes dispatched, %d stream writes, %d deltas dropped, %d resyncs",
                        "server-side write durations: %.1f%% within 1 ms, %.1f%% within 2 ms, %.1f%% within 5 ms (write_duration_seconds)"),
                options.target(), options.subscribers(), options.processes(), options.sources(), options.filter(), loadAverage,
                connect.connected(), connect.failed(), delivered.closedEarly(), connect.connectAllMicros() / 1e3,
                ms(connect.connectTime(), 50), ms(connect.connectTime(), 99),
                rssBefore / 1048576.0, rssIdle / 1048576.0, rssPerConnection() / 1024, rssLoaded / 1048576.0,
                publish.sent(), publish.ok(), publish.failed(), publish.skipped(), publish.elapsedMicros() / 1e6,
                publish.ok() * 1e6 / Math.max(1, publish.elapsedMicros()),
                ms(w, 50), ms(w, 99), w.getMaxValue() / 1e3,
                delivered.stamps(), expectedDeliveries, delivered.inits(), deliveredPerSecond(),
                serverCpuNanos / 1e9, serverCpuPerDelivery(), clientCpuNanos / 1e9, clientCpuPerDelivery(),
                ms(lat, 50), ms(lat, 90), ms(lat, 99), ms(lat, 99.9), lat.getMaxValue() / 1e3,
                counterDelta("group_evaluations_total"), counterDelta("changes_dispatched_total"),
                counterDelta("stream_writes_total"), counterDelta("deltas_dropped_total"), counterDelta("resyncs_total"),
                serverWritesWithin("0.001"), serverWritesWithin("0.002"), serverWritesWithin("0.005"));
    }

    private static double ms(Histogram h, double percentile) {
        return h.getTotalCount() == 0 ? 0 : h.getValueAtPercentile(percentile) / 1e3;
    }

    ObjectNode toJson() {
        ObjectNode n = JsonNodeFactory.instance.objectNode();
        n.put("loadAverage", loadAverage).put("target", options.target()).put("subscribers", options.subscribers()).put("filter", options.filter())
                .put("connected", connect.connected()).put("failed", connect.failed())
                .put("closedByServer", delivered.closedEarly()).put("connectAllMs", connect.connectAllMicros() / 1e3)
                .put("rssBeforeBytes", rssBefore).put("rssIdleBytes", rssIdle).put("rssLoadedBytes", rssLoaded)
                .put("rssPerConnectionBytes", rssPerConnection())
                .put("writesSent", publish.sent()).put("writesOk", publish.ok()).put("writesSkipped", publish.skipped())
                .put("writeP50Ms", ms(publish.writeLatency(), 50)).put("writeP99Ms", ms(publish.writeLatency(), 99))
                .put("deliveries", delivered.stamps()).put("expectedDeliveries", expectedDeliveries)
                .put("inits", delivered.inits()).put("deliveredPerSecond", deliveredPerSecond())
                .put("serverCpuMs", serverCpuNanos / 1e6).put("serverCpuNsPerDelivery", serverCpuPerDelivery())
                .put("clientCpuMs", clientCpuNanos / 1e6)
                .put("clientCpuNsPerDelivery", clientCpuPerDelivery())
                .put("latencyP50Ms", ms(delivered.latency(), 50)).put("latencyP99Ms", ms(delivered.latency(), 99))
                .put("latencyMaxMs", delivered.latency().getMaxValue() / 1e3)
                .put("groupEvaluations", counterDelta("group_evaluations_total"))
                .put("changesDispatched", counterDelta("changes_dispatched_total"))
                .put("serverWritesWithin2msPct", serverWritesWithin("0.002"))
                .put("serverWritesWithin5msPct", serverWritesWithin("0.005"));
        return n;
    }

    /** Every numeric figure of {@link #toJson()}: its median over {@code reports} (the lower middle one for an even count). */
    static ObjectNode median(List<Report> reports) {
        List<ObjectNode> all = reports.stream().map(Report::toJson).toList();
        ObjectNode out = JsonNodeFactory.instance.objectNode();
        out.put("runs", reports.size());
        all.get(0).fieldNames().forEachRemaining(name -> {
            if (all.get(0).get(name).isNumber()) {
                double[] v = all.stream().mapToDouble(n -> n.get(name).asDouble()).sorted().toArray();
                out.put(name, v[(v.length - 1) / 2]);
            } else {
                out.set(name, all.get(0).get(name));
            }
        });
        return out;
    }

    /** Collects a run's parts as they happen. */
    static final class Builder {
        final Options options;
        long rssBefore;
        long rssIdle;
        long rssLoaded;
        PoolStats connect;
        Publisher.PublishStats publish;
        PoolStats delivered;
        JsonNode countersBefore;
        JsonNode countersAfter;
        long serverCpuNanos;
        long clientCpuNanos;

        Builder(Options options) {
            this.options = options;
        }

        Report build() {
            return new Report(options, loadAverage(), rssBefore, rssIdle, rssLoaded, connect, publish, delivered, countersBefore,
                    countersAfter, expected(), serverCpuNanos, clientCpuNanos);
        }

        private static double loadAverage() {
            try {
                return Double.parseDouble(java.nio.file.Files.readString(java.nio.file.Path.of("/proc/loadavg")).split(" ")[0]);
            } catch (java.io.IOException e) {
                return -1;
            }
        }

        private long expected() {
            boolean filterKeyed = options.filter().contains("{i}");
            boolean writeKeyed = options.writePath().contains("{i}");
            if (options.target().equals("nchan") || (!filterKeyed && !writeKeyed)) {
                return publish.ok() * connect.connected();
            }
            if (!filterKeyed || !writeKeyed) {
                return -1;
            }
            long sum = 0;
            int n = options.subscribers();
            int k = options.filterKeys();
            for (int key = 0; key < Math.min(k, publish.perKey().length); key++) {
                long members = n / k + (key < n % k ? 1 : 0);
                sum += publish.perKey()[key] * members;
            }
            return sum;
        }
    }
}

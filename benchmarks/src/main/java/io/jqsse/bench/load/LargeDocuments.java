package io.jqsse.bench.load;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.Locale;
import org.HdrHistogram.Histogram;

/**
 * Large documents over HTTP against a spawned {@link BenchServer}: {@code POST /store} of a document
 * of {@code groups} x 100 leaves {@code posts} times, then
 * {@code patches} sequential {@code PATCH}es at depth 4 ({@code .data.g<k>.i<j>.value}) inside it.
 * Prints each POST's time, the POST median, and the PATCH latency percentiles (client-measured round
 * trips over loopback, so they include the HTTP client's own cost).
 *
 * <pre>java -cp benchmarks/target/benchmarks.jar io.jqsse.bench.load.LargeDocuments [groups] [posts] [patches]</pre>
 */
public final class LargeDocuments {

    private LargeDocuments() {
    }

    public static void main(String[] args) throws Exception {
        int groups = args.length > 0 ? Integer.parseInt(args[0]) : 1180;
        int posts = args.length > 1 ? Integer.parseInt(args[1]) : 5;
        int patches = args.length > 2 ? Integer.parseInt(args[2]) : 2000;
        byte[] body = document(groups);
        try (ServerProcess server = ServerProcess.start("-Xmx2g -XX:+UseParallelGC")) {
            URI base = URI.create("http://127.0.0.1:" + server.port);
            HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                    .connectTimeout(Duration.ofSeconds(10)).build();
            double[] postMillis = new double[posts];
            for (int i = 0; i < posts; i++) {
                long t0 = System.nanoTime();
                send(http, HttpRequest.newBuilder(base.resolve("/store")).header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build());
                postMillis[i] = (System.nanoTime() - t0) / 1e6;
            }
            Histogram patch = new Histogram(SubscriberPool.MAX_MICROS, 3);
            for (int i = 0; i < patches; i++) {
                String path = ".data.g" + (i * 7919 % groups) + ".i" + (i % 100) + ".value";
                HttpRequest req = HttpRequest.newBuilder(base.resolve("/store?path=" + path))
                        .header("Content-Type", "application/json")
                        .method("PATCH", HttpRequest.BodyPublishers.ofString(Integer.toString(i))).build();
                long t0 = System.nanoTime();
                send(http, req);
                if (i >= patches / 4) {
                    patch.recordValue((System.nanoTime() - t0) / 1000);
                }
            }
            double[] sorted = postMillis.clone();
            Arrays.sort(sorted);
            System.out.println(String.format(Locale.ROOT,
                    "document %.1f MB; POST ms %s, median %.1f ms; PATCH depth 4 (last %d of %d): p50 %.3f ms, p90 %.3f ms,"
                            + " p99 %.3f ms; server RSS %.0f MiB",
                    body.length / 1e6, Arrays.toString(postMillis), sorted[(sorted.length - 1) / 2], patch.getTotalCount(),
                    patches, patch.getValueAtPercentile(50) / 1e3, patch.getValueAtPercentile(90) / 1e3,
                    patch.getValueAtPercentile(99) / 1e3, ServerProcess.rssBytes(server.pid) / 1048576.0));
        }
    }

    private static void send(HttpClient http, HttpRequest req) throws Exception {
        HttpResponse<String> res = http.send(req, HttpResponse.BodyHandlers.ofString());
        if (res.statusCode() != 200) {
            throw new IllegalStateException(req.method() + " " + req.uri() + ": " + res.statusCode() + " " + res.body()
                    + " (expected: 200)");
        }
    }

    /** The same document as the JMH store benchmark's, as compact JSON. */
    static byte[] document(int groups) {
        StringBuilder b = new StringBuilder(groups * 100 * 170).append("{\"data\":{");
        for (int g = 0; g < groups; g++) {
            b.append(g == 0 ? "" : ",").append("\"g").append(g).append("\":{");
            for (int i = 0; i < 100; i++) {
                b.append(i == 0 ? "" : ",").append("\"i").append(i).append("\":{\"value\":").append(g * 100 + i)
                        .append(",\"name\":\"item ").append(g).append('/').append(i)
                        .append(" with a name long enough to matter\",\"tags\":[\"alpha\",\"beta\",\"gamma\"],\"active\":")
                        .append((g + i) % 2 == 0).append(",\"score\":").append((g * 31 + i * 17) % 1000 / 10.0).append('}');
            }
            b.append('}');
        }
        return b.append("}}").toString().getBytes(StandardCharsets.UTF_8);
    }
}

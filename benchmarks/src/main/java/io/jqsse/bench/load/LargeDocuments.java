package io.jqsse.bench.load;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.HdrHistogram.Histogram;

/**
 * Large documents over HTTP against a spawned {@link BenchServer}: {@code POST /store} of a document
 * of {@code groups} x 100 leaves {@code posts} times, then
 * {@code patches} sequential {@code PATCH}es at depth 4 ({@code .data.g<k>.i<j>.value}) inside it.
 * Prints each POST's time and the server's CPU time for it (all its threads, GC included, from
 * {@code /proc}, 10 ms resolution: steadier than wall time on a busy machine), their medians, the
 * PATCH latency percentiles (client-measured round trips over loopback, so they include the HTTP
 * client's own cost) and the server's RSS. With a
 * fourth argument, a directory, it also saves the server's {@code jcmd GC.heap_info} and
 * {@code GC.class_histogram} (live objects, after a full collection) there once the PATCHes are done,
 * to see what holds the heap with the replay buffer full.
 *
 * <p>Also prints the collectors' time during each measured POST, from the server's {@code /metrics}.
 *
 * <pre>java [-DwarmupPosts=N] -cp benchmarks/target/benchmarks.jar io.jqsse.bench.load.LargeDocuments [groups] [posts] [patches] [dir]</pre>
 */
public final class LargeDocuments {

    /** The server's JVM options unless {@code -DserverJvmOptions="..."} replaces them (e.g. to add JFR). */
    static final String SERVER_JVM_OPTIONS = "-Xmx2g -XX:+UseParallelGC";
    /**
     * POSTs before the measured ones ({@code -DwarmupPosts=N}, default 0): the first POSTs of a fresh
     * JVM run the body reader interpreted; the other benchmarks measure after a warm-up too.
     */
    static final int WARMUP_POSTS = Integer.getInteger("warmupPosts", 0);

    private static final Pattern GC_MILLIS = Pattern.compile("\"jvm_gc_time_milliseconds_total\":(\\d+)");

    private LargeDocuments() {
    }

    public static void main(String[] args) throws Exception {
        int groups = args.length > 0 ? Integer.parseInt(args[0]) : 1180;
        int posts = args.length > 1 ? Integer.parseInt(args[1]) : 5;
        int patches = args.length > 2 ? Integer.parseInt(args[2]) : 2000;
        Path heapDir = args.length > 3 ? Path.of(args[3]) : null;
        byte[] body = document(groups);
        try (ServerProcess server = ServerProcess.start(System.getProperty("serverJvmOptions", SERVER_JVM_OPTIONS))) {
            URI base = URI.create("http://127.0.0.1:" + server.port);
            HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                    .connectTimeout(Duration.ofSeconds(10)).build();
            HttpRequest post = HttpRequest.newBuilder(base.resolve("/store")).header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build();
            double[] warmupMillis = new double[WARMUP_POSTS];
            for (int i = 0; i < WARMUP_POSTS; i++) {
                long t0 = System.nanoTime();
                send(http, post);
                warmupMillis[i] = (System.nanoTime() - t0) / 1e6;
            }
            double[] postMillis = new double[posts];
            double[] postCpuMillis = new double[posts];
            double[] postGcMillis = new double[posts];
            for (int i = 0; i < posts; i++) {
                long gc0 = gcMillis(http, base);
                long cpu0 = ServerProcess.cpuNanos(server.pid);
                long t0 = System.nanoTime();
                send(http, post);
                postMillis[i] = (System.nanoTime() - t0) / 1e6;
                postCpuMillis[i] = (ServerProcess.cpuNanos(server.pid) - cpu0) / 1e6;
                postGcMillis[i] = gcMillis(http, base) - gc0;
            }
            if (WARMUP_POSTS > 0) {
                System.out.println(String.format(Locale.ROOT, "warm-up POST ms %s", Arrays.toString(warmupMillis)));
            }
            System.out.println(String.format(Locale.ROOT, "server GC ms per POST %s (jvm_gc_time_milliseconds_total)",
                    Arrays.toString(postGcMillis)));
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
            System.out.println(String.format(Locale.ROOT,
                    "document %.1f MB; POST ms %s, median %.1f ms; server CPU per POST ms %s, median %.0f ms;"
                            + " PATCH depth 4 (last %d of %d): p50 %.3f ms, p90 %.3f ms, p99 %.3f ms, max %.3f ms;"
                            + " server RSS %.0f MiB",
                    body.length / 1e6, Arrays.toString(postMillis), median(postMillis), Arrays.toString(postCpuMillis),
                    median(postCpuMillis), patch.getTotalCount(),
                    patches, patch.getValueAtPercentile(50) / 1e3, patch.getValueAtPercentile(90) / 1e3,
                    patch.getValueAtPercentile(99) / 1e3, patch.getMaxValue() / 1e3,
                    ServerProcess.rssBytes(server.pid) / 1048576.0));
            if (heapDir != null) {
                saveHeap(server.pid, heapDir);
            }
        }
    }

    /** {@code jcmd <pid>} {@code GC.heap_info}, {@code GC.class_histogram} (a full GC), {@code GC.heap_info} into {@code dir}. */
    private static void saveHeap(long pid, Path dir) throws Exception {
        Files.createDirectories(dir);
        String jcmd = Path.of(System.getProperty("java.home"), "bin", "jcmd").toString();
        String[][] steps = {{"GC.heap_info", "server-heap-before-gc.txt"},
                {"GC.class_histogram", "server-class-histogram.txt"}, {"GC.heap_info", "server-heap-after-gc.txt"}};
        for (String[] step : steps) {
            Path out = dir.resolve(step[1]);
            Process p = new ProcessBuilder(jcmd, Long.toString(pid), step[0]).redirectErrorStream(true)
                    .redirectOutput(out.toFile()).start();
            if (!p.waitFor(120, TimeUnit.SECONDS)) {
                p.destroy();
                throw new IllegalStateException("jcmd " + pid + " " + step[0]
                        + ": no answer in 120 s (expected: done)");
            }
            System.out.println("saved " + out);
        }
    }

    /** The server's {@code jvm_gc_time_milliseconds_total} from {@code /metrics}. */
    private static long gcMillis(HttpClient http, URI base) throws Exception {
        HttpResponse<String> res = http.send(HttpRequest.newBuilder(base.resolve("/metrics")).build(),
                HttpResponse.BodyHandlers.ofString());
        Matcher m = GC_MILLIS.matcher(res.body());
        if (res.statusCode() != 200 || !m.find()) {
            throw new IllegalStateException("GET /metrics: " + res.statusCode()
                    + " (expected: 200 with jvm_gc_time_milliseconds_total)");
        }
        return Long.parseLong(m.group(1));
    }

    private static double median(double[] values) {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        return sorted[(sorted.length - 1) / 2];
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

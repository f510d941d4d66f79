package io.jqsse.bench.load;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.netty.channel.EventLoopGroup;
import io.netty.util.ResourceLeakDetector;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BiConsumer;
import java.util.concurrent.TimeUnit;

/**
 * The SSE load generator. One run: optionally start a jq-sse {@link BenchServer} child, optionally
 * replace the document, connect the subscribers (in this process or in {@code --processes} children,
 * which live through every run of the invocation), wait {@code --settle} seconds and sample the
 * server's idle RSS, publish for {@code --duration} seconds, let deliveries drain, and print the
 * report: a human summary and one {@code RESULT <json>} line. Every loop is bounded in count and time;
 * only loopback addresses are accepted.
 *
 * <p>The client must cost less per event than the server it measures, since both share the machine's
 * cores: subscribers read raw bytes with one handler and no per-event allocation, each loop counts
 * into its own tally, the publisher has a loop of its own, and the children's CPU time (reported as
 * the load generator's, with its cost per delivery) excludes connecting and closing.
 *
 * <pre>
 * java -cp benchmarks/target/benchmarks.jar io.jqsse.bench.load.LoadGen --spawn-server \
 *     --subscribers 10000 --processes 2 --sources 4 --writes-per-second 10 --duration 20
 * java -cp ... LoadGen --target nchan --url http://127.0.0.1:9090 --server-pid $(cat DIR/nginx.pid) ...
 * </pre>
 * See {@link Options} for every option.
 */
public final class LoadGen {

    private static final ObjectMapper JSON = new ObjectMapper();

    private LoadGen() {
    }

    public static void main(String[] args) throws Exception {
        Options o = Options.parse(args);
        // every buffer is released by the handler that reads it; sampling them costs a stack trace per 128
        ResourceLeakDetector.setLevel(ResourceLeakDetector.Level.DISABLED);
        if (o.child()) {
            runChild(o);
            return;
        }
        List<Report> measured = run(o, (i, r) -> {
            System.out.println((i < o.warmupRuns() ? "warm-up run " : "run ") + (i + 1) + ":");
            System.out.println(r.summary());
            System.out.println("RESULT " + r.toJson());
        });
        if (measured.size() > 1) {
            System.out.println("MEDIAN " + Report.median(measured));
        }
    }

    /**
     * Runs {@code --warmup-runs} then {@code --runs} measurements against one server (spawned once when
     * asked), giving each report to {@code sink} as it completes, and returns the measured ones.
     */
    static List<Report> run(Options o, BiConsumer<Integer, Report> sink) throws Exception {
        ServerProcess spawned = o.spawnServer() ? ServerProcess.start(o.serverJvmOptions()) : null;
        Options opts = spawned == null ? o : o.with(URI.create("http://127.0.0.1:" + spawned.port), o.subscribers());
        long pid = spawned != null ? spawned.pid : o.serverPid();
        EventLoopGroup publishing = Transport.group(1);
        EventLoopGroup subscribing = opts.processes() == 1 ? Transport.group(opts.loops()) : null;
        List<Report> measured = new ArrayList<>();
        try (Subscribers subs = Subscribers.of(opts, subscribing)) {
            if (opts.initItems() > 0 && opts.target().equals("jqsse")) {
                replaceDocument(opts, itemsDocument(opts.initItems()));
            }
            if (opts.initGroups() > 0 && opts.target().equals("jqsse")) {
                replaceDocument(opts, LargeDocuments.document(opts.initGroups()));
            }
            for (int i = 0; i < o.warmupRuns() + o.runs(); i++) {
                Report r = runOnce(opts, pid, subs, publishing);
                sink.accept(i, r);
                if (i >= o.warmupRuns()) {
                    measured.add(r);
                }
            }
            return measured;
        } finally {
            publishing.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
            if (subscribing != null) {
                subscribing.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
            }
            if (spawned != null) {
                spawned.close();
            }
        }
    }

    private static Report runOnce(Options opts, long pid, Subscribers subs, EventLoopGroup publishing)
            throws Exception {
        Report.Builder r = new Report.Builder(opts);
        r.rssBefore = ServerProcess.rssBytes(pid);
        r.countersBefore = counters(opts);
        r.connect = subs.connect();
        awaitSettle(opts);
        r.rssIdle = ServerProcess.rssBytes(pid);
        long serverCpu = ServerProcess.cpuNanos(pid);
        long ownCpu = ServerProcess.cpuNanos(ProcessHandle.current().pid());
        r.publish = new Publisher(opts, publishing).run().get((long) opts.durationSeconds() + 120, TimeUnit.SECONDS);
        r.rssLoaded = ServerProcess.rssBytes(pid);
        r.delivered = subs.drain();
        r.serverCpuNanos = ServerProcess.cpuNanos(pid) - serverCpu;
        r.clientCpuNanos = ServerProcess.cpuNanos(ProcessHandle.current().pid()) - ownCpu
                - (ProcessHandle.current().descendants().anyMatch(h -> h.pid() == pid) ? r.serverCpuNanos : 0);
        r.countersAfter = counters(opts);
        subs.disconnect();
        return r.build();
    }

    private static void awaitSettle(Options o) throws InterruptedException {
        TimeUnit.MILLISECONDS.sleep((long) (o.settleSeconds() * 1000));
    }

    /** A subscriber child: one pool per {@code CONNECT}, reported and closed at {@code STOP}, until stdin closes. */
    private static void runChild(Options o) throws Exception {
        EventLoopGroup group = Transport.group(o.loops());
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.US_ASCII));
        try {
            for (String line = in.readLine(); line != null; line = in.readLine()) {
                if (line.equals("CONNECT")) {
                    childRun(o, group, in);
                }
            }
        } finally {
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
        }
    }

    private static void childRun(Options o, EventLoopGroup group, BufferedReader in) throws Exception {
        try (SubscriberPool pool = new SubscriberPool(o, group)) {
            pool.start().get(10, TimeUnit.MINUTES);
            System.out.println("READY " + pool.stats().toJson());
            System.out.flush();
            String line;
            while ((line = in.readLine()) != null && !line.equals("STOP")) {
                continue;
            }
            pool.awaitQuiet(1000, (long) (o.drainSeconds() * 1000));
            System.out.println("STATS " + pool.stats().toJson());
            System.out.flush();
            while ((line = in.readLine()) != null && !line.equals("CLOSE")) {
                continue;
            }
        }
        System.out.println("CLOSED");
        System.out.flush();
    }

    /** {@code {"bench":{"t":0,"n":0},"items":[{"id":0,"t":0},...]}} with {@code n} items. */
    private static byte[] itemsDocument(int n) {
        StringBuilder doc = new StringBuilder("{\"bench\":{\"t\":0,\"n\":0},\"items\":[");
        for (int i = 0; i < n; i++) {
            doc.append(i == 0 ? "" : ",").append("{\"id\":").append(i).append(",\"t\":0}");
        }
        return doc.append("]}").toString().getBytes(StandardCharsets.UTF_8);
    }

    /** {@code POST /store} of {@code doc}. */
    private static void replaceDocument(Options o, byte[] doc) throws Exception {
        HttpResponse<String> res = http().send(HttpRequest.newBuilder(o.url().resolve("/store"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofByteArray(doc)).build(), HttpResponse.BodyHandlers.ofString());
        if (res.statusCode() != 200) {
            throw new IllegalStateException("POST /store: " + res.statusCode() + " " + res.body() + " (expected: 200)");
        }
    }

    /** jq-sse's {@code /metrics} (JSON: counters and histograms), or null for nchan or when unreachable. */
    private static JsonNode counters(Options o) {
        if (!o.target().equals("jqsse")) {
            return null;
        }
        try {
            HttpResponse<String> res = http().send(HttpRequest.newBuilder(o.url().resolve("/metrics"))
                    .header("Accept", "application/json").GET().build(), HttpResponse.BodyHandlers.ofString());
            return JSON.readTree(res.body());
        } catch (Exception e) {
            return null;
        }
    }

    private static HttpClient http() {
        return HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(10)).build();
    }
}

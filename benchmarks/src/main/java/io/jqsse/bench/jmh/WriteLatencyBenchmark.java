package io.jqsse.bench.jmh;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.util.internal.ThreadExecutorMap;
import java.io.IOException;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The server-side time of one {@code PATCH /store?path=.bench} while {@code subscribers} streams on
 * {@code .bench} receive the fan-out of the previous writes: issue 4's "write latency does not grow
 * with subscribers" without the sockets. Over loopback on this 2-core machine the publisher's p99 is
 * the machine's (a server that does nothing shows 13 ms), so this measures in process what the server
 * itself adds to a write.
 *
 * <p><b>What one invocation is.</b> The bytes of one HTTP/1.1 request ({@code Content-Type:
 * application/json}, body {@code {"t":N}}, a {@code Write.Set}) go into an {@link EmbeddedChannel}
 * carrying {@code JqSseServer#newChannelInitializer()}'s whole pipeline (connection limit, codec, body
 * budget, idle, keep-alive, aggregator, sequencer, CORS, router), on one persistent connection as a
 * publisher's: {@code fireChannelRead} and {@code fireChannelReadComplete}, as a socket read delivers
 * them. The memory store commits on the calling thread, the answer is encoded and flushed, and the
 * invocation drains the response bytes; the timer stops there, when a socket would be handed the
 * answer. The tasks the request left on its loop (the dispatcher's wake-up, the sequencer's next read)
 * then run untimed, as on a {@code jq-sse-http} loop they run after the answer went out. The status
 * line and the body length against {@code Content-Length} are checked untimed too (a response other
 * than a complete 200 fails the run).
 *
 * <p><b>Why the request runs "on its loop".</b> The dispatcher defers its wake-up when the write
 * comes from an event loop until that loop's task is done (the answer is out first;
 * {@code Dispatcher#onChange}). An {@code EmbeddedChannel} runs on the caller's thread, which is no
 * loop, so the invocation runs under {@code ThreadExecutorMap.apply(..., channel.eventLoop())}: the
 * wake-up is then queued on the embedded loop and runs after the answer, as in the server, instead
 * of waking the dispatcher in the middle of the request. Everything else is the real path: the JMH thread plays the
 * HTTP loop, and the dispatcher thread and the {@code loops} stream loops ({@link CountingHarness})
 * compete with it for the 2 cores, as in the server.
 *
 * <p><b>The fan-out runs at the same time, bounded.</b> The streams are {@link CountingChannel}s, all
 * on {@code .bench}, so every write is an event for every one of them. Before each invocation
 * (untimed) the benchmark waits until the probe (the first stream to join, on loop 0, so first in its
 * group there) has received all but {@value #MAX_AHEAD} of the writes so far. So the stream loops are
 * always busy delivering while a PATCH is served (the worst case for the request thread's share of
 * the cores; a publisher at 10 writes/s leaves them idle most of the time), the PATCH rate is what
 * the fan-out sustains, and loop 0 never has more than {@value #MAX_AHEAD} changes queued behind the
 * run it is delivering. Loop 1 is not watched; it has the same share of streams, and the engine's
 * per-loop bound would resync its streams with an {@code init} if it fell behind. At tear-down of
 * each iteration the run prints its writes, the probe's events, the GC time, and (since the start,
 * from {@code GET /metrics} on the same connection) the engine's counters ({@code resyncs_total} and
 * {@code deltas_dropped_total} count conflation) and the server's own {@code write_duration_seconds}
 * buckets. At 0 subscribers nothing waits: back-to-back PATCHes with nothing to deliver.
 *
 * <p><b>Not measured:</b> sockets, the kernel's TCP and loopback work, epoll wake-ups of the HTTP
 * loop, the client and its scheduling, and the tasks that run on the loop after the answer (in the
 * server they delay the loop's next request, not this answer). A real request adds at least one
 * socket read and one write.
 *
 * <p>Run (about 4-5 minutes; 100,000 streams take a while to open):
 * <pre>
 * mvn -q -pl benchmarks -am package -DskipTests &amp;&amp; java -jar benchmarks/target/benchmarks.jar WriteLatency
 * </pre>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 5)
@Measurement(iterations = 5, time = 10)
@Fork(value = 1, jvmArgsAppend = {"-Xmx6g", "-Xms2g", "-XX:+UseParallelGC"})
public class WriteLatencyBenchmark {

    /** Writes the probe may lag behind before the next PATCH waits. */
    static final int MAX_AHEAD = 8;
    private static final String OK = "HTTP/1.1 200 ";
    private static final List<String> COUNTERS = List.of("changes_dispatched_total", "stream_writes_total",
            "deltas_dropped_total", "resyncs_total", "slow_clients_closed_total");

    @Param({"0", "1000", "10000", "100000"})
    public int subscribers;

    /**
     * The stream loops. 2 as in the server on this machine (one per core); {@code -p loops=1} leaves a
     * core to the request thread, which tells the request path's own cost from the competition for cores.
     */
    @Param({"2"})
    public int loops;

    private CountingHarness harness;
    private EmbeddedChannel publisher;
    private Runnable exchangeOnLoop;
    private ByteBuf request;
    private final List<ByteBuf> response = new ArrayList<>();
    private long writes;
    private long probeBlocksAtStart;
    private long writesAtMark;
    private long probeBlocksAtMark;
    private long gcMillisAtMark;

    @Setup(Level.Trial)
    public void connect() {
        harness = new CountingHarness(loops);
        if (subscribers > 0) {
            harness.subscribe(subscribers, ".bench");
            probeBlocksAtStart = harness.probeBlocks();
        }
        publisher = new EmbeddedChannel(harness.server.newChannelInitializer());
        exchangeOnLoop = ThreadExecutorMap.apply(this::exchange, publisher.eventLoop());
    }

    /** Untimed: waits for the fan-out to be within {@link #MAX_AHEAD} writes, then builds the request. */
    @Setup(Level.Invocation)
    public void pace() {
        if (subscribers > 0) {
            CountingHarness.await(harness::probeBlocks, probeBlocksAtStart + writes - MAX_AHEAD, "probe's SSE blocks");
        }
        String body = "{\"t\":" + writes + "}";
        request = Unpooled.wrappedBuffer(("PATCH /store?path=.bench HTTP/1.1\r\nHost: bench\r\n"
                + "Content-Type: application/json\r\nContent-Length: " + body.length() + "\r\n\r\n" + body)
                .getBytes(StandardCharsets.US_ASCII));
    }

    @Benchmark
    public void patch() {
        exchangeOnLoop.run();
    }

    private void exchange() {
        ChannelPipeline p = publisher.pipeline();
        p.fireChannelRead(request);
        p.fireChannelReadComplete();
        for (ByteBuf b; (b = publisher.readOutbound()) != null; ) {
            response.add(b);
        }
    }

    /** Untimed: runs the tasks the request left on its loop, then checks the response was one complete 200. */
    @TearDown(Level.Invocation)
    public void check() {
        writes++;
        try {
            publisher.runPendingTasks();
            publisher.checkException();
            checkComplete200(response);
        } finally {
            response.forEach(ByteBuf::release);
            response.clear();
        }
    }

    /**
     * @throws IllegalStateException unless {@code parts} are one 200 response whose body is as long as
     *                               its {@code Content-Length}
     */
    static void checkComplete200(List<ByteBuf> parts) {
        StringBuilder all = new StringBuilder();
        parts.forEach(b -> all.append(b.toString(StandardCharsets.ISO_8859_1)));
        String text = all.toString();
        int end = text.indexOf("\r\n\r\n");
        if (!text.startsWith(OK) || end < 0) {
            throw new IllegalStateException("response: " + firstLine(text) + " (expected: HTTP/1.1 200 OK)");
        }
        String head = text.substring(0, end).toLowerCase(Locale.ROOT);
        int at = head.indexOf("\r\ncontent-length:");
        long declared = at < 0 ? -1 : Long.parseLong(head.substring(at + 17, lineEnd(head, at + 2)).trim());
        long body = text.length() - end - 4;
        if (declared != body) {
            throw new IllegalStateException("response body: " + body + " bytes (expected: Content-Length "
                    + declared + ")");
        }
    }

    private static int lineEnd(String text, int from) {
        int end = text.indexOf("\r\n", from);
        return end < 0 ? text.length() : end;
    }

    private static String firstLine(String text) {
        return text.substring(0, lineEnd(text, 0));
    }

    @Setup(Level.Iteration)
    public void mark() {
        writesAtMark = writes;
        probeBlocksAtMark = subscribers > 0 ? harness.probeBlocks() : 0;
        gcMillisAtMark = gcMillis();
    }

    /** Prints what the iteration's writes did to the streams, so conflation shows next to the score. */
    @TearDown(Level.Iteration)
    public void report() {
        long probe = subscribers > 0 ? harness.probeBlocks() - probeBlocksAtMark : 0;
        System.out.printf(Locale.ROOT, "writes %d, probe events %d, GC %d ms; since start: %s%n",
                writes - writesAtMark, probe, gcMillis() - gcMillisAtMark, engineCounters());
    }

    /**
     * The engine's delivery counters and the server's own {@code write_duration_seconds} buckets (from
     * the store call to the answer), read with {@code GET /metrics} on the publisher's connection.
     */
    private String engineCounters() {
        publisher.writeInbound(Unpooled.wrappedBuffer(
                "GET /metrics HTTP/1.1\r\nHost: bench\r\n\r\n".getBytes(StandardCharsets.US_ASCII)));
        StringBuilder text = new StringBuilder();
        for (ByteBuf b; (b = publisher.readOutbound()) != null; ) {
            text.append(b.toString(StandardCharsets.UTF_8));
            b.release();
        }
        int body = text.indexOf("\r\n\r\n");
        JsonNode metrics;
        try {
            metrics = new ObjectMapper().readTree(text.substring(body + 4));
        } catch (IOException | RuntimeException e) {
            throw new IllegalStateException("GET /metrics: " + firstLine(text.toString())
                    + " (expected: 200 with JSON)", e);
        }
        StringBuilder out = new StringBuilder();
        for (String name : COUNTERS) {
            out.append(name).append(' ').append(metrics.path("counters").path(name).asLong()).append(", ");
        }
        JsonNode writeDuration = metrics.path("histograms").path("write_duration_seconds");
        return out.append("write_duration_seconds ").append(writeDuration.path("buckets")).toString();
    }

    private static long gcMillis() {
        long total = 0;
        for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
            total += Math.max(0, gc.getCollectionTime());
        }
        return total;
    }

    @TearDown(Level.Trial)
    public void close() {
        publisher.finishAndReleaseAll();
        harness.close();
    }
}

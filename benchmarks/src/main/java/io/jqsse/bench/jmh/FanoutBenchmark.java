package io.jqsse.bench.jmh;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import io.jqsse.store.Path;
import io.jqsse.store.Write;
import java.lang.management.ManagementFactory;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The server's own cost per delivered event: {@code subscribers} streams on one filter, each a
 * {@link CountingChannel} (no sockets, no peer, no client: see {@link CountingHarness}). An invocation
 * commits {@code EVENTS / subscribers} writes and waits until every stream received every event, so
 * it counts as {@value #EVENTS} operations and the score is nanoseconds per delivered event; a flat
 * score from 1k to 100k means the cost per event does not grow with subscribers.
 *
 * <ul>
 *   <li>{@link #backToBack}: the writes are committed one after the other without waiting, so the
 *       dispatcher batches what queues up (one flush per stream per batch), as under load;</li>
 *   <li>{@link #oneAtATime}: each write waits for its delivery to every stream before the next is
 *       committed, so nothing can be batched: the cost of a single change, its fixed part (dispatch,
 *       encoding, hand-off to the loops, wake-ups) spread over {@code subscribers} events.</li>
 * </ul>
 * At 100k both commit one write per invocation and measure the same thing. After every iteration
 * each stream's bytes are checked against the probe's, and the probe's SSE blocks against the writes.
 *
 * <p>Netty's leak detection stays at its default ({@code simple}), as in a deployment: about one
 * pooled buffer in 128 is tracked, and every stream's duplicate of a tracked event buffer then records
 * a stack trace, which shows as an occasional slow iteration. To measure without it, add
 * {@code -jvmArgsAppend "-Xmx6g -Xms2g -XX:+UseParallelGC -Dio.netty.leakDetection.level=disabled"}
 * (a {@code -jvmArgsAppend} on the command line replaces the one of {@code @Fork}).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 5, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"-Xmx6g", "-Xms2g", "-XX:+UseParallelGC"})
public class FanoutBenchmark {

    static final int EVENTS = 100_000;

    @Param({"1000", "10000", "50000", "100000"})
    public int subscribers;

    /** The server's event loops (the streams stay on the loop they were registered on). */
    @Param({"2"})
    public int loops;

    private CountingHarness harness;
    private final Path path = Path.of("bench");
    private int writes;
    private long seq;
    private long cpuAtMark;
    private long eventsSinceMark;

    @Setup(Level.Trial)
    public void connect() {
        if (subscribers > EVENTS || EVENTS % subscribers != 0) {
            throw new IllegalArgumentException("subscribers: " + subscribers + " (expected: a divisor of " + EVENTS + ")");
        }
        writes = EVENTS / subscribers;
        harness = new CountingHarness(loops);
        harness.subscribe(subscribers, ".bench");
    }

    @Setup(Level.Iteration)
    public void mark() {
        harness.mark();
        eventsSinceMark = 0;
        cpuAtMark = processCpuNanos();
    }

    @Benchmark
    @OperationsPerInvocation(EVENTS)
    public void backToBack() {
        CountingHarness.Position from = harness.position();
        for (int i = 0; i < writes; i++) {
            harness.write(next());
        }
        harness.awaitDelivered(from, writes);
        eventsSinceMark += EVENTS;
    }

    @Benchmark
    @OperationsPerInvocation(EVENTS)
    public void oneAtATime() {
        for (int i = 0; i < writes; i++) {
            CountingHarness.Position from = harness.position();
            harness.write(next());
            harness.awaitDelivered(from, 1);
        }
        eventsSinceMark += EVENTS;
    }

    private Write next() {
        return new Write.Set(path, JsonNodeFactory.instance.objectNode().put("n", seq++));
    }

    /**
     * Checks delivery, then prints the CPU time the whole JVM (loops, dispatcher, this thread, GC and
     * JIT) spent per delivered event over the iteration: unlike the score, it does not grow when other
     * processes take the cores.
     */
    @TearDown(Level.Iteration)
    public void verify() {
        long cpu = processCpuNanos() - cpuAtMark;
        harness.verify();
        System.out.printf(Locale.ROOT, "process CPU: %.1f ns per delivered event (%d events)%n",
                (double) cpu / eventsSinceMark, eventsSinceMark);
    }

    private static long processCpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
                .getProcessCpuTime();
    }

    @TearDown(Level.Trial)
    public void close() {
        harness.close();
    }
}

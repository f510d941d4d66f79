package io.jqsse.bench.jmh;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.jqsse.store.Path;
import io.jqsse.store.Write;
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
 * Cost per delivered event with Netty's local transport between server and clients, the first
 * in-process measurement, kept to compare with {@link FanoutBenchmark} (the server alone): every
 * delivery here also pays the peer hand-off (the client's inbound queue, a task per flush when the
 * client is on the other loop), the client's pipeline and its byte scan. {@code subscribers} streams
 * on one filter; one invocation commits {@code EVENTS / subscribers} writes back to back (the
 * dispatcher batches what queues up, as it does under load) and waits until the clients counted
 * every event (after each iteration, every client separately). The score is nanoseconds per
 * delivered event (the invocation counts as {@value #EVENTS} operations).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 5, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"-Xmx6g", "-Xms2g", "-XX:+UseParallelGC"})
public class LocalFanoutBenchmark {

    static final int EVENTS = 100_000;

    @Param({"1000", "10000", "50000", "100000"})
    public int subscribers;

    /** Event loops shared by the server's channels and the counting clients. */
    @Param({"2"})
    public int loops;

    private LocalHarness harness;
    private final Path path = Path.of("bench");
    private long seq;
    private long writesSinceMark;

    @Setup(Level.Trial)
    public void connect() {
        harness = new LocalHarness(loops, null, true);
        harness.subscribe(subscribers, ".bench");
        harness.awaitQuiet(200);
    }

    @Setup(Level.Iteration)
    public void mark() {
        harness.mark();
        writesSinceMark = 0;
    }

    @Benchmark
    @OperationsPerInvocation(EVENTS)
    public void deliverToAll() {
        int writes = Math.max(1, EVENTS / subscribers);
        long target = harness.blocks.sum() + (long) writes * subscribers;
        for (int i = 0; i < writes; i++) {
            ObjectNode v = JsonNodeFactory.instance.objectNode().put("n", seq++);
            harness.write(new Write.Set(path, v));
        }
        writesSinceMark += writes;
        LocalHarness.await(harness.blocks, target);
    }

    /** Every client, not only their sum, received one block per write of the iteration. */
    @TearDown(Level.Iteration)
    public void verify() {
        harness.verifyEveryClientGot(writesSinceMark);
    }

    @TearDown(Level.Trial)
    public void close() {
        harness.close();
    }
}

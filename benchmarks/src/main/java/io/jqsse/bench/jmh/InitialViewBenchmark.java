package io.jqsse.bench.jmh;

import com.fasterxml.jackson.databind.node.IntNode;
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
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Initial views of a large document: {@code subscribers} new streams on {@code .data} of a document of
 * about 16 MB, in process, until every one has received its whole view. Before each invocation a write
 * inside {@code .data} invalidates the group's cached view events, so every invocation encodes at
 * least once. If the view were encoded per subscriber, 1,000 subscribers would cost 1,000 times one;
 * encoded once, they cost one encoding plus the per-stream setup.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, batchSize = 1)
@Measurement(iterations = 5, batchSize = 1)
@Fork(value = 1, jvmArgsAppend = {"-Xmx6g", "-Xms2g", "-XX:+UseParallelGC"})
public class InitialViewBenchmark {

    @Param({"1", "1000"})
    public int subscribers;

    /** 1,180 groups of 100 leaves: about 16 MB of compact JSON. */
    @Param({"1180"})
    public int groups;

    private LocalHarness harness;
    private long viewBytes;
    private int seq;

    @Setup(Level.Trial)
    public void start() {
        ObjectNode doc = BenchDocuments.nested(groups);
        harness = new LocalHarness(2, doc, false);
        long before = harness.bytes.sum();
        harness.subscribe(1, ".data");
        harness.awaitQuiet(500);
        viewBytes = harness.bytes.sum() - before;
        harness.closeClients();
    }

    @Setup(Level.Invocation)
    public void invalidate() {
        harness.write(new Write.Set(Path.of("data", "g0", "i0", "value"), IntNode.valueOf(seq++)));
    }

    @Benchmark
    public long joinAndReceiveViews() {
        long target = harness.bytes.sum() + subscribers * (viewBytes - 64);
        harness.subscribe(subscribers, ".data");
        LocalHarness.await(harness.bytes, target);
        return target;
    }

    @TearDown(Level.Invocation)
    public void leave() {
        harness.closeClients();
    }

    @TearDown(Level.Trial)
    public void close() {
        harness.close();
    }
}

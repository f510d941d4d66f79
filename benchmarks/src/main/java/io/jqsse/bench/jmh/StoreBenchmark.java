package io.jqsse.bench.jmh;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.IntNode;
import io.jqsse.store.Commit;
import io.jqsse.store.DocumentStore;
import io.jqsse.store.Path;
import io.jqsse.store.Write;
import io.jqsse.store.memory.MemoryStore;
import java.io.IOException;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Memory-store writes by document size: a set at depth 4 ({@code .data.g<k>.i<j>.value}, the cost
 * should follow the path's depth and fan-out, not the document's size), the server side of a
 * {@code POST /store}: parsing the JSON body and replacing the document, and the store's share of it
 * alone ({@code replaceParsed}: two trees parsed beforehand take turns, so the store measures the size
 * of a document it has not seen). {@code groups} x 100 leaves: 12 is about 160 KB, 118 about 1.6 MB,
 * 1,180 about 16 MB.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"-Xmx4g"})
public class StoreBenchmark {

    @Param({"12", "118", "1180"})
    public int groups;

    private MemoryStore store;
    private byte[] body;
    private Path[] paths;
    private JsonNode[] parsed;
    private int next;

    @Setup
    public void setUp() throws IOException {
        JsonNode doc = BenchDocuments.nested(groups);
        body = BenchDocuments.bytes(doc);
        store = MemoryStore.builder().initialDocument(doc).build();
        store.start().toCompletableFuture().join();
        parsed = new JsonNode[] {BenchDocuments.JSON.readTree(body), BenchDocuments.JSON.readTree(body)};
        paths = new Path[1024];
        for (int i = 0; i < paths.length; i++) {
            paths[i] = Path.of("data", "g" + (i * 7919 % groups), "i" + (i % 100), "value");
        }
    }

    @Benchmark
    public Commit setAtDepth4() {
        Path p = paths[next++ & (paths.length - 1)];
        return store.write(new Write.Set(p, IntNode.valueOf(next)), DocumentStore.ANY_REV).toCompletableFuture().join();
    }

    @Benchmark
    public Commit parseAndReplace() throws IOException {
        JsonNode doc = BenchDocuments.JSON.readTree(body);
        return store.write(new Write.Replace(doc), DocumentStore.ANY_REV).toCompletableFuture().join();
    }

    @Benchmark
    public Commit replaceParsed() {
        JsonNode doc = parsed[next++ & 1];
        return store.write(new Write.Replace(doc), DocumentStore.ANY_REV).toCompletableFuture().join();
    }
}

package io.jqsse.bench.jmh;

import com.fasterxml.jackson.databind.JsonNode;
import io.jqsse.jq.Filter;
import io.jqsse.jq.FilterCompiler;
import io.jqsse.jq.FilterLimits;
import io.jqsse.jq.View;
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
 * jq evaluation on a document of 1,000 users: the view of a plain path, of a wildcard path, of a
 * select, and of a computed filter (jackson-jq); and compiling a filter text with a fresh (empty-cache) compiler.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class JqBenchmark {

    @Param({".data.users[500].name", ".data.users[*].name", ".data.users[] | select(.age > 60)",
            "[.data.users[] | select(.age > 60) | .name] | length"})
    public String filter;

    private JsonNode doc;
    private Filter compiled;
    private FilterCompiler compiler;

    @Setup
    public void setUp() {
        doc = BenchDocuments.users(1000);
        compiler = new FilterCompiler(FilterLimits.defaults());
        compiled = compiler.compile(filter);
    }

    @Benchmark
    public View view() {
        return compiled.view(doc);
    }

    @Benchmark
    public Filter compileUncached() {
        return new FilterCompiler(FilterLimits.defaults()).compile(filter);
    }
}

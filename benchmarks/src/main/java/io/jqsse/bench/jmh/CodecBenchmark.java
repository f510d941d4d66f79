package io.jqsse.bench.jmh;

import io.jqsse.codec.SseEncoder;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.buffer.Unpooled;
import java.nio.charset.StandardCharsets;
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
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/** The SSE encoder: one event block from a JSON string and from UTF-8 bytes, at two data sizes. */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class CodecBenchmark {

    /** Bytes of JSON data per event (single-line, like the server's compact JSON). */
    @Param({"100", "10000"})
    public int dataBytes;

    private String data;
    private ByteBuf utf8;
    private ByteBuf out;

    @Setup
    public void setUp() {
        StringBuilder b = new StringBuilder("{\"filter\":\".bench\",\"path\":\".bench\",\"value\":\"");
        while (b.length() < dataBytes - 2) {
            b.append('x');
        }
        data = b.append("\"}").toString();
        utf8 = Unpooled.copiedBuffer(data, StandardCharsets.UTF_8);
        out = PooledByteBufAllocator.DEFAULT.buffer(dataBytes + 256);
    }

    @Benchmark
    public int encodeFromString() {
        out.clear();
        SseEncoder.writeEvent(out, "update", "ab12cd:123456", data);
        return out.readableBytes();
    }

    @Benchmark
    public int encodeFromBytes() {
        out.clear();
        SseEncoder.writeEvent(out, "update", "ab12cd:123456", utf8);
        return out.readableBytes();
    }

    @TearDown
    public void tearDown() {
        utf8.release();
        out.release();
    }
}

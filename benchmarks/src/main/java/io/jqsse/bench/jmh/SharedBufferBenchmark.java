package io.jqsse.bench.jmh;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

/**
 * What the per-event {@code retainedDuplicate()} and its later release cost when two event loops
 * share one encoded buffer (the server's delivery path: both loops retain and release the same
 * reference count) compared with each loop owning its own copy. Two threads, like the two event
 * loops of this machine.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
@Threads(2)
public class SharedBufferBenchmark {

    /** One buffer for both threads. */
    @State(Scope.Benchmark)
    public static class Shared {
        ByteBuf buf;

        @Setup(Level.Trial)
        public void allocate() {
            buf = PooledByteBufAllocator.DEFAULT.directBuffer(256).writeZero(200).asReadOnly();
        }

        @TearDown(Level.Trial)
        public void release() {
            buf.release();
        }
    }

    /** A buffer per thread. */
    @State(Scope.Thread)
    public static class Own {
        ByteBuf buf;

        @Setup(Level.Trial)
        public void allocate() {
            buf = PooledByteBufAllocator.DEFAULT.directBuffer(256).writeZero(200).asReadOnly();
        }

        @TearDown(Level.Trial)
        public void release() {
            buf.release();
        }
    }

    @Benchmark
    public boolean sharedAcrossLoops(Shared s) {
        return s.buf.retainedDuplicate().release();
    }

    @Benchmark
    public boolean ownedPerLoop(Own o) {
        return o.buf.retainedDuplicate().release();
    }
}

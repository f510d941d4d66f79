package io.jqsse.bench.jmh;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import com.fasterxml.jackson.databind.node.IntNode;
import io.jqsse.store.Path;
import io.jqsse.store.Write;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.util.ResourceLeakDetector;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.LongAdder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.slf4j.LoggerFactory;

/** The server-only harness counts exactly what the server flushes to each stream, and cleans up after itself. */
@Timeout(60)
class CountingHarnessTest {

    @Test
    void everyStreamReceivesOneBlockPerWriteAndTheSameBytesAsTheProbe() {
        try (CountingHarness h = new CountingHarness(2)) {
            h.subscribe(50, ".bench");
            h.mark();
            CountingHarness.Position from = h.position();
            for (int i = 0; i < 4; i++) {
                h.write(new Write.Set(Path.of("bench"), IntNode.valueOf(i)));
            }
            h.awaitDelivered(from, 4);
            h.awaitQuiet(100);
            h.verify();
            CountingHarness.Position to = h.position();
            long perStream = to.probeBytes() - from.probeBytes();
            assertEquals(4, to.probeBlocks() - from.probeBlocks());
            assertTrue(perStream > 4 * "data: 0\n\n".length(), "an event's bytes: " + perStream / 4);
            assertEquals(50 * perStream, to.totalBytes() - from.totalBytes());
        }
    }

    @Test
    void aStreamThatMissedAnEventFailsVerification() {
        try (CountingHarness h = new CountingHarness(2)) {
            h.subscribe(3, ".bench");
            h.subscribe(1, ".other");
            h.mark();
            CountingHarness.Position from = h.position();
            h.write(new Write.Set(Path.of("bench"), IntNode.valueOf(1)));
            CountingHarness.await(() -> h.position().probeBlocks(), from.probeBlocks() + 1, "probe");
            h.awaitQuiet(100);
            IllegalStateException e = assertThrows(IllegalStateException.class, h::verify);
            assertTrue(e.getMessage().startsWith("stream 3: 0 bytes since the mark (expected: "), e.getMessage());
        }
    }

    @Test
    void waitingForMoreThanArrivesFailsOnceNothingMoves() {
        LongAdder none = new LongAdder();
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> CountingHarness.await(
                none::sum, 1, "counter", Duration.ofSeconds(30), Duration.ofMillis(50)));
        assertTrue(e.getMessage().startsWith("counter: 0 after PT0.05"), e.getMessage());
        assertTrue(e.getMessage().endsWith("(expected: 1; deadline PT30S, stall limit PT0.05S)"), e.getMessage());
    }

    @Test
    void closingStopsTheLoopsAndLeaksNoBuffer() {
        ResourceLeakDetector.Level level = ResourceLeakDetector.getLevel();
        Logger leaks = (Logger) LoggerFactory.getLogger(ResourceLeakDetector.class);
        ListAppender<ILoggingEvent> reports = new ListAppender<>();
        reports.start();
        leaks.addAppender(reports);
        ResourceLeakDetector.setLevel(ResourceLeakDetector.Level.PARANOID);
        try {
            CountingHarness h = new CountingHarness(2);
            h.subscribe(20, ".bench");
            CountingHarness.Position from = h.position();
            for (int i = 0; i < 5; i++) {
                h.write(new Write.Set(Path.of("bench"), IntNode.valueOf(i)));
            }
            h.awaitDelivered(from, 5);
            h.close();
            assertTrue(h.stopped(), "loops terminated");
            collectAndPollLeaks();
            assertEquals(List.of(), reports.list.stream().map(ILoggingEvent::getFormattedMessage).toList());
        } finally {
            ResourceLeakDetector.setLevel(level);
            leaks.detachAppender(reports);
        }
    }

    /** Leaks are reported when an allocation finds a collected, unreleased buffer on the detector's queue. */
    private static void collectAndPollLeaks() {
        for (int i = 0; i < 5; i++) {
            System.gc();
            for (int k = 0; k < 100; k++) {
                ByteBuf b = PooledByteBufAllocator.DEFAULT.directBuffer(16);
                b.release();
            }
        }
    }
}

package io.jqsse.bench.jmh;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.IntNode;
import io.jqsse.store.Path;
import io.jqsse.store.Write;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The in-process harness the fan-out benchmarks stand on counts exactly what the server sends. */
@Timeout(60)
class LocalHarnessTest {

    @Test
    void everyStreamCountsItsStartAndOneBlockPerWrite() {
        try (LocalHarness h = new LocalHarness(2, null, true)) {
            h.subscribe(50, ".bench");
            h.awaitQuiet(100);
            assertEquals(50 * 3, h.blocks.sum(), "retry, connected and initial_data per stream");
            h.mark();
            for (int i = 0; i < 4; i++) {
                h.write(new Write.Set(Path.of("bench"), IntNode.valueOf(i)));
            }
            LocalHarness.await(h.blocks, 50 * 3 + 50 * 4);
            h.awaitQuiet(100);
            assertEquals(50 * 3 + 50 * 4, h.blocks.sum());
            h.verifyEveryClientGot(4);
            IllegalStateException e = assertThrows(IllegalStateException.class, () -> h.verifyEveryClientGot(5));
            assertTrue(e.getMessage().endsWith(": 4 blocks since the mark (expected: 5)"), e.getMessage());
        }
    }

    @Test
    void waitingForMoreThanArrivesFailsAtTheDeadline() {
        java.util.concurrent.atomic.LongAdder none = new java.util.concurrent.atomic.LongAdder();
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> LocalHarness.await(none, 1, java.time.Duration.ofMillis(50)));
        assertEquals("counter: 0 after PT0.05S (expected: 1)", e.getMessage());
    }
}

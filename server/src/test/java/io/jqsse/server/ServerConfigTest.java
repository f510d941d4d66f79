package io.jqsse.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The buffered-request budget that {@link ServerConfig} resolves and the values its builder refuses. */
class ServerConfigTest {

    private static final long MIB = 1024 * 1024;

    @Test
    void theAutomaticBudgetIsAQuarterOfTheMaximumHeap() {
        ServerConfig c = ServerConfig.builder().maxRequestBytes(1).build();
        assertEquals(Runtime.getRuntime().maxMemory() / 4, c.bufferedRequestBudgetBytes());
    }

    @Test
    void theAutomaticBudgetAlwaysHoldsOneLargestRequest() {
        long aboveAQuarter = Runtime.getRuntime().maxMemory() / 4 + MIB;
        ServerConfig c = ServerConfig.builder().maxRequestBytes(aboveAQuarter).build();
        assertEquals(aboveAQuarter, c.bufferedRequestBudgetBytes());
    }

    @Test
    void aBudgetThatIsSetIsTakenAsItIs() {
        ServerConfig c = ServerConfig.builder().maxRequestBytes(MIB).maxBufferedRequestBytes(3 * MIB).build();
        assertEquals(3 * MIB, c.bufferedRequestBudgetBytes());
    }

    @Test
    void toBuilderKeepsTheTransport() {
        ServerConfig c = ServerConfig.builder().ioTransport(IoTransport.NIO).build();
        assertEquals(IoTransport.NIO, c.toBuilder().port(0).build().ioTransport());
        assertEquals(c, c.toBuilder().build());
    }

    @ParameterizedTest
    @ValueSource(longs = {-1, 1, 20 * MIB - 1})
    void aBudgetBelowOneLargestRequestIsRefused(long bytes) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> ServerConfig.builder().maxBufferedRequestBytes(bytes).build());
        assertEquals("maxBufferedRequestBytes: " + bytes + " (expected: 0 or at least maxRequestBytes "
                + ServerConfig.DEFAULT_MAX_REQUEST_BYTES + ")", e.getMessage());
    }
}

package io.jqsse.server.internal.stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.jqsse.server.IoTransport;
import org.junit.jupiter.api.Test;

/** How {@code IO_TRANSPORT} resolves where epoll is missing (the machine decides, so the cause is given). */
class TransportsTest {

    private static final Throwable MISSING = new UnsupportedOperationException("not here");

    @Test
    void autoIsEpollWhereItLoadsAndNioElsewhere() {
        assertEquals(IoTransport.EPOLL, Transports.resolve(IoTransport.AUTO, null));
        assertEquals(IoTransport.NIO, Transports.resolve(IoTransport.AUTO, MISSING));
    }

    @Test
    void anAvailableTransportIsItself() {
        assertEquals(IoTransport.EPOLL, Transports.resolve(IoTransport.EPOLL, null));
        assertEquals(IoTransport.NIO, Transports.resolve(IoTransport.NIO, MISSING));
    }

    @Test
    void epollWhereItIsMissingIsRefusedNamingTheSettingAndTheCause() {
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> Transports.resolve(IoTransport.EPOLL, MISSING));
        assertEquals("IO_TRANSPORT: epoll (expected: a transport this machine supports, such as auto): "
                + MISSING, e.getMessage());
        assertSame(MISSING, e.getCause());
    }

    @Test
    void autoMustBeResolvedBeforeItNamesHandlersOrChannels() {
        assertThrows(IllegalStateException.class, () -> Transports.ioHandlers(IoTransport.AUTO));
        assertThrows(IllegalStateException.class, () -> Transports.serverChannel(IoTransport.AUTO));
    }
}

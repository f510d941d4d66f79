package io.jqsse.server.internal.stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.jqsse.server.IoTransport;
import org.junit.jupiter.api.Test;

/** How {@code IO_TRANSPORT} resolves where epoll or io_uring is missing (the machine decides, so causes are given). */
class TransportsTest {

    private static final Throwable MISSING = new UnsupportedOperationException("not here");

    @Test
    void autoIsEpollWhereItLoadsAndNioElsewhere() {
        assertEquals(IoTransport.EPOLL, Transports.resolve(IoTransport.AUTO, null, MISSING));
        assertEquals(IoTransport.NIO, Transports.resolve(IoTransport.AUTO, MISSING, null));
    }

    @Test
    void anAvailableTransportIsItself() {
        assertEquals(IoTransport.EPOLL, Transports.resolve(IoTransport.EPOLL, null, MISSING));
        assertEquals(IoTransport.IO_URING, Transports.resolve(IoTransport.IO_URING, MISSING, null));
        assertEquals(IoTransport.NIO, Transports.resolve(IoTransport.NIO, MISSING, MISSING));
    }

    @Test
    void aMissingTransportIsRefusedNamingTheSettingAndTheCause() {
        IllegalStateException uring = assertThrows(IllegalStateException.class,
                () -> Transports.resolve(IoTransport.IO_URING, null, MISSING));
        assertEquals("IO_TRANSPORT: io_uring (expected: a transport this machine supports, such as auto): "
                + MISSING, uring.getMessage());
        assertSame(MISSING, uring.getCause());
        IllegalStateException epoll = assertThrows(IllegalStateException.class,
                () -> Transports.resolve(IoTransport.EPOLL, MISSING, null));
        assertEquals("IO_TRANSPORT: epoll (expected: a transport this machine supports, such as auto): "
                + MISSING, epoll.getMessage());
    }

    @Test
    void autoMustBeResolvedBeforeItNamesHandlersOrChannels() {
        assertThrows(IllegalStateException.class, () -> Transports.requestLoops(IoTransport.AUTO));
        assertThrows(IllegalStateException.class, () -> Transports.streamLoops(IoTransport.AUTO));
        assertThrows(IllegalStateException.class, () -> Transports.serverChannel(IoTransport.AUTO));
    }
}

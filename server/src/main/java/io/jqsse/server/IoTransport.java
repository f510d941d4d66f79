package io.jqsse.server;

import java.util.Locale;

/**
 * {@code IO_TRANSPORT}: the Netty transport of every event loop of a server that binds its own port
 * ({@link JqSseServer#start()}; an embedder's own loops keep their transport).
 *
 * <p>All loops of one server share a transport, because a stream moves its channel from the request
 * loop that accepted it to a stream loop, and a channel can only register with loops of its own kind.
 * Set {@link #EPOLL} to refuse to start without the native transport rather than fall back to NIO.
 * (io_uring was measured and left out: docs/performance.md, session 4.)
 */
public enum IoTransport {
    /** epoll where Netty's native library loads (Linux on x86_64), NIO elsewhere. */
    AUTO,
    /** Linux epoll; {@link JqSseServer#start()} fails where the native library does not load. */
    EPOLL,
    /** Java NIO, everywhere. */
    NIO;

    /** The names {@link #parse} takes, as error messages list them. */
    public static final String NAMES = "auto, epoll or nio";

    /** The transport named {@code text} ({@link #configName()}, any case), or {@code null}. */
    public static IoTransport parse(String text) {
        for (IoTransport t : values()) {
            if (t.configName().equals(text.toLowerCase(Locale.ROOT))) {
                return t;
            }
        }
        return null;
    }

    /** The name as {@code IO_TRANSPORT} takes it: {@code auto}, {@code epoll}, {@code nio}. */
    public String configName() {
        return name().toLowerCase(Locale.ROOT);
    }
}

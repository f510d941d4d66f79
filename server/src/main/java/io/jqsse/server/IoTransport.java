package io.jqsse.server;

import java.util.Locale;

/**
 * {@code IO_TRANSPORT}: the Netty transport of every event loop of a server that binds its own port
 * ({@link JqSseServer#start()}; an embedder's own loops keep their transport).
 *
 * <p>All loops of one server share a transport, because a stream moves its channel from the request
 * loop that accepted it to a stream loop, and a channel can only register with loops of its own kind.
 * {@link #IO_URING} hands a loop's socket writes to the kernel in batches through a submission ring
 * instead of one {@code writev} each; what that saves and costs is measured in docs/performance.md
 * (session 4). It needs a kernel and a container policy that allow io_uring, so {@link #AUTO} stays
 * on epoll.
 */
public enum IoTransport {
    /** epoll where Netty's native library loads (Linux on x86_64), NIO elsewhere. */
    AUTO,
    /** Linux epoll; {@link JqSseServer#start()} fails where the native library does not load. */
    EPOLL,
    /** Linux io_uring; {@link JqSseServer#start()} fails where the kernel or its policy does not allow it. */
    IO_URING,
    /** Java NIO, everywhere. */
    NIO;

    /** The transport named {@code text} ({@link #configName()}, any case), or {@code null}. */
    public static IoTransport parse(String text) {
        for (IoTransport t : values()) {
            if (t.configName().equals(text.toLowerCase(Locale.ROOT))) {
                return t;
            }
        }
        return null;
    }

    /** The name as {@code IO_TRANSPORT} takes it: {@code auto}, {@code epoll}, {@code io_uring}, {@code nio}. */
    public String configName() {
        return name().toLowerCase(Locale.ROOT);
    }
}

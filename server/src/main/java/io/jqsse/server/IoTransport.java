package io.jqsse.server;

import io.netty.channel.IoHandlerFactory;
import io.netty.channel.ServerChannel;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.channel.uring.IoUring;
import io.netty.channel.uring.IoUringIoHandler;
import io.netty.channel.uring.IoUringServerSocketChannel;
import java.util.Locale;

/**
 * {@code IO_TRANSPORT}: the Netty transport of every event loop of a server that binds its own port
 * ({@link JqSseServer#start()}; an embedder's own loops keep their transport).
 *
 * <p>All loops of one server share a transport, because a stream moves its channel from the request
 * loop that accepted it to a stream loop, and a channel can only register with loops of its own kind.
 *
 * <p>{@link #IO_URING} hands a loop's socket writes to the kernel in one {@code io_uring_enter} instead
 * of one {@code writev} each. Measured on 2 cores over loopback (docs/performance.md, session 4) it
 * took 10-20% off the server's CPU per delivered event of a fan-out to 10,000 streams, did not lower
 * the delivery latency there, and cost about 0.6 KiB more RSS per idle connection. It needs a recent
 * Linux kernel with io_uring allowed (container runtimes often forbid it by seccomp). {@link #AUTO}
 * therefore stays on epoll.
 */
public enum IoTransport {
    /** epoll where Netty's native library loads (Linux on x86_64), NIO elsewhere. */
    AUTO,
    /** Linux epoll; fails at start where the native library does not load. */
    EPOLL,
    /** Linux io_uring; fails at start where the kernel or its policy does not allow it. */
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

    /**
     * The transport this one runs on here: {@link #AUTO} resolved, the others as they are.
     *
     * @throws IllegalStateException when this transport is not available on this machine (the message says why)
     */
    IoTransport resolve() {
        switch (this) {
            case AUTO:
                return Epoll.isAvailable() ? EPOLL : NIO;
            case EPOLL:
                requireAvailable(Epoll.isAvailable(), Epoll.unavailabilityCause());
                return this;
            case IO_URING:
                requireAvailable(IoUring.isAvailable(), IoUring.unavailabilityCause());
                return this;
            default:
                return this;
        }
    }

    private void requireAvailable(boolean available, Throwable cause) {
        if (!available) {
            throw new IllegalStateException("IO_TRANSPORT: " + configName()
                    + " (expected: a transport this machine supports, such as auto): " + cause, cause);
        }
    }

    /** The loops' I/O handlers; only on a {@link #resolve() resolved} transport. */
    IoHandlerFactory ioHandlerFactory() {
        switch (this) {
            case EPOLL:
                return EpollIoHandler.newFactory();
            case IO_URING:
                return IoUringIoHandler.newFactory();
            case NIO:
                return NioIoHandler.newFactory();
            default:
                throw new IllegalStateException("transport: " + this + " (expected: a resolved transport)");
        }
    }

    /** The listening channel's class; only on a {@link #resolve() resolved} transport. */
    Class<? extends ServerChannel> serverChannel() {
        switch (this) {
            case EPOLL:
                return EpollServerSocketChannel.class;
            case IO_URING:
                return IoUringServerSocketChannel.class;
            case NIO:
                return NioServerSocketChannel.class;
            default:
                throw new IllegalStateException("transport: " + this + " (expected: a resolved transport)");
        }
    }
}

package io.jqsse.server.internal.stream;

import io.jqsse.server.IoTransport;
import io.netty.channel.Channel;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.ServerChannel;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollChannelOption;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.channel.uring.IoUring;
import io.netty.channel.uring.IoUringChannelOption;
import io.netty.channel.uring.IoUringIoHandler;
import io.netty.channel.uring.IoUringIoHandlerConfig;
import io.netty.channel.uring.IoUringServerSocketChannel;
import io.netty.channel.uring.IoUringSocketChannel;

/**
 * What each {@link IoTransport} means in Netty: the loops' I/O handlers, the listening channel, and
 * the kernel options of a stream's socket. Public for the benchmarks' floor server, which must run
 * exactly jq-sse's transport; not an API.
 */
public final class Transports {

    /**
     * A stream loop's io_uring completion queue. One delivery writes every stream of the loop in one
     * task, and the completions are reaped only after it: with Netty's default of 4,096 a loop of
     * 5,000 streams overflowed on every change (the kernel then keeps the rest on a slower list, and
     * Netty logs a warning each time). 65,536 is the kernel's limit: enough for 65,536 streams per loop.
     * The submission ring keeps Netty's size (128): a larger one (4,096 was measured) sends a loop's
     * writes to the kernel in longer system calls, which kept the request loop from a core (PATCH p99
     * 32-34 ms instead of 6-10 ms at 10,000 streams) and delayed the first deliveries.
     */
    static final int STREAM_LOOP_CQ_SIZE = 65536;

    private Transports() {
    }

    /**
     * The transport {@code wanted} runs on here: {@link IoTransport#AUTO} is epoll where Netty's native
     * library loads, else NIO.
     *
     * @throws IllegalStateException when {@code wanted} is epoll or io_uring and this machine lacks it
     */
    public static IoTransport resolve(IoTransport wanted) {
        return resolve(wanted, Epoll.isAvailable() ? null : Epoll.unavailabilityCause(),
                IoUring.isAvailable() ? null : IoUring.unavailabilityCause());
    }

    /** {@link #resolve(IoTransport)} given why epoll and io_uring are unavailable (null: available). */
    static IoTransport resolve(IoTransport wanted, Throwable noEpoll, Throwable noIoUring) {
        return switch (wanted) {
            case AUTO -> noEpoll == null ? IoTransport.EPOLL : IoTransport.NIO;
            case EPOLL -> available(wanted, noEpoll);
            case IO_URING -> available(wanted, noIoUring);
            case NIO -> wanted;
        };
    }

    private static IoTransport available(IoTransport wanted, Throwable missing) {
        if (missing != null) {
            throw new IllegalStateException("IO_TRANSPORT: " + wanted.configName()
                    + " (expected: a transport this machine supports, such as auto): " + missing, missing);
        }
        return wanted;
    }

    /** The I/O handlers of accept and request loops on a {@link #resolve resolved} transport. */
    public static IoHandlerFactory requestLoops(IoTransport resolved) {
        return switch (resolved) {
            case EPOLL -> EpollIoHandler.newFactory();
            case IO_URING -> IoUringIoHandler.newFactory();
            case NIO -> NioIoHandler.newFactory();
            case AUTO -> throw unresolved(resolved);
        };
    }

    /**
     * The I/O handlers of stream loops on a {@link #resolve resolved} transport: on io_uring with
     * a completion queue sized for one delivery to every stream of the loop ({@link #STREAM_LOOP_CQ_SIZE}).
     */
    public static IoHandlerFactory streamLoops(IoTransport resolved) {
        if (resolved == IoTransport.IO_URING) {
            return IoUringIoHandler.newFactory(new IoUringIoHandlerConfig().setCqSize(STREAM_LOOP_CQ_SIZE));
        }
        return requestLoops(resolved);
    }

    /** The listening channel's class on a {@link #resolve resolved} transport. */
    public static Class<? extends ServerChannel> serverChannel(IoTransport resolved) {
        return switch (resolved) {
            case EPOLL -> EpollServerSocketChannel.class;
            case IO_URING -> IoUringServerSocketChannel.class;
            case NIO -> NioServerSocketChannel.class;
            case AUTO -> throw unresolved(resolved);
        };
    }

    private static IllegalStateException unresolved(IoTransport t) {
        return new IllegalStateException("transport: " + t.configName() + " (expected: a resolved transport)");
    }

    /**
     * Two kernel-side bounds on a stream's socket, on the epoll and io_uring transports (NIO cannot
     * set them).
     *
     * <p>A peer that vanished without closing (cable pulled, laptop lid shut) never reads the
     * keepalives: with TCP_USER_TIMEOUT (RFC 5482) the kernel aborts the connection once data has
     * gone unacknowledged for {@code userTimeoutMillis}, which closes the channel and frees the stream.
     * Elsewhere the slow-client timeout and TCP's own retransmission limit do it, later.
     *
     * <p>TCP_NOTSENT_LOWAT keeps the data the kernel holds unsent for a stream at about
     * {@code notSentLowWaterBytes}, instead of the megabytes send-buffer autotuning allows: a client
     * that reads slower than its events arrive then shows up in the channel's own buffer, and is
     * conflated ({@code init} with the latest views) instead of reading events that waited seconds in
     * a kernel queue.
     */
    public static void boundKernelQueues(Channel ch, int userTimeoutMillis, long notSentLowWaterBytes) {
        if (ch instanceof EpollSocketChannel) {
            ch.config().setOption(EpollChannelOption.TCP_USER_TIMEOUT, userTimeoutMillis);
            ch.config().setOption(EpollChannelOption.TCP_NOTSENT_LOWAT, notSentLowWaterBytes);
        } else if (ch instanceof IoUringSocketChannel) {
            ch.config().setOption(IoUringChannelOption.TCP_USER_TIMEOUT, userTimeoutMillis);
            ch.config().setOption(IoUringChannelOption.TCP_NOTSENT_LOWAT, notSentLowWaterBytes);
        }
    }
}

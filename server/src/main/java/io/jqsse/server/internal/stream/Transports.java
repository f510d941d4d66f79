package io.jqsse.server.internal.stream;

import io.jqsse.server.IoTransport;
import io.jqsse.server.ServerConfig;
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

/**
 * What each {@link IoTransport} means in Netty: the loops' I/O handlers, the listening channel, and
 * the kernel options of a stream's socket. Public for the benchmarks' floor server, which must run
 * exactly jq-sse's transport; not an API.
 */
public final class Transports {

    private Transports() {
    }

    /**
     * The transport {@code wanted} runs on here: {@link IoTransport#AUTO} is epoll where Netty's native
     * library loads, else NIO.
     *
     * @throws IllegalStateException when {@code wanted} is epoll and this machine lacks it
     */
    public static IoTransport resolve(IoTransport wanted) {
        if (wanted == IoTransport.NIO) {
            return wanted; // without loading the native library
        }
        return resolve(wanted, Epoll.isAvailable() ? null : Epoll.unavailabilityCause());
    }

    /** {@link #resolve(IoTransport)} given why epoll is unavailable (null: it is available). */
    static IoTransport resolve(IoTransport wanted, Throwable noEpoll) {
        return switch (wanted) {
            case AUTO -> noEpoll == null ? IoTransport.EPOLL : IoTransport.NIO;
            case EPOLL -> {
                if (noEpoll != null) {
                    throw new IllegalStateException("IO_TRANSPORT: epoll (expected: a transport this machine"
                            + " supports, such as auto): " + noEpoll, noEpoll);
                }
                yield wanted;
            }
            case NIO -> wanted;
        };
    }

    /** The event loops' I/O handlers on a {@link #resolve resolved} transport. */
    public static IoHandlerFactory ioHandlers(IoTransport resolved) {
        return switch (resolved) {
            case EPOLL -> EpollIoHandler.newFactory();
            case NIO -> NioIoHandler.newFactory();
            case AUTO -> throw unresolved(resolved);
        };
    }

    /** The listening channel's class on a {@link #resolve resolved} transport. */
    public static Class<? extends ServerChannel> serverChannel(IoTransport resolved) {
        return switch (resolved) {
            case EPOLL -> EpollServerSocketChannel.class;
            case NIO -> NioServerSocketChannel.class;
            case AUTO -> throw unresolved(resolved);
        };
    }

    private static IllegalStateException unresolved(IoTransport t) {
        return new IllegalStateException("transport: " + t.configName() + " (expected: a resolved transport)");
    }

    /**
     * Two kernel-side bounds on a stream's socket, on the epoll transport (NIO cannot set them).
     *
     * <p>A peer that vanished without closing (cable pulled, laptop lid shut) never reads the
     * keepalives: with TCP_USER_TIMEOUT (RFC 5482) the kernel aborts the connection once data has
     * gone unacknowledged for a heartbeat plus the slow-client timeout, which closes the channel and
     * frees the stream.
     * Elsewhere the slow-client timeout and TCP's own retransmission limit do it, later.
     *
     * <p>TCP_NOTSENT_LOWAT keeps the data the kernel holds unsent for a stream at about the
     * write buffer's high-water mark, instead of the megabytes send-buffer autotuning allows: a client
     * that reads slower than its events arrive then shows up in the channel's own buffer, and is
     * conflated ({@code init} with the latest views) instead of reading events that waited seconds in
     * a kernel queue.
     */
    public static void boundKernelQueues(Channel ch, ServerConfig config) {
        if (ch instanceof EpollSocketChannel) {
            long userTimeoutMillis = config.heartbeatInterval().toMillis() + config.slowClientTimeout().toMillis();
            ch.config().setOption(EpollChannelOption.TCP_USER_TIMEOUT,
                    (int) Math.min(Integer.MAX_VALUE, userTimeoutMillis));
            ch.config().setOption(EpollChannelOption.TCP_NOTSENT_LOWAT, (long) config.writeBufferHighWaterMarkBytes());
        }
    }
}

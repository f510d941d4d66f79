package io.jqsse.bench.load;

import io.jqsse.server.IoTransport;
import io.netty.bootstrap.Bootstrap;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollChannelOption;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import java.time.Instant;

/** Client event loops (epoll when available) and the wall clock shared by every process of a run. */
final class Transport {

    private Transport() {
    }

    /**
     * The jq-sse transport that {@code IO_TRANSPORT} in the environment names (unset or blank: auto),
     * for the servers a load run starts ({@link BenchServer}, {@link FloorServer}); only the
     * environment, so that a developer's {@code .env} in the working directory does not reach them.
     *
     * @throws IllegalArgumentException when the value names no transport
     */
    static IoTransport serverTransport() {
        String name = System.getenv().getOrDefault("IO_TRANSPORT", "").trim();
        IoTransport t = name.isEmpty() ? IoTransport.AUTO : IoTransport.parse(name);
        if (t == null) {
            throw new IllegalArgumentException("IO_TRANSPORT: " + name + " (expected: " + IoTransport.NAMES + ")");
        }
        return t;
    }

    static EventLoopGroup group(int threads) {
        return new MultiThreadIoEventLoopGroup(threads,
                Epoll.isAvailable() ? EpollIoHandler.newFactory() : NioIoHandler.newFactory());
    }

    static Class<? extends SocketChannel> channel() {
        return Epoll.isAvailable() ? EpollSocketChannel.class : NioSocketChannel.class;
    }

    /**
     * With epoll, a connection bound to a source address takes its port at connect time
     * ({@code IP_BIND_ADDRESS_NO_PORT}), so ports are unique per destination, not per source address,
     * and the closed connections of earlier runs (in TIME_WAIT) do not use up 127.0.0.x's ports.
     */
    static Bootstrap sourceBound(Bootstrap b) {
        return Epoll.isAvailable() ? b.option(EpollChannelOption.IP_BIND_ADDRESS_NO_PORT, true) : b;
    }

    /**
     * Microseconds since the Unix epoch from the realtime clock (microsecond resolution on Linux):
     * comparable between the publisher's process and the subscribers' processes on one machine, which
     * {@code System.nanoTime} is not.
     */
    static long wallMicros() {
        Instant now = Instant.now();
        return now.getEpochSecond() * 1_000_000L + now.getNano() / 1000;
    }
}

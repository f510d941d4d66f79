package io.jqsse.server.internal.stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.jqsse.server.IoTransport;
import io.jqsse.server.ServerConfig;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.epoll.EpollChannelOption;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
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

    /** On the transport {@code auto} picks here, a stream socket gets both bounds (NIO: neither, silently). */
    @Test
    void aStreamSocketGetsTheUserTimeoutAndTheNotSentLowWaterMark() throws Exception {
        IoTransport t = Transports.resolve(IoTransport.AUTO);
        EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, Transports.ioHandlers(t));
        try {
            CompletableFuture<Channel> accepted = new CompletableFuture<>();
            Channel server = new ServerBootstrap().group(group).channel(Transports.serverChannel(t))
                    .childHandler(new ChannelInitializer<>() {
                        @Override
                        protected void initChannel(Channel ch) {
                            accepted.complete(ch);
                        }
                    }).bind("127.0.0.1", 0).syncUninterruptibly().channel();
            try (Socket client = new Socket("127.0.0.1", ((InetSocketAddress) server.localAddress()).getPort())) {
                Channel ch = accepted.get(10, TimeUnit.SECONDS);
                ch.eventLoop().submit(() -> Transports.boundKernelQueues(ch, ServerConfig.builder()
                        .heartbeatInterval(Duration.ofSeconds(15)).slowClientTimeout(Duration.ofSeconds(30))
                        .writeBufferHighWaterMarkBytes(65_536).build())).get(10, TimeUnit.SECONDS);
                if (t == IoTransport.EPOLL) {
                    assertEquals(45_000, ch.config().getOption(EpollChannelOption.TCP_USER_TIMEOUT));
                    assertEquals(65_536L, ch.config().getOption(EpollChannelOption.TCP_NOTSENT_LOWAT));
                }
                ch.close().syncUninterruptibly();
            } finally {
                server.close().syncUninterruptibly();
            }
        } finally {
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
        }
    }

    @Test
    void autoMustBeResolvedBeforeItNamesHandlersOrChannels() {
        assertThrows(IllegalStateException.class, () -> Transports.ioHandlers(IoTransport.AUTO));
        assertThrows(IllegalStateException.class, () -> Transports.serverChannel(IoTransport.AUTO));
    }
}

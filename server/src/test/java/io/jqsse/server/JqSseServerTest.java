package io.jqsse.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jqsse.codec.WhatwgEventStreamParser.Event;
import io.jqsse.server.TestClient.Reply;
import io.jqsse.server.testing.SseClient;
import io.jqsse.store.ChangeListener;
import io.jqsse.store.Commit;
import io.jqsse.store.DocumentStore;
import io.jqsse.store.Snapshot;
import io.jqsse.store.StoreHealth;
import io.jqsse.store.Write;
import io.jqsse.store.memory.MemoryStore;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

/** The embedding API: builder, ephemeral port, mounting on another Netty server, graceful close. */
class JqSseServerTest {

    @Test
    void portZeroBindsAnEphemeralPortAndCloseIsIdempotent() {
        JqSseServer server = JqSseServer.builder().config(ServerConfig.builder().host("127.0.0.1").port(0).build())
                .build();
        assertEquals(-1, server.port());
        server.start();
        int port = server.port();
        assertEquals(200, new TestClient(port).get("/health").status());
        server.close();
        server.close();
        assertThrows(RuntimeException.class, () -> new TestClient(port).get("/health"));
    }

    @Test
    void theApiMountsOnAnotherNettyServersPipeline() {
        JqSseServer api = JqSseServer.builder().config(ServerConfig.builder().port(0).build()).build()
                .startWithoutListening();
        EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
        try {
            Channel host = new ServerBootstrap().group(group).channel(NioServerSocketChannel.class)
                    .childHandler(api.newChannelInitializer()).bind("127.0.0.1", 0).syncUninterruptibly().channel();
            TestClient client = new TestClient(((InetSocketAddress) host.localAddress()).getPort());
            assertEquals(200, client.json("PUT", "/store?path=.mounted", "true").status());
            assertEquals("true", client.get("/store?path=.mounted").body());
            host.close().syncUninterruptibly();
        } finally {
            api.close();
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
        }
    }

    /** A memory store whose writes wait for {@link #release}; {@link #received} completes on the first write. */
    static final class HeldStore implements DocumentStore {
        final MemoryStore delegate = new MemoryStore();
        final CompletableFuture<Void> received = new CompletableFuture<>();
        final CompletableFuture<Void> release = new CompletableFuture<>();

        @Override public String type() { return "held"; }
        @Override public CompletionStage<Void> start() { return delegate.start(); }
        @Override public Snapshot snapshot() { return delegate.snapshot(); }
        @Override public Snapshot subscribe(ChangeListener listener) { return delegate.subscribe(listener); }
        @Override public StoreHealth health() { return StoreHealth.OK; }
        @Override public long maxDocumentBytes() { return delegate.maxDocumentBytes(); }
        @Override public void close() { delegate.close(); }

        @Override
        public CompletionStage<Commit> write(Write write, long expectedRev) {
            received.complete(null);
            return release.thenCompose(v -> delegate.write(write, expectedRev));
        }
    }

    @Test
    void closeLetsAWriteInFlightFinishAndAnswerIt() throws Exception {
        HeldStore store = new HeldStore();
        JqSseServer server = JqSseServer.builder().store(store).config(ServerConfig.builder().host("127.0.0.1")
                .port(0).shutdownGrace(Duration.ofSeconds(5)).build()).build().start();
        TestClient client = new TestClient(server.port());
        CompletableFuture<Reply> put = CompletableFuture.supplyAsync(() -> client.json("PUT", "/store?path=.a", "1"));
        store.received.get(10, TimeUnit.SECONDS);
        CompletableFuture<Void> closing = CompletableFuture.runAsync(server::close);
        store.release.complete(null);
        Reply reply = put.get(10, TimeUnit.SECONDS);
        assertEquals(200, reply.status(), reply.body());
        closing.get(10, TimeUnit.SECONDS);
    }

    /**
     * Each transport either serves streams (a stream moves from its request loop to a stream loop, so
     * this crosses loops of the transport) or, where this machine lacks it, fails at start naming the setting.
     */
    @ParameterizedTest
    @EnumSource(IoTransport.class)
    void everyTransportServesStreamsOrFailsAtStartSayingWhy(IoTransport transport) throws Exception {
        boolean available = transport != IoTransport.EPOLL || Epoll.isAvailable();
        JqSseServer server = JqSseServer.builder().config(ServerConfig.builder().host("127.0.0.1").port(0)
                .ioTransport(transport).build()).build();
        if (!available) {
            IllegalStateException e = assertThrows(IllegalStateException.class, server::start);
            assertTrue(e.getMessage().startsWith("IO_TRANSPORT: " + transport.configName() + " (expected: "),
                    e.getMessage());
            server.close();
            return;
        }
        server.start();
        try (SseClient stream = SseClient.open(server.port(), "/events?filter=.a")) {
            IoTransport expected = transport != IoTransport.AUTO ? transport
                    : Epoll.isAvailable() ? IoTransport.EPOLL : IoTransport.NIO;
            assertEquals(expected, server.transport());
            stream.awaitCount(2, Duration.ofSeconds(10));
            assertEquals(200, new TestClient(server.port()).json("PUT", "/store?path=.a", "42").status());
            List<Event> events = stream.awaitCount(3, Duration.ofSeconds(10));
            assertEquals("update", events.get(2).type());
            assertTrue(events.get(2).data().contains("\"value\":42"), events.get(2).data());
        } finally {
            server.close();
        }
    }

    @Test
    void aStartThatCannotBindClosesTheServerAndStopsItsEventLoops() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            long before = jqSseLoopThreads(); // servers other tests closed may still be winding down
            JqSseServer server = JqSseServer.builder().config(ServerConfig.builder().host("127.0.0.1")
                    .port(taken.getLocalPort()).build()).build();
            IllegalStateException e = assertThrows(IllegalStateException.class, server::start);
            assertTrue(e.getMessage().startsWith("address: 127.0.0.1:" + taken.getLocalPort()
                    + " (expected: a free port to bind)"), e.getMessage());
            assertNull(server.transport());
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (jqSseLoopThreads() > before && System.nanoTime() < deadline) {
                Thread.onSpinWait();
            }
            assertTrue(jqSseLoopThreads() <= before, "event-loop threads left running");
            server.close();
        }
    }

    /** Live threads of any jq-sse server's event loops in this JVM. */
    private static long jqSseLoopThreads() {
        return Thread.getAllStackTraces().keySet().stream().filter(Thread::isAlive)
                .map(Thread::getName).filter(n -> n.startsWith("jq-sse-accept") || n.startsWith("jq-sse-http")
                        || n.startsWith("jq-sse-stream")).count();
    }

    @Test
    void theTransportIsUnknownUntilTheServerBindsItsOwnPort() {
        JqSseServer server = JqSseServer.builder().config(ServerConfig.builder().port(0).build()).build();
        assertNull(server.transport());
        server.startWithoutListening();
        try {
            assertNull(server.transport());
        } finally {
            server.close();
        }
    }

    @ParameterizedTest(name = "{0} -> {1}:{2}")
    @CsvSource({":8080,0.0.0.0,8080", "127.0.0.1:9000,127.0.0.1,9000", "[::1]:7000,::1,7000", "localhost:0,localhost,0"})
    void runAddressesAreGoSseStyle(String address, String host, int port) {
        ServerConfig config = JqSseServer.withAddress(ServerConfig.defaults(), address);
        assertEquals(host, config.host());
        assertEquals(port, config.port());
    }

    @ParameterizedTest
    @ValueSource(strings = {"8080", ":http", "host:", ":70000"})
    void runRejectsAddressesWithoutAPort(String address) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> JqSseServer.withAddress(ServerConfig.defaults(), address));
        assertEquals("address: " + address + " (expected: host:port or :port)", e.getMessage());
    }
}

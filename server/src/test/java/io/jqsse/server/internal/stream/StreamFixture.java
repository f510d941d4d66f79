package io.jqsse.server.internal.stream;

import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.jqsse.server.IoTransport;
import io.jqsse.server.JqSseServer;
import io.jqsse.server.ServerConfig;
import io.jqsse.server.testing.Http;
import io.jqsse.server.testing.SseClient;
import io.jqsse.codec.WhatwgEventStreamParser.Event;
import io.jqsse.store.memory.MemoryStore;
import io.netty.channel.uring.IoUring;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;

/** A server on 127.0.0.1 port 0 over a memory store, with clients that are closed with it. */
final class StreamFixture implements AutoCloseable {

    static final Duration WAIT = Duration.ofSeconds(10);

    final JqSseServer server;
    final Http http;
    private final List<SseClient> clients = new ArrayList<>();

    StreamFixture() {
        this(b -> b);
    }

    StreamFixture(UnaryOperator<ServerConfig.Builder> config) {
        IoTransport transport = transportUnderTest();
        ServerConfig c = config.apply(ServerConfig.builder().host("127.0.0.1").port(0).ioTransport(transport)).build();
        server = JqSseServer.builder().config(c).store(new MemoryStore()).build().start();
        if (transport != IoTransport.AUTO && transport != server.transport()) {
            server.close();
            fail("the stream tests run on " + server.transport() + " (expected: " + transport + ")");
        }
        http = new Http(server.port());
    }

    /**
     * The transport the stream tests run on: {@code -Djqsse.test.io-transport} (the server module's
     * second test run, {@code streams-on-io_uring}, sets {@code io_uring}), else the default. Where the
     * machine has no io_uring (an old kernel, a container that forbids it), that run's tests are
     * skipped with the kernel's reason, and surefire counts them as skipped.
     */
    static IoTransport transportUnderTest() {
        String name = System.getProperty("jqsse.test.io-transport");
        if (name == null) {
            return ServerConfig.DEFAULT_IO_TRANSPORT;
        }
        IoTransport transport = IoTransport.parse(name);
        if (transport == null) {
            throw new IllegalArgumentException("jqsse.test.io-transport: " + name + " (expected: auto, epoll, io_uring or nio)");
        }
        if (transport == IoTransport.IO_URING) {
            assumeTrue(IoUring.isAvailable(), () -> "io_uring is not available here: " + IoUring.unavailabilityCause());
        }
        return transport;
    }

    SseClient stream(String query) throws IOException {
        SseClient c = SseClient.open(server.port(), "/events?" + query);
        clients.add(c);
        return c;
    }

    SseClient stream(String query, java.util.Map<String, String> headers) throws IOException {
        SseClient c = SseClient.open(server.port(), "/events?" + query, headers);
        clients.add(c);
        return c;
    }

    /** The events of a given type. */
    static List<Event> ofType(List<Event> events, String type) {
        return events.stream().filter(e -> e.type().equals(type)).toList();
    }

    static boolean has(List<Event> events, String type, int n) {
        return ofType(events, type).size() >= n;
    }

    @Override
    public void close() throws IOException {
        for (SseClient c : clients) {
            c.close();
        }
        server.close();
    }
}

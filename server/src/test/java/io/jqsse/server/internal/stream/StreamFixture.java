package io.jqsse.server.internal.stream;

import io.jqsse.server.JqSseServer;
import io.jqsse.server.ServerConfig;
import io.jqsse.server.testing.Http;
import io.jqsse.server.testing.SseClient;
import io.jqsse.codec.WhatwgEventStreamParser.Event;
import io.jqsse.store.memory.MemoryStore;
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
        ServerConfig c = config.apply(ServerConfig.builder().host("127.0.0.1").port(0)).build();
        server = JqSseServer.builder().config(c).store(new MemoryStore()).build().start();
        http = new Http(server.port());
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

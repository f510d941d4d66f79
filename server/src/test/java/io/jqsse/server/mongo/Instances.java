package io.jqsse.server.mongo;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.jqsse.server.JqSseServer;
import io.jqsse.server.ServerConfig;
import io.jqsse.server.testing.Http;
import io.jqsse.server.testing.SseClient;
import io.jqsse.codec.WhatwgEventStreamParser.Event;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeoutException;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/**
 * jq-sse instances on 127.0.0.1 port 0, each with its own MongoStore on the one document of a
 * {@link MongoFixture}, and the stream clients of a test; {@link #close()} closes them all (servers
 * close their stores). Keep at most three instances open: mongo-java-server's idle change streams
 * each keep a core busy.
 */
final class Instances implements AutoCloseable {

    static final Duration WAIT = Duration.ofSeconds(20);

    private final MongoFixture mongo;
    private final List<JqSseServer> servers = new ArrayList<>();
    private final List<SseClient> clients = new ArrayList<>();

    Instances(MongoFixture mongo) {
        this.mongo = mongo;
    }

    /** A new started instance; blocks until its store has loaded the document. */
    JqSseServer start() {
        ServerConfig config = ServerConfig.builder().host("127.0.0.1").port(0).build();
        JqSseServer server = JqSseServer.builder().config(config).store(mongo.newStore()).build().start();
        servers.add(server);
        return server;
    }

    /** Opens {@code GET /events?query} on {@code server}; closed with the fixture. */
    SseClient stream(JqSseServer server, String query, Map<String, String> headers) throws IOException {
        SseClient c = SseClient.open(server.port(), "/events?" + query, headers);
        clients.add(c);
        return c;
    }

    SseClient stream(JqSseServer server, String query) throws IOException {
        return stream(server, query, Map.of());
    }

    /** {@code filter=F1&filter=F2...}, each value URL-encoded. */
    static String filters(List<String> filters) {
        return String.join("&", filters.stream().map(f -> "filter=" + SseClient.q(f)).toList());
    }

    static Http http(JqSseServer server) {
        return new Http(server.port());
    }

    /** {@code GET /store?path=filter}: the view, or JSON null where a plain path is absent (404). */
    static JsonNode view(JqSseServer server, String filter) {
        HttpResponse<String> r = http(server).send("GET", "/store?path=" + Http.enc(filter), null, null);
        if (r.statusCode() == 404) {
            return NullNode.instance;
        }
        if (r.statusCode() != 200) {
            throw new AssertionError("GET /store?path=" + filter + ": " + r.statusCode() + " " + r.body());
        }
        return Http.json(r.body());
    }

    /** The rev of the server's {@code ETag: "<epoch>:<rev>"} on {@code GET /store}. */
    static long rev(JqSseServer server) {
        return revOf(etag(server));
    }

    static String etag(JqSseServer server) {
        HttpResponse<String> r = http(server).send("GET", "/store", null, null);
        String tag = r.headers().firstValue("etag").orElseThrow(() -> new AssertionError("no ETag: " + r));
        return tag.substring(1, tag.length() - 1);
    }

    /** The rev of an event id {@code <epoch>:<rev>}, -1 for none. */
    static long revOf(String id) {
        return id == null || id.isEmpty() ? -1 : Long.parseLong(id.substring(id.indexOf(':') + 1));
    }

    /** Waits until {@code server}'s replica has reached {@code rev}. */
    static void awaitRev(JqSseServer server, long rev) throws TimeoutException, InterruptedException {
        until(() -> rev(server) >= rev, WAIT, "rev " + rev + " on port " + server.port());
    }

    /** Waits until the stream has delivered the events of {@code rev} (the last of them carries its id). */
    static List<Event> awaitId(SseClient c, long rev) throws TimeoutException, InterruptedException {
        return c.awaitEvents(ev -> !ev.isEmpty() && revOf(ev.get(ev.size() - 1).lastEventId()) >= rev, WAIT);
    }

    /** The rev of a write's success envelope. */
    static long revOfResponse(JsonNode response) {
        return response.get("data").get("rev").asLong();
    }

    /**
     * What two instances must agree on for an event: its type, its id and its data without
     * {@code time} (each instance stamps the moment its own replica applied the change).
     */
    static List<String> comparable(List<Event> events) {
        List<String> out = new ArrayList<>();
        for (Event e : events) {
            if (e.type().equals("connected")) {
                continue;
            }
            JsonNode data = Http.json(e.data());
            if (data instanceof ObjectNode o) {
                o.remove("time");
            }
            out.add(e.type() + " id=" + e.lastEventId() + " " + data);
        }
        return out;
    }

    /** Asserts two streams' {@link #comparable} events are equal, naming the first that differs. */
    static void assertSameEvents(List<Event> left, List<Event> right, String what) {
        List<String> l = comparable(left);
        List<String> r = comparable(right);
        for (int i = 0; i < Math.max(l.size(), r.size()); i++) {
            String a = i < l.size() ? l.get(i) : "(none)";
            String b = i < r.size() ? r.get(i) : "(none)";
            if (!a.equals(b)) {
                throw new AssertionError(what + ": event " + i + " differs:\n  " + a + "\n  " + b
                        + "\nall:\n  " + l + "\n  " + r);
            }
        }
    }

    /**
     * Waits, re-checking at most every 50 ms, until {@code condition} holds; for states that send
     * no event (health, replica revs). A check that throws counts as not yet.
     */
    static void until(BooleanSupplier condition, Duration timeout, String what)
            throws TimeoutException, InterruptedException {
        until(condition, timeout, () -> what);
    }

    /** {@link #until(BooleanSupplier, Duration, String)} with the description computed at the timeout. */
    static void until(BooleanSupplier condition, Duration timeout, Supplier<String> what)
            throws TimeoutException, InterruptedException {
        Object lock = new Object();
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!holds(condition)) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                throw new TimeoutException("timed out after " + timeout + " waiting for " + what.get());
            }
            synchronized (lock) {
                lock.wait(Math.max(1, Math.min(50, left / 1_000_000)));
            }
        }
    }

    private static boolean holds(BooleanSupplier condition) {
        try {
            return condition.getAsBoolean();
        } catch (RuntimeException e) {
            return false;
        }
    }

    @Override
    public void close() throws IOException {
        for (SseClient c : clients) {
            c.close();
        }
        for (JqSseServer s : servers) {
            s.close();
        }
        servers.clear();
    }
}

package io.jqsse.server.mongo;

import static io.jqsse.server.mongo.Instances.WAIT;
import static io.jqsse.server.mongo.Instances.awaitId;
import static io.jqsse.server.mongo.Instances.filters;
import static io.jqsse.server.mongo.Instances.http;
import static io.jqsse.server.mongo.Instances.revOfResponse;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import com.fasterxml.jackson.databind.JsonNode;
import io.jqsse.server.JqSseServer;
import io.jqsse.server.testing.Http;
import io.jqsse.server.testing.SseClient;
import io.jqsse.server.testing.ViewReplica;
import io.jqsse.codec.WhatwgEventStreamParser.Event;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Objects;
import java.util.stream.Stream;
import org.bson.BsonDocument;
import org.bson.BsonInt32;
import org.bson.BsonInt64;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Two jq-sse instances on one MongoDB document serve the same live document (SPEC section 4,
 * store-mongo): whoever writes, through either instance or directly with the driver, every
 * subscriber of every instance gets the same events with the same ids.
 */
class SharedDocumentTest {

    static final List<String> FILTERS = List.of(".", ".a", ".list[]", ".list[] | select(.id > 1)",
            "{n: (.list | length)}");
    static final String BASE = "{\"a\":{\"b\":1},\"list\":[{\"id\":1},{\"id\":2}],\"k\":\"v\"}";

    private MongoFixture mongo;
    private Instances jq;

    @BeforeEach
    void startMongo() {
        mongo = MongoFixture.start();
        jq = new Instances(mongo);
    }

    @AfterEach
    void closeAll() throws IOException {
        try {
            jq.close();
        } finally {
            mongo.close();
        }
    }

    /** One write of {@code writes-across-instances.jsonl}. */
    record WriteCase(String name, String method, String path, String contentType, String body) {
        @Override
        public String toString() {
            return name;
        }

        HttpResponse<String> send(Http http) {
            String query = path == null ? "/store" : "/store?path=" + Http.enc(path);
            return http.send(method, query, body == null ? null : contentType, body);
        }
    }

    static Stream<WriteCase> writes() throws IOException {
        try (BufferedReader r = new BufferedReader(new InputStreamReader(Objects.requireNonNull(
                SharedDocumentTest.class.getResourceAsStream("writes-across-instances.jsonl")), StandardCharsets.UTF_8))) {
            return r.lines().filter(l -> !l.isBlank()).map(Http::json).map(c -> new WriteCase(c.get("name").asText(),
                    c.get("method").asText(), c.hasNonNull("path") ? c.get("path").asText() : null,
                    c.path("type").asText("application/json"), c.has("body") ? c.get("body").toString() : null))
                    .toList().stream();
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("writes")
    void aWriteThroughOneInstanceReachesTheOthersSubscribersWithTheSameIdsAndData(WriteCase write) throws Exception {
        JqSseServer a = jq.start();
        JqSseServer b = jq.start();
        Instances.awaitRev(b, revOfResponse(http(a).post(BASE)));
        SseClient onA = jq.stream(a, filters(FILTERS));
        SseClient onB = jq.stream(b, filters(FILTERS));
        onA.awaitCount(1 + FILTERS.size(), WAIT);
        onB.awaitCount(1 + FILTERS.size(), WAIT);
        HttpResponse<String> response = write.send(http(a));
        assertEquals(200, response.statusCode(), response.body());
        long rev = revOfResponse(Http.json(response.body()));

        List<Event> seenOnA = awaitId(onA, rev);
        List<Event> seenOnB = awaitId(onB, rev);
        String id = Instances.etag(a);
        assertEquals(id, seenOnA.get(seenOnA.size() - 1).lastEventId(), "the last id on A");
        assertEquals(id, seenOnB.get(seenOnB.size() - 1).lastEventId(), "the last id on B");
        assertEquals(http(a).view("."), http(b).view("."));
        assertConverged(seenOnA, a);
        assertConverged(seenOnB, b);
        Instances.assertSameEvents(seenOnA, seenOnB, "events on A and on B");
    }

    /**
     * Neither instance knows this write, so the view of {@code .} may arrive as one update at
     * {@code .} (SPEC: a location whose value changed); the plain path {@code .x} gets its value.
     */
    @Test
    void aWriteMadeDirectlyWithTheDriverReachesTheSubscribersOfBothInstances() throws Exception {
        JqSseServer a = jq.start();
        JqSseServer b = jq.start();
        long before = revOfResponse(http(a).post(BASE));
        Instances.awaitRev(b, before);
        List<String> filters = List.of(".x", ".", "[.list[].id] | add");
        SseClient onA = jq.stream(a, filters(filters));
        SseClient onB = jq.stream(b, filters(filters));
        onA.awaitCount(1 + filters.size(), WAIT);
        onB.awaitCount(1 + filters.size(), WAIT);

        long modified = mongo.updateDirectly(new BsonDocument("$set", new BsonDocument("data.x", new BsonInt32(42)))
                .append("$inc", new BsonDocument("rev", new BsonInt64(1))));
        assertEquals(1, modified);

        String id = Instances.etag(a).substring(0, Instances.etag(a).indexOf(':') + 1) + (before + 1);
        for (SseClient c : List.of(onA, onB)) {
            List<Event> ev = awaitId(c, before + 1);
            List<Event> updates = ev.subList(1 + filters.size(), ev.size());
            assertEquals(List.of("update", "update"), updates.stream().map(Event::type).toList(), ev.toString());
            JsonNode atX = Http.json(updates.get(0).data());
            assertEquals(".x", atX.get("filter").asText(), ev.toString());
            assertEquals(".x", atX.get("path").asText(), ev.toString());
            assertEquals(42, atX.get("value").asInt(), ev.toString());
            assertEquals(before + 1, atX.get("rev").asLong(), ev.toString());
            assertEquals(id, ev.get(ev.size() - 1).lastEventId());
        }
        Instances.assertSameEvents(onA.events(), onB.events(), "events on A and on B");
        for (JqSseServer s : List.of(a, b)) {
            ViewReplica replica = new ViewReplica();
            replica.applyAll(s == a ? onA.events() : onB.events());
            for (String f : filters) {
                assertEquals(Instances.view(s, f), replica.view(f), "filter " + f);
            }
        }
        assertEquals(42, Instances.view(b, ".x").asInt(), "GET /store?path=.x on B");
        assertEquals(before + 1, mongo.read().getNumber("rev").longValue(), "the stored rev");
    }

    /** Applying the stream's events reproduces, for every filter, what the instance answers now. */
    static void assertConverged(List<Event> events, JqSseServer server) {
        ViewReplica replica = new ViewReplica();
        replica.applyAll(events);
        for (String f : FILTERS) {
            JsonNode expected = Instances.view(server, f);
            assertEquals(expected, replica.view(f), "filter " + f + " after " + events);
        }
        assertFalse(events.isEmpty());
    }
}

package io.jqsse.server.internal.stream;

import static io.jqsse.server.internal.stream.StreamFixture.WAIT;
import static io.jqsse.server.internal.stream.StreamFixture.has;
import static io.jqsse.server.internal.stream.StreamFixture.ofType;
import static io.jqsse.server.testing.Http.json;
import static io.jqsse.server.testing.SseClient.q;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.jqsse.server.testing.SseClient;
import io.jqsse.codec.WhatwgEventStreamParser.Event;
import java.net.http.HttpResponse;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The event stream of SPEC section 3 over real sockets, read by an independent WHATWG parser. */
class EventStreamEndToEndTest {

    static final String USERS = """
            {"data":{"users":[{"id":1,"name":"Alice","status":"online"},{"id":2,"name":"Bob","status":"offline"}],
             "config":{"maxUsers":100,"timeout":30}}}""";

    StreamFixture f;

    @BeforeEach
    void start() {
        f = new StreamFixture();
        f.http.post(USERS);
    }

    @AfterEach
    void stop() throws Exception {
        f.close();
    }

    @Test
    void streamStartsWithHeadersRetryConnectedAndInitialData() throws Exception {
        SseClient c = f.stream("filter=" + q(".data.users[*].name"));
        String head = c.awaitHead(WAIT);
        assertTrue(head.startsWith("HTTP/1.1 200"), head);
        assertTrue(head.toLowerCase().contains("content-type: text/event-stream"), head);
        assertTrue(head.toLowerCase().contains("cache-control: no-cache"), head);
        assertTrue(head.toLowerCase().contains("x-accel-buffering: no"), head);
        List<Event> ev = c.awaitCount(2, WAIT);
        assertEquals("connected", ev.get(0).type());
        assertEquals("initial_data", ev.get(1).type());
        JsonNode init = json(ev.get(1).data());
        assertEquals(json("[\"Alice\",\"Bob\"]"), init.get("value"));
        assertEquals(json("[\".data.users[0].name\",\".data.users[1].name\"]"), init.get("paths"));
        assertEquals(".data.users[*].name", init.get("filter").asText());
        long rev = init.get("rev").asLong();
        assertEquals(json(ev.get(0).data()).get("epoch").asText() + ":" + rev, ev.get(1).lastEventId());
        assertEquals(2000, c.reconnectionTimeMillis());
    }

    @Test
    void goSseSelectFormMatchesByStringForm() throws Exception {
        SseClient c = f.stream("filter=" + q(".data.users[id=1]"));
        List<Event> ev = c.awaitCount(2, WAIT);
        assertEquals(json("[{\"id\":1,\"name\":\"Alice\",\"status\":\"online\"}]"), json(ev.get(1).data()).get("value"));
    }

    @Test
    void writeStrictlyInsideALocationGivesOneUpdateAtTheWrittenPath() throws Exception {
        SseClient c = f.stream("filter=" + q(".data.users[*]"));
        c.awaitCount(2, WAIT);
        JsonNode res = f.http.patch(".data.users[0].status", "\"away\"");
        List<Event> ev = c.awaitCount(3, WAIT);
        Event u = ev.get(2);
        assertEquals("update", u.type());
        JsonNode d = json(u.data());
        assertEquals(".data.users[0].status", d.get("path").asText());
        assertEquals("away", d.get("value").asText());
        assertEquals(res.get("data").get("rev").asLong(), d.get("rev").asLong());
        assertTrue(u.lastEventId().endsWith(":" + d.get("rev").asLong()));
    }

    @Test
    void leavingASelectGivesDeleteAndEnteringGivesUpdate() throws Exception {
        SseClient c = f.stream("filter=" + q(".data.users[] | select(.status == \"online\")"));
        c.awaitCount(2, WAIT);
        f.http.patch(".data.users[0].status", "\"away\"");
        f.http.patch(".data.users[1].status", "\"online\"");
        List<Event> ev = c.awaitCount(4, WAIT);
        assertEquals("delete", ev.get(2).type());
        assertEquals(".data.users[0]", json(ev.get(2).data()).get("path").asText());
        assertEquals("update", ev.get(3).type());
        assertEquals(".data.users[1]", json(ev.get(3).data()).get("path").asText());
        assertEquals("Bob", json(ev.get(3).data()).get("value").get("name").asText());
    }

    @Test
    void computedFilterSendsTheWholeNewOutputWithTheFilterAsPath() throws Exception {
        SseClient c = f.stream("filter=" + q(".data.users | length"));
        List<Event> ev = c.awaitCount(2, WAIT);
        assertEquals(2, json(ev.get(1).data()).get("value").asInt());
        assertFalse(json(ev.get(1).data()).has("paths"));
        f.http.patch(".data.users[2]", "{\"id\":3,\"name\":\"Carol\"}");
        ev = c.awaitCount(3, WAIT);
        assertEquals(".data.users | length", json(ev.get(2).data()).get("path").asText());
        assertEquals(3, json(ev.get(2).data()).get("value").asInt());
    }

    @Test
    void aSubscriberWhoseViewDidNotChangeGetsNothing() throws Exception {
        SseClient config = f.stream("filter=" + q(".data.config"));
        SseClient users = f.stream("filter=" + q(".data.users[*].name"));
        config.awaitCount(2, WAIT);
        users.awaitCount(2, WAIT);
        f.http.patch(".data.config.timeout", "60");
        f.http.patch(".data.users[1].name", "\"Robert\"");
        List<Event> ev = users.awaitCount(3, WAIT);
        config.awaitCount(3, WAIT);
        assertEquals(1, ofType(ev, "update").size());
        assertEquals("Robert", json(ev.get(2).data()).get("value").asText());
        assertEquals(1, ofType(config.events(), "update").size());
    }

    @Test
    void severalFiltersOnOneStreamAreToldApartAndOnlyTheLastEventOfAWriteCarriesTheId() throws Exception {
        SseClient c = f.stream("filter=" + q(".data.users[0].name,.data.users[*].id") + "&filter=" + q(".data.config"));
        List<Event> ev = c.awaitCount(4, WAIT);
        assertEquals(3, ofType(ev, "initial_data").size());
        assertNull(emptyToNull(ev.get(1).lastEventId()), "only the last initial event carries the id");
        assertFalse(ev.get(3).lastEventId().isEmpty());
        f.http.post("{\"data\":{\"users\":[{\"id\":7,\"name\":\"Zed\"}],\"config\":{}}}");
        ev = c.awaitCount(7, WAIT);
        List<Event> inits = ofType(ev, "init");
        assertEquals(3, inits.size());
        assertEquals(json("\"Zed\""), json(inits.get(0).data()).get("value"));
        assertEquals(json("[7]"), json(inits.get(1).data()).get("value"));
        assertEquals(json("{}"), json(inits.get(2).data()).get("value"));
    }

    @Test
    void replacingTheDocumentSendsInit() throws Exception {
        SseClient c = f.stream("filter=" + q(".data.users[*].name"));
        c.awaitCount(2, WAIT);
        f.http.post("{\"data\":{\"users\":[{\"name\":\"Carol\"}]}}");
        List<Event> ev = c.awaitCount(3, WAIT);
        assertEquals("init", ev.get(2).type());
        assertEquals(json("[\"Carol\"]"), json(ev.get(2).data()).get("value"));
    }

    @Test
    void moreDeltasThanTheLimitSendOneInit() throws Exception {
        f.close();
        f = new StreamFixture(b -> b.maxDeltaEvents(2));
        f.http.post("{\"a\":[1,2,3,4,5]}");
        SseClient c = f.stream("filter=" + q(".a[]"));
        c.awaitCount(2, WAIT);
        f.http.delete(".a[0]");
        List<Event> ev = c.awaitCount(3, WAIT);
        assertEquals("init", ev.get(2).type());
        assertEquals(json("[2,3,4,5]"), json(ev.get(2).data()).get("value"));
    }

    @Test
    void initialDataFalseSkipsTheViews() throws Exception {
        SseClient c = f.stream("filter=" + q(".data.config") + "&initial_data=false");
        c.awaitCount(1, WAIT);
        f.http.patch(".data.config.timeout", "5");
        List<Event> ev = c.awaitCount(2, WAIT);
        assertEquals("connected", ev.get(0).type());
        assertEquals("update", ev.get(1).type());
    }

    @Test
    void goSseFilterKeyAndValueNarrowTheFirstFilter() throws Exception {
        SseClient c = f.stream("filter=" + q(".data.users") + "&filter_key=name&filter_value=Bob");
        List<Event> ev = c.awaitCount(2, WAIT);
        assertEquals("Bob", json(ev.get(1).data()).get("value").get(0).get("name").asText());
    }

    @Test
    void anInvalidFilterIsRefusedWith400AndNoStream() {
        HttpResponse<String> r = f.http.send("GET", "/events?filter=" + q(".data[") , null, null);
        assertEquals(400, r.statusCode());
        assertEquals("invalid_filter", json(r.body()).get("error").asText());
        HttpResponse<String> unknown = f.http.send("GET", "/events?filter=" + q("nosuchfunction(1)"), null, null);
        assertEquals(400, unknown.statusCode());
        assertEquals("invalid_filter", json(unknown.body()).get("error").asText());
        assertEquals(json(USERS), f.http.view("."));
    }

    @Test
    void subscribersWithTheSameFilterShareOneGroup() throws Exception {
        SseClient a = f.stream("filter=" + q(".data.config"));
        SseClient b = f.stream("filter=" + q(".data.config"));
        a.awaitCount(2, WAIT);
        b.awaitCount(2, WAIT);
        JsonNode metrics = json(f.http.send("GET", "/metrics", null, null).body());
        assertEquals(1, metrics.findValue("filter_groups").asInt(), metrics.toString());
        f.http.patch(".data.config.maxUsers", "5");
        assertEquals(a.awaitCount(3, WAIT).get(2).data(), b.awaitCount(3, WAIT).get(2).data());
    }

    private static String emptyToNull(String s) {
        return s == null || s.isEmpty() ? null : s;
    }
}

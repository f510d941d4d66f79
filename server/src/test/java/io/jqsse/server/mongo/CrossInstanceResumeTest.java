package io.jqsse.server.mongo;

import static io.jqsse.server.mongo.Instances.WAIT;
import static io.jqsse.server.mongo.Instances.awaitId;
import static io.jqsse.server.mongo.Instances.filters;
import static io.jqsse.server.mongo.Instances.http;
import static io.jqsse.server.mongo.Instances.revOf;
import static io.jqsse.server.mongo.Instances.revOfResponse;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jqsse.server.JqSseServer;
import io.jqsse.server.testing.SseClient;
import io.jqsse.server.testing.ViewReplica;
import io.jqsse.codec.WhatwgEventStreamParser.Event;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A client that read from instance A reconnects to instance B with {@code Last-Event-ID} (SPEC
 * section 3, event ids): ids are {@code <epoch>:<rev>} of the stored document, the same on every
 * instance, so B can resume from A's id. B replays from its own replay buffer, which holds the
 * changes B's replica applied since B started: a resume point from before that gets {@code init}.
 */
class CrossInstanceResumeTest {

    static final List<String> FILTERS = List.of(".list[] | select(.id > 1)", ".a", "[.list[].id] | add");

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

    @Test
    void aClientResumingOnAnotherInstanceGetsExactlyTheDeltasItMissed() throws Exception {
        JqSseServer a = jq.start();
        JqSseServer b = jq.start();
        Instances.awaitRev(b, revOfResponse(http(a).post(SharedDocumentTest.BASE)));
        SseClient first = jq.stream(a, filters(FILTERS));
        SseClient witness = jq.stream(b, filters(FILTERS));
        first.awaitCount(1 + FILTERS.size(), WAIT);
        witness.awaitCount(1 + FILTERS.size(), WAIT);
        long readUpTo = revOfResponse(http(a).patch(".list[0].id", "5"));
        awaitId(first, readUpTo);
        first.close();
        String id = first.lastEventId();
        assertEquals(readUpTo, revOf(id));

        http(a).patch(".a.b", "2");
        http(b).delete(".list[1]");
        http(a).patch(".list[1]", "{\"id\":7}");
        long last = revOfResponse(http(b).patch(".list[0].id", "1"));
        List<Event> seenByWitness = awaitId(witness, last);

        SseClient resumed = jq.stream(b, filters(FILTERS), Map.of("Last-Event-ID", id));
        List<Event> replayed = awaitId(resumed, last);
        assertTrue(resumed.awaitHead(WAIT).contains("Last-Event-ID: " + id), resumed.awaitHead(WAIT));
        assertEquals(List.of(), replayed.stream().filter(e -> e.type().equals("initial_data") || e.type().equals("init"))
                .toList(), "a resume that B can replay sends no views");
        Instances.assertSameEvents(after(seenByWitness, id), replayed,
                "what a client that stayed on B got after " + id + ", and what the resumed one got");

        List<Event> history = new ArrayList<>(first.events());
        history.addAll(replayed.subList(1, replayed.size()));
        assertConverged(history, b);
    }

    @Test
    void aResumePointFromBeforeTheOtherInstanceStartedGetsInitWithTheCurrentViews() throws Exception {
        JqSseServer a = jq.start();
        http(a).post(SharedDocumentTest.BASE);
        SseClient first = jq.stream(a, filters(FILTERS));
        first.awaitCount(1 + FILTERS.size(), WAIT);
        String id = first.lastEventId();
        first.close();
        http(a).patch(".a.b", "2");
        long last = revOfResponse(http(a).patch(".list[0].id", "5"));

        JqSseServer late = jq.start();
        Instances.awaitRev(late, last);
        SseClient resumed = jq.stream(late, filters(FILTERS), Map.of("Last-Event-ID", id));
        List<Event> ev = resumed.awaitCount(1 + FILTERS.size(), WAIT);
        assertEquals(List.of("connected", "init", "init", "init"), ev.stream().map(Event::type).toList(), ev.toString());
        assertConverged(ev, late);
        assertConverged(ev, a);
    }

    /** The events after the one that carried {@code id}. */
    private static List<Event> after(List<Event> events, String id) {
        for (int i = 0; i < events.size(); i++) {
            if (events.get(i).lastEventId().equals(id)) {
                return events.subList(i + 1, events.size());
            }
        }
        throw new AssertionError("no event with id " + id + " in " + events);
    }

    private static void assertConverged(List<Event> events, JqSseServer server) {
        ViewReplica replica = new ViewReplica();
        replica.applyAll(events);
        for (String f : FILTERS) {
            assertEquals(Instances.view(server, f), replica.view(f), "filter " + f + " after " + events);
        }
    }
}

package io.jqsse.server.internal.stream;

import static io.jqsse.server.internal.stream.StreamFixture.WAIT;
import static io.jqsse.server.testing.SseClient.q;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.jqsse.server.testing.Http;
import io.jqsse.server.testing.SseClient;
import io.jqsse.server.testing.ViewReplica;
import io.jqsse.codec.WhatwgEventStreamParser.Event;
import io.jqsse.store.Path;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The stream invariant: applying a stream's events to its initial views always reproduces what a
 * fresh evaluation of each filter on the current document gives. Random writes (set, delete,
 * merge, replace) against streams with path and computed filters, some opened while writes go on.
 * Every failure message carries the seed; rerun one with {@code -Djqsse.seed=<seed>}.
 */
class StreamConvergencePropertyTest {

    static final List<String> FILTERS = List.of(
            ".", ".a", ".a.items[*].v", ".a.items[] | select(.v > 5)", ".a.m", ".a.m[]", ".a.items[0]",
            ".b", ".a.items | length", "[.a.items[]?.id?]", ".a.items[id=3]", ".missing.x", "[.a.m | objects | keys[]]",
            ".a.items[].tags[]", ".a.items[-1]", "{n: (.a.items | length), b: .b}");
    // .a itself is never the target of a write, so .a stays an object and no computed filter here fails
    static final JsonNodeFactory F = JsonNodeFactory.instance;

    @Test
    void eventsAppliedToInitialViewsAlwaysEqualAFreshEvaluation() throws Exception {
        long seed = Long.getLong("jqsse.seed", System.nanoTime());
        for (int round = 0; round < 3; round++) {
            run(seed + round);
        }
    }

    private void run(long seed) throws Exception {
        Random rnd = new Random(seed);
        try (StreamFixture f = new StreamFixture(b -> b.maxDeltaEvents(8 + new Random(seed).nextInt(32)))) {
            f.http.post(randomDocument(rnd).toString());
            List<SseClient> streams = new ArrayList<>();
            List<List<String>> filtersOf = new ArrayList<>();
            int writes = 150;
            for (int i = 0; i < writes; i++) {
                if (i % 30 == 0) {
                    List<String> fs = pick(rnd);
                    filtersOf.add(fs);
                    StringBuilder qs = new StringBuilder("filter=" + q(".sentinel"));
                    fs.forEach(x -> qs.append("&filter=").append(q(x)));
                    streams.add(f.stream(qs.toString()));
                }
                randomWrite(f.http, rnd);
            }
            HttpResponse<String> last = f.http.send("PATCH", "/store?path=.sentinel", "application/json", "\"done\"");
            long finalRev = Http.json(last.body()).get("data").get("rev").asLong();
            for (int s = 0; s < streams.size(); s++) {
                SseClient c = streams.get(s);
                List<Event> events = c.awaitEvents(ev -> !ev.isEmpty()
                        && ev.get(ev.size() - 1).lastEventId().endsWith(":" + finalRev), WAIT);
                ViewReplica replica = new ViewReplica();
                replica.applyAll(events);
                assertIncreasing(replica.revs(), seed);
                for (String filter : filtersOf.get(s)) {
                    assertEquals(expected(f.http, filter), replica.view(filter),
                            "seed " + seed + ", filter " + filter + ", events " + events);
                }
            }
        } catch (AssertionError | RuntimeException e) {
            throw new AssertionError("seed " + seed + ": " + e.getMessage(), e);
        }
    }

    private static JsonNode expected(Http http, String filter) {
        HttpResponse<String> r = http.send("GET", "/store?path=" + Http.enc(filter), null, null);
        if (r.statusCode() == 404) {
            return NullNode.instance;
        }
        assertEquals(200, r.statusCode(), r.body());
        return Http.json(r.body());
    }

    private static void assertIncreasing(List<Long> revs, long seed) {
        for (int i = 1; i < revs.size(); i++) {
            assertTrue(revs.get(i) >= revs.get(i - 1), "seed " + seed + ": a rev came again or out of order: " + revs);
        }
    }

    private static List<String> pick(Random rnd) {
        List<String> out = new ArrayList<>();
        int n = 1 + rnd.nextInt(4);
        while (out.size() < n) {
            String x = FILTERS.get(rnd.nextInt(FILTERS.size()));
            if (!out.contains(x)) {
                out.add(x);
            }
        }
        return out;
    }

    static ObjectNode randomDocument(Random rnd) {
        ObjectNode a = F.objectNode();
        ArrayNode items = a.putArray("items");
        for (int i = 0, n = rnd.nextInt(6); i < n; i++) {
            items.add(item(rnd, i));
        }
        ObjectNode m = a.putObject("m");
        for (int i = 0, n = rnd.nextInt(4); i < n; i++) {
            m.put("k" + rnd.nextInt(6), rnd.nextInt(10));
        }
        ObjectNode doc = F.objectNode();
        doc.set("a", a);
        doc.put("b", rnd.nextInt(3));
        return doc;
    }

    private static ObjectNode item(Random rnd, int id) {
        ObjectNode o = F.objectNode();
        o.put("id", id);
        o.put("v", rnd.nextInt(10));
        ArrayNode tags = o.putArray("tags");
        for (int i = 0, n = rnd.nextInt(3); i < n; i++) {
            tags.add("t" + rnd.nextInt(5));
        }
        return o;
    }

    private static JsonNode randomValue(Random rnd) {
        return switch (rnd.nextInt(5)) {
            case 0 -> F.numberNode(rnd.nextInt(10));
            case 1 -> F.textNode("s" + rnd.nextInt(5));
            case 2 -> item(rnd, rnd.nextInt(8));
            case 3 -> F.arrayNode().add(rnd.nextInt(10)).add("t" + rnd.nextInt(5));
            default -> F.objectNode().put("k" + rnd.nextInt(6), rnd.nextInt(10));
        };
    }

    private static void randomWrite(Http http, Random rnd) {
        JsonNode doc = http.view(".");
        List<Path> paths = new ArrayList<>();
        collect(doc.path("a"), Path.of("a"), paths);
        paths.remove(Path.of("a"));
        paths.add(Path.of("b"));
        Path target = paths.get(rnd.nextInt(paths.size()));
        int op = rnd.nextInt(100);
        HttpResponse<String> r;
        if (op < 3) {
            r = http.send("POST", "/store", "application/json", randomDocument(rnd).toString());
        } else if (op < 25) {
            r = http.send("DELETE", "/store?path=" + Http.enc(target.toString()), null, null);
        } else if (op < 40) {
            ObjectNode patch = F.objectNode();
            patch.set("k" + rnd.nextInt(6), rnd.nextInt(4) == 0 ? NullNode.instance : randomValue(rnd));
            r = http.send("PATCH", "/store?path=" + Http.enc(target.toString()), "application/merge-patch+json",
                    patch.toString());
        } else if (op < 55) {
            JsonNode container = at(doc, target);
            Path p = container != null && container.isArray() ? target.child(container.size())
                    : container != null && container.isObject() ? target.child("k" + rnd.nextInt(6)) : target;
            r = http.send("PATCH", "/store?path=" + Http.enc(p.toString()), "application/json",
                    randomValue(rnd).toString());
        } else {
            r = http.send("PATCH", "/store?path=" + Http.enc(target.toString()), "application/json",
                    randomValue(rnd).toString());
        }
        assertTrue(r.statusCode() == 200 || r.statusCode() == 409 || r.statusCode() == 404,
                r.statusCode() + " " + r.body());
    }

    private static JsonNode at(JsonNode doc, Path p) {
        JsonNode n = doc;
        for (Object s : p.segments()) {
            n = s instanceof String k ? n.get(k) : n.get((Integer) s);
            if (n == null) {
                return null;
            }
        }
        return n;
    }

    private static void collect(JsonNode node, Path at, List<Path> out) {
        out.add(at);
        if (node.isObject()) {
            Iterator<Map.Entry<String, JsonNode>> it = node.fields();
            while (it.hasNext()) {
                Map.Entry<String, JsonNode> e = it.next();
                collect(e.getValue(), at.child(e.getKey()), out);
            }
        } else if (node.isArray()) {
            for (int i = 0; i < node.size(); i++) {
                collect(node.get(i), at.child(i), out);
            }
        }
    }
}

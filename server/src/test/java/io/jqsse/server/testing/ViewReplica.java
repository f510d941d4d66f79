package io.jqsse.server.testing;

import io.jqsse.codec.WhatwgEventStreamParser;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * What a client does with a stream's events, written independently of the server: it keeps one view
 * per filter, starts it from {@code initial_data} / {@code init} and applies {@code update} and
 * {@code delete} by concrete path. Tests compare the result with a fresh {@code GET /store}.
 *
 * <p>Rules: a {@code value} view is the value at one location; a {@code list} view is locations
 * with values in document order: an event at path P applies to every location equal to P (replace
 * or remove) or containing P (set or delete inside it); when none matches, an {@code update} adds a
 * new location at its document position. A {@code value} view whose location is absent adopts the
 * path of its next update (a plain path with a negative index moves). A {@code computed} view is
 * replaced by each update.
 */
public final class ViewReplica {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    private static final class View {
        String kind;
        JsonNode value;
        final List<List<Object>> paths = new ArrayList<>();
        final List<JsonNode> values = new ArrayList<>();
    }

    private final Map<String, View> views = new HashMap<>();
    private final List<Long> revs = new ArrayList<>();

    /** Applies one event; ignores {@code connected} and unknown types. */
    public void apply(WhatwgEventStreamParser.Event e) {
        if (e.type().equals("connected") || e.type().equals("message")) {
            return;
        }
        JsonNode data = parse(e.data());
        String filter = data.path("filter").asText();
        if (!views.containsKey(filter) && (e.type().equals("update") || e.type().equals("delete"))) {
            if (!data.path("path").asText().equals(filter)) {
                throw new IllegalStateException("a " + e.type() + " before any view of " + filter + ": " + e);
            }
            View v = new View();
            v.kind = "computed";
            views.put(filter, v);
        }
        switch (e.type()) {
            case "initial_data", "init" -> start(filter, data);
            case "update" -> update(views.get(filter), parsePath(data.get("path").asText(), views.get(filter)),
                    data.get("value"));
            case "delete" -> delete(views.get(filter), parsePath(data.get("path").asText(), views.get(filter)));
            case "error" -> views.computeIfAbsent(filter, k -> {
                View v = new View();
                v.kind = "computed";
                return v;
            });
            default -> throw new IllegalArgumentException("event type: " + e.type());
        }
        if (data.has("rev")) {
            revs.add(data.get("rev").asLong());
        }
    }

    public void applyAll(List<WhatwgEventStreamParser.Event> events) {
        events.forEach(this::apply);
    }

    /** The rev of every event applied, in order. */
    public List<Long> revs() {
        return revs;
    }

    /** The current view of {@code filter}, as GET /store?path=filter would answer it. */
    public JsonNode view(String filter) {
        View v = views.get(filter);
        if (v == null) {
            return null;
        }
        if (!v.kind.equals("list")) {
            return v.value;
        }
        ArrayNode a = JsonNodeFactory.instance.arrayNode();
        v.values.forEach(a::add);
        return a;
    }

    /** The current locations of a list view, canonical-path order as the replica holds them. */
    public List<List<Object>> paths(String filter) {
        return views.get(filter).paths;
    }

    private void start(String filter, JsonNode data) {
        View v = new View();
        v.kind = data.path("kind").asText("computed");
        v.value = data.get("value");
        if (data.has("paths")) {
            for (JsonNode p : data.get("paths")) {
                v.paths.add(parseCanonical(p.asText()));
            }
        }
        if (v.kind.equals("list")) {
            v.value.forEach(v.values::add);
        }
        views.put(filter, v);
    }

    private static List<Object> parsePath(String text, View v) {
        return v.kind.equals("computed") ? null : parseCanonical(text);
    }

    private static void update(View v, List<Object> p, JsonNode value) {
        if (v.kind.equals("computed")) {
            v.value = value;
            return;
        }
        if (v.kind.equals("value")) {
            List<Object> at = v.paths.isEmpty() ? null : v.paths.get(0);
            if (at != null && at.equals(p)) {
                v.value = value;
            } else if (at != null && isPrefix(at, p)) {
                v.value = setIn(v.value, p.subList(at.size(), p.size()), value);
            } else {
                // an absent plain-path view adopts the location of its next update (a moved [-1])
                v.paths.clear();
                v.paths.add(p);
                v.value = value;
            }
            return;
        }
        boolean matched = false;
        for (int i = 0; i < v.paths.size(); i++) {
            List<Object> at = v.paths.get(i);
            if (at.equals(p)) {
                v.values.set(i, value);
                matched = true;
            } else if (isPrefix(at, p)) {
                v.values.set(i, setIn(v.values.get(i), p.subList(at.size(), p.size()), value));
                matched = true;
            }
        }
        if (!matched) {
            int pos = insertionPoint(v.paths, p);
            v.paths.add(pos, p);
            v.values.add(pos, value);
        }
    }

    private static void delete(View v, List<Object> p) {
        if (v.kind.equals("value")) {
            List<Object> at = v.paths.isEmpty() ? p : v.paths.get(0);
            if (at.equals(p)) {
                v.value = NullNode.instance;
            } else if (isPrefix(at, p)) {
                v.value = deleteIn(v.value, p.subList(at.size(), p.size()));
            }
            return;
        }
        for (int i = v.paths.size() - 1; i >= 0; i--) {
            List<Object> at = v.paths.get(i);
            if (at.equals(p)) {
                v.paths.remove(i);
                v.values.remove(i);
            } else if (isPrefix(at, p)) {
                v.values.set(i, deleteIn(v.values.get(i), p.subList(at.size(), p.size())));
            }
        }
    }

    /**
     * Document order: among the locations sharing the longest prefix with {@code p}, an index goes
     * before the first larger index; a key not seen there was added last, so it goes after them.
     */
    static int insertionPoint(List<List<Object>> paths, List<Object> p) {
        int best = 0;
        for (List<Object> q : paths) {
            best = Math.max(best, common(q, p));
        }
        int firstOfRun = -1;
        int lastOfRun = -1;
        for (int i = 0; i < paths.size(); i++) {
            List<Object> q = paths.get(i);
            if (common(q, p) >= best) {
                if (firstOfRun < 0) {
                    firstOfRun = i;
                }
                lastOfRun = i;
                if (q.size() > best && p.size() > best && q.get(best) instanceof Integer qi
                        && p.get(best) instanceof Integer pi && qi > pi) {
                    return i;
                }
            }
        }
        return lastOfRun < 0 ? paths.size() : lastOfRun + 1;
    }

    private static int common(List<Object> a, List<Object> b) {
        int n = Math.min(a.size(), b.size());
        int i = 0;
        while (i < n && a.get(i).equals(b.get(i))) {
            i++;
        }
        return i;
    }

    private static boolean isPrefix(List<Object> a, List<Object> b) {
        return a.size() < b.size() && b.subList(0, a.size()).equals(a);
    }

    /** jq setpath on a copy, creating missing objects; an index equal to the length appends. */
    static JsonNode setIn(JsonNode node, List<Object> rel, JsonNode value) {
        if (rel.isEmpty()) {
            return value;
        }
        Object seg = rel.get(0);
        List<Object> rest = rel.subList(1, rel.size());
        if (seg instanceof String k) {
            ObjectNode o = node != null && node.isObject() ? ((ObjectNode) node).deepCopy()
                    : JsonNodeFactory.instance.objectNode();
            o.set(k, setIn(o.get(k), rest, value));
            return o;
        }
        int i = (Integer) seg;
        ArrayNode a = node != null && node.isArray() ? ((ArrayNode) node).deepCopy() : JsonNodeFactory.instance.arrayNode();
        if (i == a.size()) {
            a.add(setIn(null, rest, value));
        } else {
            a.set(i, setIn(a.get(i), rest, value));
        }
        return a;
    }

    static JsonNode deleteIn(JsonNode node, List<Object> rel) {
        if (node == null || rel.isEmpty()) {
            return node;
        }
        JsonNode copy = node.deepCopy();
        JsonNode parent = copy;
        for (int i = 0; i < rel.size() - 1; i++) {
            Object seg = rel.get(i);
            parent = seg instanceof String k ? parent.get(k) : parent.get((Integer) seg);
            if (parent == null) {
                return copy;
            }
        }
        Object last = rel.get(rel.size() - 1);
        if (last instanceof String k && parent.isObject()) {
            ((ObjectNode) parent).remove(k);
        } else if (last instanceof Integer i && parent.isArray()) {
            ((ArrayNode) parent).remove(i);
        }
        return copy;
    }

    /** Parses a canonical path: {@code .}, {@code .name}, {@code ["key"]}, {@code [n]}. */
    public static List<Object> parseCanonical(String text) {
        List<Object> out = new ArrayList<>();
        int i = 0;
        if (text.equals(".")) {
            return out;
        }
        while (i < text.length()) {
            char c = text.charAt(i);
            if (c == '.') {
                int j = i + 1;
                while (j < text.length() && (Character.isLetterOrDigit(text.charAt(j)) || text.charAt(j) == '_')) {
                    j++;
                }
                out.add(text.substring(i + 1, j));
                i = j;
            } else if (c == '[' && text.charAt(i + 1) == '"') {
                int j = i + 2;
                while (text.charAt(j) != '"') {
                    j += text.charAt(j) == '\\' ? 2 : 1;
                }
                out.add(parse(text.substring(i + 1, j + 1)).asText());
                i = j + 2;
            } else if (c == '[') {
                int j = text.indexOf(']', i);
                out.add(Integer.parseInt(text.substring(i + 1, j)));
                i = j + 1;
            } else {
                throw new IllegalArgumentException("path: " + text + " (expected: canonical form at " + i + ")");
            }
        }
        return out;
    }

    private static JsonNode parse(String json) {
        try {
            return MAPPER.readTree(json);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}

package io.jqsse.store;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.TreeSet;

/**
 * RFC 6902 JSON Patch over immutable trees: every operation path-copies the working document, so a
 * failing operation leaves nothing changed (section 5: the patch applies entirely or not at all).
 * Pointers are RFC 6901.
 */
final class JsonPatch {

    private static final String KINDS = "one of add, remove, replace, move, copy, test";

    enum Kind { ADD, REMOVE, REPLACE, MOVE, COPY, TEST }

    /** One parsed operation; {@code from} is null unless move or copy, {@code value} unless add, replace or test. */
    record Operation(int index, Kind kind, String path, List<String> pathTokens, String from,
                     List<String> fromTokens, JsonNode value) {
    }

    /** The patched value and the locations the operations changed, relative to the patched value. */
    record Result(JsonNode document, List<Path> touched) {
    }

    private JsonPatch() {
    }

    /** Checks the whole patch document before anything applies. */
    static List<Operation> parse(JsonNode operations) {
        if (!operations.isArray()) {
            throw new InvalidPatchException("operations: " + Trees.kind(operations)
                    + " (expected: a JSON array of operations, RFC 6902)");
        }
        List<Operation> parsed = new ArrayList<>(operations.size());
        for (int i = 0; i < operations.size(); i++) {
            parsed.add(parseOperation(i, operations.get(i)));
        }
        return parsed;
    }

    private static Operation parseOperation(int i, JsonNode op) {
        String name = "operations[" + i + "]";
        if (!op.isObject()) {
            throw new InvalidPatchException(name + ": " + Trees.kind(op) + " (expected: an object with \"op\" and \"path\")");
        }
        JsonNode kindNode = op.get("op");
        if (kindNode == null || !kindNode.isTextual()) {
            throw new InvalidPatchException(name + ".op: " + (kindNode == null ? "missing" : kindNode)
                    + " (expected: " + KINDS + ")");
        }
        Kind kind;
        try {
            kind = Kind.valueOf(kindNode.textValue().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new InvalidPatchException(name + ".op: " + kindNode + " (expected: " + KINDS + ")", e);
        }
        if (!kindNode.textValue().equals(kind.name().toLowerCase(Locale.ROOT))) {
            throw new InvalidPatchException(name + ".op: " + kindNode + " (expected: " + KINDS + ")");
        }
        String path = pointerText(op, name, "path");
        String from = kind == Kind.MOVE || kind == Kind.COPY ? pointerText(op, name, "from") : null;
        JsonNode value = null;
        if (kind == Kind.ADD || kind == Kind.REPLACE || kind == Kind.TEST) {
            value = op.get("value");
            if (value == null) {
                throw new InvalidPatchException(name + ".value: missing (expected: a value for " + kindNode.textValue() + ")");
            }
        }
        return new Operation(i, kind, path, tokens(path, name + ".path"), from,
                from == null ? null : tokens(from, name + ".from"), value);
    }

    private static String pointerText(JsonNode op, String name, String field) {
        JsonNode node = op.get(field);
        if (node == null || !node.isTextual()) {
            throw new InvalidPatchException(name + "." + field + ": " + (node == null ? "missing" : node)
                    + " (expected: a JSON Pointer string)");
        }
        return node.textValue();
    }

    /** RFC 6901 section 3 and 4: {@code ""} or {@code /token...}, with {@code ~0} and {@code ~1} escapes. */
    static List<String> tokens(String pointer, String name) {
        if (pointer.isEmpty()) {
            return List.of();
        }
        if (pointer.charAt(0) != '/') {
            throw badPointer(pointer, name);
        }
        String[] raw = pointer.substring(1).split("/", -1);
        List<String> tokens = new ArrayList<>(raw.length);
        for (String token : raw) {
            StringBuilder sb = new StringBuilder(token.length());
            for (int i = 0; i < token.length(); i++) {
                char c = token.charAt(i);
                if (c != '~') {
                    sb.append(c);
                } else if (i + 1 < token.length() && (token.charAt(i + 1) == '0' || token.charAt(i + 1) == '1')) {
                    sb.append(token.charAt(++i) == '0' ? '~' : '/');
                } else {
                    throw badPointer(pointer, name);
                }
            }
            tokens.add(sb.toString());
        }
        return tokens;
    }

    private static InvalidPatchException badPointer(String pointer, String name) {
        StringBuilder sb = new StringBuilder();
        Path.appendJsonString(sb, pointer);
        return new InvalidPatchException(name + ": " + sb
                + " (expected: a JSON Pointer, empty or starting with /, with ~ only in ~0 or ~1)");
    }

    /** Applies the operations in order to {@code target} (null when absent, patched as JSON null). */
    static Result apply(JsonNode target, List<Operation> operations) {
        JsonNode document = target == null ? NullNode.getInstance() : target;
        List<Path> touched = new ArrayList<>();
        for (Operation op : operations) {
            document = applyOne(document, op, touched);
        }
        return new Result(document, union(touched));
    }

    private static JsonNode applyOne(JsonNode document, Operation op, List<Path> touched) {
        switch (op.kind()) {
            case ADD:
                return add(document, op, op.pathTokens(), op.value(), touched);
            case REMOVE:
                return remove(document, op, op.pathTokens(), touched);
            case REPLACE:
                return replace(document, op, touched);
            case MOVE: {
                List<String> from = op.fromTokens();
                List<String> to = op.pathTokens();
                if (from.size() < to.size() && to.subList(0, from.size()).equals(from)) {
                    throw conflict(op, "from", op.from(), "a location that is not a proper prefix of path");
                }
                JsonNode value = get(document, op, "from", from);
                if (from.equals(to)) {
                    return document;
                }
                return add(remove(document, op, from, touched), op, to, value, touched);
            }
            case COPY:
                return add(document, op, op.pathTokens(), get(document, op, "from", op.fromTokens()), touched);
            default: {
                JsonNode actual = get(document, op, "path", op.pathTokens());
                if (!actual.equals(Trees.JSON_EQUALITY, op.value())) {
                    throw conflict(op, "path", op.path(), "a value equal to the test value");
                }
                return document;
            }
        }
    }

    private static JsonNode add(JsonNode document, Operation op, List<String> tokens, JsonNode value,
                                List<Path> touched) {
        if (tokens.isEmpty()) {
            touched.add(Path.root());
            return value;
        }
        Spine spine = spine(document, op, "path", tokens);
        JsonNode parent = spine.parent();
        String last = tokens.get(tokens.size() - 1);
        if (parent.isObject()) {
            ObjectNode copy = Trees.copyObject(parent);
            copy.set(last, value);
            touched.add(spine.parentPath().child(last));
            return spine.rebuild(copy);
        }
        int index = "-".equals(last) ? parent.size() : index(last, parent.size() + 1);
        if (index < 0) {
            throw conflict(op, "path", pointerOf(tokens), "an index at most the array's length " + parent.size() + " or -");
        }
        ArrayNode copy = Trees.copyArray(parent);
        copy.insert(index, value);
        touched.add(spine.parentPath());
        return spine.rebuild(copy);
    }

    private static JsonNode remove(JsonNode document, Operation op, List<String> tokens, List<Path> touched) {
        String field = op.kind() == Kind.MOVE ? "from" : "path";
        if (tokens.isEmpty()) {
            throw conflict(op, field, "", "a location inside the target: the whole target cannot be removed");
        }
        Spine spine = spine(document, op, field, tokens);
        JsonNode parent = spine.parent();
        String last = tokens.get(tokens.size() - 1);
        if (parent.isObject()) {
            if (!parent.has(last)) {
                throw conflict(op, field, pointerOf(tokens), "an existing location");
            }
            ObjectNode copy = Trees.copyObject(parent);
            copy.remove(last);
            touched.add(spine.parentPath().child(last));
            return spine.rebuild(copy);
        }
        int index = index(last, parent.size());
        if (index < 0) {
            throw conflict(op, field, pointerOf(tokens), "an existing location");
        }
        touched.add(spine.parentPath());
        return spine.rebuild(Trees.copyArrayWithout(parent, index));
    }

    private static JsonNode replace(JsonNode document, Operation op, List<Path> touched) {
        List<String> tokens = op.pathTokens();
        if (tokens.isEmpty()) {
            touched.add(Path.root());
            return op.value();
        }
        get(document, op, "path", tokens);
        Spine spine = spine(document, op, "path", tokens);
        String last = tokens.get(tokens.size() - 1);
        Object segment = spine.parent().isObject() ? last : (Object) index(last, spine.parent().size());
        touched.add(spine.parentPath().concat(Path.of(segment)));
        return spine.rebuild(Trees.with(spine.parent(), segment, op.value()));
    }

    /** The value at {@code tokens}; a conflict naming the operation when there is none. */
    private static JsonNode get(JsonNode document, Operation op, String field, List<String> tokens) {
        JsonNode current = document;
        for (String token : tokens) {
            JsonNode next = null;
            if (current.isObject()) {
                next = current.get(token);
            } else if (current.isArray()) {
                int index = index(token, current.size());
                next = index < 0 ? null : current.get(index);
            }
            if (next == null) {
                throw conflict(op, field, pointerOf(tokens), "an existing location");
            }
            current = next;
        }
        return current;
    }

    private static Spine spine(JsonNode document, Operation op, String field, List<String> tokens) {
        int n = tokens.size();
        JsonNode[] containers = new JsonNode[n];
        Object[] segments = new Object[n - 1];
        JsonNode current = document;
        for (int i = 0; i < n; i++) {
            if (!current.isContainerNode()) {
                throw conflict(op, field, pointerOf(tokens), "an object or array at "
                        + pointerOf(tokens.subList(0, i)) + ", found " + Trees.kind(current));
            }
            containers[i] = current;
            if (i == n - 1) {
                break;
            }
            String token = tokens.get(i);
            Object segment = current.isObject() ? token : (Object) index(token, current.size());
            JsonNode next = segment instanceof Integer idx ? (idx < 0 ? null : current.get(idx)) : current.get(token);
            if (next == null) {
                throw conflict(op, field, pointerOf(tokens), "an existing parent at " + pointerOf(tokens.subList(0, i + 1)));
            }
            segments[i] = segment;
            current = next;
        }
        return new Spine(containers, segments);
    }

    /** The containers from the patched value down to a pointer's parent, with the segments between them. */
    private record Spine(JsonNode[] containers, Object[] segments) {
        JsonNode parent() {
            return containers[containers.length - 1];
        }

        Path parentPath() {
            return Path.of(Arrays.asList(segments));
        }

        JsonNode rebuild(JsonNode newParent) {
            JsonNode result = newParent;
            for (int i = segments.length - 1; i >= 0; i--) {
                result = Trees.with(containers[i], segments[i], result);
            }
            return result;
        }
    }

    /** An RFC 6901 array index below {@code limit} ({@code 0} or no leading zero), or -1. */
    private static int index(String token, int limit) {
        int n = token.length();
        if (n == 0 || n > 10 || (n > 1 && token.charAt(0) == '0')) {
            return -1;
        }
        long value = 0;
        for (int i = 0; i < n; i++) {
            char c = token.charAt(i);
            if (c < '0' || c > '9') {
                return -1;
            }
            value = value * 10 + (c - '0');
        }
        return value < limit ? (int) value : -1;
    }

    private static String pointerOf(List<String> tokens) {
        StringBuilder sb = new StringBuilder();
        for (String token : tokens) {
            sb.append('/').append(token.replace("~", "~0").replace("/", "~1"));
        }
        return sb.toString();
    }

    private static PathConflictException conflict(Operation op, String field, String pointer, String expected) {
        StringBuilder sb = new StringBuilder();
        Path.appendJsonString(sb, pointer);
        return new PathConflictException("operations[" + op.index() + "]." + field + ": " + sb
                + " (expected: " + expected + " for " + op.kind().name().toLowerCase(Locale.ROOT) + ")");
    }

    /** The touched paths without duplicates or paths below another touched path. */
    static List<Path> union(List<Path> paths) {
        List<Path> result = new ArrayList<>();
        for (Path p : new TreeSet<>(paths)) {
            if (result.isEmpty() || !result.get(result.size() - 1).isPrefixOf(p)) {
                result.add(p);
            }
        }
        return result;
    }
}

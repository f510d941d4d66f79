package io.jqsse.store;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;

/**
 * One case of {@code write-cases.json}: a document, a write, and either the document it must give
 * (with, optionally, the touched paths and the resolved write path) or the failure it must raise.
 * Paths are written as JSON arrays of segments, e.g. {@code ["a", 0]}.
 *
 * @param error   the expected exception, or null when the write succeeds
 * @param message the exact expected message, or null when any will do
 * @param touched the expected {@link Documents.Applied#touched()}, or null when not checked
 * @param resolved the expected path of the resolved write, or null when not checked
 */
public record WriteCase(String name, JsonNode document, Write write, JsonNode expected,
                        Class<? extends StoreException> error, String message, List<Path> touched,
                        Path resolved) {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    /** All the cases, in file order. */
    public static List<WriteCase> load() {
        try (InputStream in = WriteCase.class.getResourceAsStream("write-cases.json")) {
            if (in == null) {
                throw new IllegalStateException("write-cases.json: missing (expected: on the class path beside WriteCase)");
            }
            List<WriteCase> cases = new ArrayList<>();
            for (JsonNode c : MAPPER.readTree(in)) {
                cases.add(parse(c));
            }
            return cases;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static WriteCase parse(JsonNode c) {
        String name = c.get("name").textValue();
        Class<? extends StoreException> error = null;
        if (c.has("error")) {
            try {
                error = Class.forName("io.jqsse.store." + c.get("error").textValue()).asSubclass(StoreException.class);
            } catch (ClassNotFoundException e) {
                throw new IllegalArgumentException("error: " + c.get("error") + " (expected: a StoreException's simple name)", e);
            }
        }
        List<Path> touched = null;
        if (c.has("touched")) {
            touched = new ArrayList<>();
            for (JsonNode p : c.get("touched")) {
                touched.add(path(p));
            }
        }
        return new WriteCase(name, c.get("doc"), write(c.get("write")), c.get("expect"), error,
                c.has("message") ? c.get("message").textValue() : null, touched,
                c.has("resolved") ? path(c.get("resolved")) : null);
    }

    private static Write write(JsonNode w) {
        if (w.has("set")) {
            return new Write.Set(path(w.get("set")), w.get("value"));
        }
        if (w.has("delete")) {
            return new Write.Delete(path(w.get("delete")));
        }
        if (w.has("merge")) {
            return new Write.Merge(path(w.get("merge")), w.get("patch"));
        }
        if (w.has("patch")) {
            return new Write.Patch(path(w.get("patch")), w.get("operations"));
        }
        if (w.has("replace")) {
            return new Write.Replace(w.get("replace"));
        }
        throw new IllegalArgumentException("write: " + w + " (expected: one of set, delete, merge, patch, replace)");
    }

    /** A path from a JSON array of segments: strings are keys, integers indices. */
    public static Path path(JsonNode segments) {
        List<Object> list = new ArrayList<>();
        for (JsonNode s : segments) {
            list.add(s.isTextual() ? s.textValue() : (Object) s.intValue());
        }
        return Path.of(list);
    }

    @Override
    public String toString() {
        return name;
    }
}

package io.jqsse.jq;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.params.provider.Arguments;

/** Test cases read from JSON-lines resources beside the tests. */
final class Cases {

    static final ObjectMapper JSON = new ObjectMapper();

    private Cases() {
    }

    /** Each non-blank line of {@code resource} as one argument, named by its {@code nameField}. */
    static Stream<Arguments> lines(String resource, String nameField) {
        List<Arguments> out = new ArrayList<>();
        try (InputStream in = Cases.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("resource: " + resource + " (expected: on the test classpath)");
            }
            BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
            String line;
            while ((line = reader.readLine()) != null) {
                if (!line.isBlank()) {
                    JsonNode node = JSON.readTree(line);
                    out.add(Arguments.of(Named.of(node.path(nameField).toString(), node)));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.stream();
    }

    static JsonNode resource(String resource) {
        try (InputStream in = Cases.class.getResourceAsStream(resource)) {
            return JSON.readTree(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static JsonNode json(String text) {
        try {
            return JSON.readTree(text);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** JSON path segments (strings, integers, "*" for ANY) as Java segments. */
    static List<Object> segments(JsonNode array) {
        List<Object> out = new ArrayList<>();
        for (JsonNode s : array) {
            if (s.isInt()) {
                out.add(s.intValue());
            } else if (s.asText().equals("*")) {
                out.add(Footprint.ANY);
            } else {
                out.add(s.asText());
            }
        }
        return out;
    }

    static List<List<Object>> paths(JsonNode arrays) {
        List<List<Object>> out = new ArrayList<>();
        for (JsonNode a : arrays) {
            out.add(segments(a));
        }
        return out;
    }
}

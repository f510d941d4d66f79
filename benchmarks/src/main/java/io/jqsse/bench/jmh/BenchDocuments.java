package io.jqsse.bench.jmh;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.UncheckedIOException;

/** The documents the benchmarks work on, built deterministically. */
final class BenchDocuments {

    static final ObjectMapper JSON = new ObjectMapper();
    private static final JsonNodeFactory F = JsonNodeFactory.instance;

    private BenchDocuments() {
    }

    /**
     * {@code {"data":{"g0":{"i0":{"value":0,"name":"...","tags":[...]},...},...}}}: {@code groups} x 100
     * leaves of about 160 bytes each; 1,000 groups make about 16 MB of compact JSON. A depth-4 write
     * path is {@code .data.g<k>.i<j>.value}.
     */
    static ObjectNode nested(int groups) {
        ObjectNode data = F.objectNode();
        for (int g = 0; g < groups; g++) {
            ObjectNode group = data.putObject("g" + g);
            for (int i = 0; i < 100; i++) {
                ObjectNode leaf = group.putObject("i" + i);
                leaf.put("value", g * 100 + i);
                leaf.put("name", "item " + g + "/" + i + " with a name long enough to matter");
                ArrayNode tags = leaf.putArray("tags");
                tags.add("alpha").add("beta").add("gamma");
                leaf.put("active", (g + i) % 2 == 0);
                leaf.put("score", (g * 31 + i * 17) % 1000 / 10.0);
            }
        }
        ObjectNode root = F.objectNode();
        root.set("data", data);
        return root;
    }

    /** {@code {"data":{"users":[{"id":0,"name":"user0","age":..,"email":...},...]}}}. */
    static ObjectNode users(int n) {
        ArrayNode users = F.arrayNode(n);
        for (int i = 0; i < n; i++) {
            users.addObject().put("id", i).put("name", "user" + i).put("age", 18 + i % 60)
                    .put("email", "user" + i + "@example.com");
        }
        ObjectNode root = F.objectNode();
        root.putObject("data").set("users", users);
        return root;
    }

    static byte[] bytes(JsonNode doc) {
        try {
            return JSON.writeValueAsBytes(doc);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }
}

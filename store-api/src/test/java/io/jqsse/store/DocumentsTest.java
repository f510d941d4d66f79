package io.jqsse.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.IntNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class DocumentsTest {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    static List<WriteCase> cases() {
        return WriteCase.load();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void writeCaseGivesTheExpectedDocumentOrFailure(WriteCase c) {
        JsonNode before = c.document().deepCopy();
        String writeBefore = c.write().toString();
        if (c.error() != null) {
            StoreException e = assertThrows(c.error(), () -> Documents.apply(c.document(), c.write()));
            if (c.message() != null) {
                assertEquals(c.message(), e.getMessage());
            }
        } else {
            Documents.Applied applied = Documents.apply(c.document(), c.write());
            assertEquals(c.expected(), applied.document());
            if (c.touched() != null) {
                assertEquals(c.touched(), applied.touched());
            }
            if (c.resolved() != null) {
                assertEquals(c.resolved(), pathOf(applied.resolved()));
            }
            assertEquals(c.write().getClass(), applied.resolved().getClass());
        }
        assertEquals(before, c.document(), "the input document was mutated");
        assertEquals(writeBefore, c.write().toString(), "the written value was mutated");
    }

    private static Path pathOf(Write write) {
        if (write instanceof Write.Set s) {
            return s.path();
        }
        if (write instanceof Write.Delete d) {
            return d.path();
        }
        if (write instanceof Write.Merge m) {
            return m.path();
        }
        if (write instanceof Write.Patch p) {
            return p.path();
        }
        return Path.root();
    }

    static Stream<Write> writesInsideB() {
        return Stream.of(
                new Write.Set(Path.of("b", "c"), IntNode.valueOf(2)),
                new Write.Set(Path.of("b", "new", "deep"), IntNode.valueOf(2)),
                new Write.Delete(Path.of("b", "c")),
                new Write.Merge(Path.of("b"), json("{\"c\": null, \"d\": 1}")),
                new Write.Patch(Path.of("b"), json("[{\"op\": \"add\", \"path\": \"/d\", \"value\": 1}]")),
                new Write.Patch(Path.of(), json("[{\"op\": \"move\", \"from\": \"/b/c\", \"path\": \"/b/d\"}]")));
    }

    @ParameterizedTest
    @MethodSource("writesInsideB")
    void unchangedSubtreesAreSharedByReference(Write write) {
        JsonNode doc = json("{\"a\": {\"big\": [1, 2, {\"x\": 3}]}, \"b\": {\"c\": 1, \"keep\": {\"y\": 1}}, \"z\": [[1]]}");
        JsonNode after = Documents.apply(doc, write).document();
        assertSame(doc.get("a"), after.get("a"));
        assertSame(doc.get("z"), after.get("z"));
        assertSame(doc.get("b").get("keep"), after.get("b").get("keep"));
        assertNotSame(doc.get("b"), after.get("b"));
    }

    @Test
    void setInsideAnArraySharesTheOtherElements() {
        JsonNode doc = json("[{\"n\": 0}, {\"n\": 1}, {\"n\": 2}]");
        JsonNode after = Documents.apply(doc, new Write.Set(Path.of(1, "n"), IntNode.valueOf(10))).document();
        assertSame(doc.get(0), after.get(0));
        assertSame(doc.get(2), after.get(2));
        assertEquals(json("[{\"n\": 0}, {\"n\": 10}, {\"n\": 2}]"), after);
    }

    @Test
    void setPutsTheWrittenValueInTheDocumentByReference() {
        JsonNode value = json("{\"v\": [1]}");
        JsonNode after = Documents.apply(json("{}"), new Write.Set(Path.of("a", "b"), value)).document();
        assertSame(value, after.get("a").get("b"));
    }

    @Test
    void writesAtTheEndOfAVeryDeepPathDoNotOverflowTheStack() {
        List<Object> segments = new ArrayList<>(Collections.nCopies(20_000, "k"));
        segments.add(0);
        JsonNode doc = Documents.apply(json("{}"), new Write.Set(Path.of(segments), TextNode.valueOf("x"))).document();
        JsonNode again = Documents.apply(doc, new Write.Delete(Path.of(segments))).document();
        JsonNode leaf = again;
        for (int i = 0; i < 20_000; i++) {
            leaf = leaf.get("k");
        }
        assertEquals(0, leaf.size());
        assertEquals(20_000L * "{\"k\":}".length() + "[]".length(), Documents.estimateBytes(again));
    }

    static Stream<String> documents() {
        return Stream.of("{}", "[]", "null", "true", "false", "0", "-7", "1234567890123", "-9223372036854775808",
                "3.14", "-0.5", "1.0", "100.25", "\"\"", "\"plain\"", "\"quote \\\" and \\\\ backslash\"",
                "\"tab\\t newline\\n return\\r \\b \\f\"", "\"control \\u0001\\u001f\"", "\"é ü ß\"", "\"€ 中文\"",
                "\"emoji \\ud83d\\ude00\"", "{\"a\": 1, \"b\": [1, 2, {\"c\": null}], \"key with space\": \"v\"}",
                "[[[]], {}, [{}], {\"\": \"\"}]", "{\"é\": {\"x\": [true, false, null, 1.5, -2]}}");
    }

    @ParameterizedTest
    @MethodSource("documents")
    void estimateBytesEqualsTheCompactJsonSizeOfCommonValues(String text) {
        JsonNode node = json(text);
        assertEquals(estimateBySerializing(node), Documents.estimateBytes(node), text);
    }

    @Test
    void estimateBytesStaysCloseForAwkwardDoubles() {
        ArrayNode array = JsonNodeFactory.instance.arrayNode();
        for (double d : new double[] {1e-7, 1.0 / 3, Math.PI, 6.02214076e23, -1e300, 0.1 + 0.2}) {
            array.add(d);
        }
        long exact = estimateBySerializing(array);
        long estimate = Documents.estimateBytes(array);
        assertEquals(true, estimate >= exact / 2 && estimate <= exact * 2, "estimate " + estimate + " for " + exact);
    }

    @Test
    void estimateBytesCountsKeysCommasAndColons() {
        ObjectNode node = JsonNodeFactory.instance.objectNode();
        node.put("ab", 1);
        node.put("c", "d");
        assertEquals("{\"ab\":1,\"c\":\"d\"}".length(), Documents.estimateBytes(node));
    }

    private static long estimateBySerializing(JsonNode node) {
        try {
            return MAPPER.writeValueAsBytes(node).length;
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    static JsonNode json(String text) {
        try {
            return MAPPER.readTree(text);
        } catch (Exception e) {
            throw new AssertionError(text, e);
        }
    }
}

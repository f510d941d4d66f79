package io.jqsse.server.internal.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.IntNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.CompositeByteBuf;
import io.netty.buffer.Unpooled;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.reflect.Field;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * {@link Json#parse} against the mapper the HTTP layer used to read bodies with (from an input stream, with strict duplicate
 * detection, trailing tokens, a duplicate tree key): the same tree, node class for node class, and the
 * same {@code invalid_json} message, line and column included, whatever buffer the body arrives in.
 */
class JsonTest {

    static final ObjectMapper STRICT = new ObjectMapper()
            .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .enable(DeserializationFeature.FAIL_ON_READING_DUP_TREE_KEY);

    static Stream<String> validBodies() {
        return Stream.of("{}", "[]", "1", "-0", "\"x\"", "true", "false", "null", " \n\t{\"a\" : 1 }\r\n",
                "{\"a\":{\"b\":[1,2,{\"c\":null}]},\"d\":[]}", "[[[[]]],[{}],{\"\":\"\"}]",
                "[2147483647,2147483648,-2147483649,9223372036854775807,9223372036854775808,-9223372036854775809]",
                "[1.0,1e2,1E-2,-0.0,0.1,1e400,123456789012345678901234567890.5,5e-324]",
                "{\"caf\\u00e9\":\"\\ud83d\\ude00\",\"k\\\"q\":\"\\n\\t\\/\",\"é\":\"日本\"}",
                "{\"a\":1,\"A\":2,\"b\":{\"a\":3}}", "[\"alpha\",\"beta\",\"alpha\"]",
                "[" + "\"s\",".repeat(300) + "\"t\"]",
                "{\"x\":" + "[".repeat(900) + "]".repeat(900) + "}");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("validBodies")
    void aValidBodyParsesToTheSameTreeAsTheStrictMapper(String body) throws IOException {
        JsonNode expected = STRICT.readTree(new ByteArrayInputStream(body.getBytes(StandardCharsets.UTF_8)));
        for (Function<byte[], ByteBuf> buffer : buffers()) {
            ByteBuf buf = buffer.apply(body.getBytes(StandardCharsets.UTF_8));
            try {
                JsonNode actual = Json.parse(buf);
                assertEquals(expected, actual);
                assertSameClasses(expected, actual);
            } finally {
                buf.release();
            }
        }
    }

    static Stream<String> invalidBodies() {
        return Stream.of("{\"a\":1,\"a\":2}", "{\n  \"b\": {\"x\": 1,\n   \"x\" : 2}}", "[{\"k\\\"e\\\\y\":1,\"k\\\"e\\\\y\":2}]",
                "{\"é\":1,\"\\u00e9\":2}", "\r\n{\"a\":1,\"b\":2,\"c\":3,\"b\":true}", "{\"a\":1,\"a\":{}}",
                "{\"a\":1} {\"b\":2}", "[1] 2", "{} x", "{\"a\": tru}", "{\"a\":1", "[1,]", "{,}", "\"abc",
                "[" + "1".repeat(1200) + "]", "[".repeat(1001) + "]".repeat(1001), "{\"a\":1}]", "nul");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("invalidBodies")
    void anInvalidBodyFailsWithTheStrictMappersMessage(String body) {
        String expected = strictError(body);
        for (Function<byte[], ByteBuf> buffer : buffers()) {
            ByteBuf buf = buffer.apply(body.getBytes(StandardCharsets.UTF_8));
            try {
                ApiException e = assertThrows(ApiException.class, () -> Json.parse(buf));
                assertEquals(400, e.status().code());
                assertEquals("invalid_json", e.error());
                assertEquals(expected, e.getMessage());
            } finally {
                buf.release();
            }
        }
    }

    @Test
    void aDuplicateKeyIsReportedJustAfterTheKey() {
        ByteBuf buf = Unpooled.copiedBuffer("{\"a\":1,\"a\":2}", StandardCharsets.UTF_8);
        try {
            ApiException e = assertThrows(ApiException.class, () -> Json.parse(buf));
            assertEquals("body: not valid JSON at line 1, column 11: Duplicate field 'a'", e.getMessage());
        } finally {
            buf.release();
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("wideCharsets")
    void aDuplicateKeyInAUtf16Or32BodyIsReportedAtTheStrictMappersColumn(String charset) throws IOException {
        String body = "{\"a\":1,\"a\":2}";
        byte[] bytes = body.getBytes(charset);
        String expected;
        try {
            STRICT.readTree(new ByteArrayInputStream(bytes));
            throw new AssertionError("the strict mapper accepted " + body);
        } catch (JsonProcessingException e) {
            expected = "body: not valid JSON at line 1, column " + e.getLocation().getColumnNr() + ": "
                    + e.getOriginalMessage();
        }
        ByteBuf buf = Unpooled.copiedBuffer(bytes);
        try {
            ApiException e = assertThrows(ApiException.class, () -> Json.parse(buf));
            assertEquals(expected, e.getMessage());
        } finally {
            buf.release();
        }
    }

    static Stream<String> wideCharsets() {
        return Stream.of("UTF-16LE", "UTF-16BE", "UTF-32BE");
    }

    @Test
    void aDuplicateKeyBeforeAMalformedLiteralIsInvalidJsonForTheLiteral() {
        ByteBuf buf = Unpooled.copiedBuffer("{\"a\":1,\"a\":tru}", StandardCharsets.UTF_8);
        try {
            ApiException e = assertThrows(ApiException.class, () -> Json.parse(buf));
            assertEquals("invalid_json", e.error());
            assertTrue(e.getMessage().startsWith("body: not valid JSON at line 1, column 16: Unrecognized token 'tru'"),
                    e.getMessage());
        } finally {
            buf.release();
        }
    }

    @Test
    void anEmptyOrBlankBodyIsInvalidJson() {
        ByteBuf empty = Unpooled.EMPTY_BUFFER;
        assertEquals("body: empty (expected: a JSON value)",
                assertThrows(ApiException.class, () -> Json.parse(empty)).getMessage());
        ByteBuf blank = Unpooled.copiedBuffer(" \r\n\t", StandardCharsets.UTF_8);
        try {
            assertEquals("body: only whitespace (expected: a JSON value)",
                    assertThrows(ApiException.class, () -> Json.parse(blank)).getMessage());
        } finally {
            blank.release();
        }
    }

    @Test
    void parsingNeitherReleasesNorConsumesTheBody() {
        ByteBuf buf = composite("{\"a\":[1,2,3]}".getBytes(StandardCharsets.UTF_8));
        try {
            Json.parse(buf);
            assertEquals(1, buf.refCnt());
            assertEquals(0, buf.readerIndex());
        } finally {
            buf.release();
        }
    }

    @Test
    void equalShortStringsOfALargeBodyShareOneNodeAndLongOnesDoNot() {
        String longText = "x".repeat(40);
        StringBuilder body = new StringBuilder("[");
        for (int i = 0; i < 200; i++) {
            body.append("\"alpha\",\"").append(longText).append("\",");
        }
        ByteBuf buf = Unpooled.copiedBuffer(body.append("\"alpha\"]"), StandardCharsets.UTF_8);
        try {
            JsonNode array = Json.parse(buf);
            assertSame(array.get(398), array.get(400));
            assertTrue(array.get(397) != array.get(399), "long strings are not shared");
            assertEquals("alpha", array.get(400).textValue());
        } finally {
            buf.release();
        }
    }

    private static String strictError(String body) {
        try {
            STRICT.readTree(new ByteArrayInputStream(body.getBytes(StandardCharsets.UTF_8)));
        } catch (JsonProcessingException e) {
            JsonLocation at = e.getLocation();
            String where = at == null ? "" : " at line " + at.getLineNr() + ", column " + at.getColumnNr();
            return "body: not valid JSON" + where + ": " + e.getOriginalMessage();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        throw new AssertionError("the strict mapper accepted " + body);
    }

    /** A body as a heap buffer, a heap buffer inside a larger array, and direct chunks of a composite. */
    private static List<Function<byte[], ByteBuf>> buffers() {
        return List.of(Unpooled::copiedBuffer, JsonTest::sliceOfLargerArray, JsonTest::composite);
    }

    private static ByteBuf sliceOfLargerArray(byte[] bytes) {
        byte[] larger = new byte[bytes.length + 10];
        System.arraycopy(bytes, 0, larger, 7, bytes.length);
        return Unpooled.wrappedBuffer(larger, 7, bytes.length);
    }

    private static ByteBuf composite(byte[] bytes) {
        CompositeByteBuf buf = Unpooled.compositeBuffer();
        for (int off = 0; off < bytes.length; off += 3) {
            ByteBuf chunk = Unpooled.directBuffer(3);
            chunk.writeBytes(bytes, off, Math.min(3, bytes.length - off));
            buf.addComponent(true, chunk);
        }
        return buf;
    }

    private static void assertSameClasses(JsonNode expected, JsonNode actual) {
        assertEquals(expected.getClass(), actual.getClass(), expected.toString());
        List<JsonNode> a = new ArrayList<>();
        List<JsonNode> b = new ArrayList<>();
        for (Iterator<JsonNode> it = expected.elements(); it.hasNext(); ) {
            a.add(it.next());
        }
        for (Iterator<JsonNode> it = actual.elements(); it.hasNext(); ) {
            b.add(it.next());
        }
        assertEquals(a.size(), b.size());
        for (int i = 0; i < a.size(); i++) {
            assertSameClasses(a.get(i), b.get(i));
        }
    }

    @Test
    void objectsOfUpToEightKeysAreSmallAndSiblingsWithTheSameKeysShareThem() {
        ObjectNode root = (ObjectNode) parse("{\"a\":{\"x\":1,\"y\":2},\"b\":{\"x\":3,\"y\":4},"
                + "\"c\":{\"k1\":1,\"k2\":2,\"k3\":3,\"k4\":4,\"k5\":5,\"k6\":6,\"k7\":7,\"k8\":8,\"k9\":9}}");
        assertTrue(members(root.get("a")) instanceof Json.SmallObject);
        assertTrue(members(root.get("c")) instanceof LinkedHashMap);
        assertEquals(List.of("k1", "k2", "k3", "k4", "k5", "k6", "k7", "k8", "k9"), names(root.get("c")));
        assertEquals(3, root.get("b").get("x").intValue());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("mapOperations")
    void aSmallObjectBehavesLikeALinkedHashMap(String name, Consumer<Map<String, JsonNode>> operations) {
        Map<String, JsonNode> small = new Json.SmallObject(new String[] {"a", "b", "c"},
                new JsonNode[] {IntNode.valueOf(1), IntNode.valueOf(2), IntNode.valueOf(3)});
        Map<String, JsonNode> expected = new LinkedHashMap<>(small);
        operations.accept(small);
        operations.accept(expected);
        assertEquals(expected, small);
        assertEquals(small, expected);
        assertEquals(expected.hashCode(), small.hashCode());
        assertEquals(List.copyOf(expected.keySet()), List.copyOf(small.keySet()));
        assertEquals(List.copyOf(expected.values()), List.copyOf(small.values()));
        assertEquals(expected.toString(), small.toString());
    }

    static Stream<Arguments> mapOperations() {
        return Stream.<Arguments>of(
                Arguments.of("nothing", (Consumer<Map<String, JsonNode>>) m -> { }),
                Arguments.of("replace a value", (Consumer<Map<String, JsonNode>>) m -> m.put("b", TextNode.valueOf("x"))),
                Arguments.of("add keys", (Consumer<Map<String, JsonNode>>) m -> {
                    m.put("d", IntNode.valueOf(4));
                    m.put("e", IntNode.valueOf(5));
                }),
                Arguments.of("remove first, middle, absent", (Consumer<Map<String, JsonNode>>) m -> {
                    m.remove("a");
                    m.remove("c");
                    m.remove("zz");
                }),
                Arguments.of("remove through the iterator", (Consumer<Map<String, JsonNode>>) m -> {
                    Iterator<Map.Entry<String, JsonNode>> it = m.entrySet().iterator();
                    it.next();
                    it.next();
                    it.remove();
                }),
                Arguments.of("set a value through an entry", (Consumer<Map<String, JsonNode>>) m -> {
                    for (Map.Entry<String, JsonNode> e : m.entrySet()) {
                        if (e.getKey().equals("c")) {
                            e.setValue(IntNode.valueOf(30));
                        }
                    }
                }),
                Arguments.of("clear, then add", (Consumer<Map<String, JsonNode>>) m -> {
                    m.clear();
                    m.put("z", IntNode.valueOf(0));
                }),
                Arguments.of("putIfAbsent and compute", (Consumer<Map<String, JsonNode>>) m -> {
                    m.putIfAbsent("a", IntNode.valueOf(9));
                    m.putIfAbsent("q", IntNode.valueOf(9));
                    m.computeIfPresent("b", (k, v) -> IntNode.valueOf(v.intValue() * 10));
                }));
    }

    @Test
    void aParsedTreeCanBeChangedCopiedAndWrittenLikeAnyOther() throws IOException {
        String body = "{\"b\":{\"x\":1,\"y\":[1,2]},\"a\":\"s\"}";
        ObjectNode parsed = (ObjectNode) parse(body);
        assertEquals(body, Json.MAPPER.writeValueAsString(parsed));
        ObjectNode copy = parsed.deepCopy();
        assertEquals(parsed, copy);
        assertEquals(copy.hashCode(), parsed.hashCode());
        ((ObjectNode) parsed.get("b")).put("z", 3).remove("x");
        parsed.without("a");
        assertEquals("{\"b\":{\"y\":[1,2],\"z\":3}}", Json.MAPPER.writeValueAsString(parsed));
        assertEquals(STRICT.readTree(body), copy);
    }

    private static JsonNode parse(String body) {
        ByteBuf buf = Unpooled.copiedBuffer(body, StandardCharsets.UTF_8);
        try {
            return Json.parse(buf);
        } finally {
            buf.release();
        }
    }

    private static List<String> names(JsonNode object) {
        List<String> out = new ArrayList<>();
        object.fieldNames().forEachRemaining(out::add);
        return out;
    }

    /** The map an {@code ObjectNode} keeps its members in (Jackson has no accessor for it). */
    private static Map<?, ?> members(JsonNode object) {
        try {
            Field children = ObjectNode.class.getDeclaredField("_children");
            children.setAccessible(true);
            return (Map<?, ?>) children.get(object);
        } catch (ReflectiveOperationException e) {
            throw new AssertionError(e);
        }
    }
}

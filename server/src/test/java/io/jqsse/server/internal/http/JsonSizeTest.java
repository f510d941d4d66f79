package io.jqsse.server.internal.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import com.fasterxml.jackson.databind.JsonNode;
import io.jqsse.store.Documents;
import io.jqsse.store.Measured;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Random;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * {@link Json#parseMeasured} sums, while it builds the tree, exactly what the store's walk
 * ({@link Documents#estimateBytes}) gives for that tree: on edge cases and on random documents. The
 * random ones come from a seed printed on every run (set {@code -Djson.size.seed=N} to replay one).
 */
class JsonSizeTest {

    private static final long SEED = Long.getLong("json.size.seed", System.nanoTime());
    private static final int RANDOM_DOCUMENTS = 400;

    static Stream<String> edgeCases() {
        return Stream.concat(JsonTest.validBodies(), Stream.of(
                "\"\\u0000\\u0001\\u001f\\u007f\\u0080\\u07ff\\u0800\\uffff\"", "\"\\ud800\"", "\"x\\udfff\"",
                "\"\\\"\\\\\\/\\b\\f\\n\\r\\t\"", "\"😀 é 日 \\ud83d\\ude00\"", "\"\u2028\u2029\"",
                "{\"\\n\":\"\\u0001\",\"\\ud83d\\ude00\":{\"\\\"\":[]}}",
                "[0,-1,9,10,99,100,-100,999999999,1000000000,-1000000000,4294967296]",
                "[-9223372036854775808,9223372036854775807,18446744073709551616,-18446744073709551617]",
                "[1e400,-1e400,0.1,-0.0,1.5e-7,3.141592653589793,6.02214076e23,2.5E+10,1E0]",
                "[{},[],{\"a\":{}},[[]],{\"\":[{}]}]",
                "{\"k1\":1,\"k2\":2,\"k3\":3,\"k4\":4,\"k5\":5,\"k6\":6,\"k7\":7,\"k8\":8,\"k9\":9,\"k10\":[]}",
                "[" + "{\"a\":1,\"b\":\"same\"},".repeat(100) + "{\"a\":2,\"b\":\"same\"}]",
                "[".repeat(999) + "]".repeat(999),
                "{\"d\":" + "{\"d\":".repeat(500) + "null" + "}".repeat(500) + "}"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("edgeCases")
    void theReadersSizeOfAnEdgeCaseEqualsTheWalksSizeOfItsTree(String body) throws IOException {
        assertSizeEqualsWalk(body, body);
    }

    static IntStream randomDocuments() {
        System.out.println("JsonSizeTest seed " + SEED + " (replay: -Djson.size.seed=" + SEED + ")");
        return IntStream.range(0, RANDOM_DOCUMENTS);
    }

    @ParameterizedTest(name = "document {0}")
    @MethodSource("randomDocuments")
    void theReadersSizeOfARandomDocumentEqualsTheWalksSizeOfItsTree(int n) throws IOException {
        Random random = new Random(SEED + n);
        StringBuilder body = new StringBuilder();
        new RandomJson(random).value(body, 0);
        assertSizeEqualsWalk(body.toString(), "seed " + SEED + " document " + n);
    }

    @Test
    void aLargeDocumentOfManySmallObjectsAndSharedStringsIsMeasuredExactly() throws IOException {
        StringBuilder body = new StringBuilder("{\"data\":{");
        for (int g = 0; g < 50; g++) {
            body.append(g == 0 ? "" : ",").append("\"g").append(g).append("\":{");
            for (int i = 0; i < 100; i++) {
                body.append(i == 0 ? "" : ",").append("\"i").append(i).append("\":{\"value\":").append(g * i)
                        .append(",\"name\":\"item-").append(i % 7).append("\",\"ok\":").append(i % 2 == 0)
                        .append(",\"ratio\":").append(i / 8.0).append('}');
            }
            body.append('}');
        }
        assertSizeEqualsWalk(body.append("}}").toString(), "50 x 100 items");
    }

    private static void assertSizeEqualsWalk(String body, String message) throws IOException {
        ByteBuf buf = Unpooled.copiedBuffer(body, StandardCharsets.UTF_8);
        try {
            Measured measured = Json.parseMeasured(buf);
            assertEquals(Documents.estimateBytes(measured.tree()), measured.bytes(), message);
            JsonNode strict = JsonTest.STRICT.readTree(body);
            assertEquals(strict, measured.tree(), message);
            assertEquals(Documents.estimateBytes(strict), measured.bytes(), message);
            assertSame(measured.tree().getNodeType(), Json.parse(buf).getNodeType(), message);
        } finally {
            buf.release();
        }
    }

    /** Random JSON text: every escape, control characters, surrogates, every UTF-8 length, numbers of every kind. */
    private record RandomJson(Random random) {

        private static final String[] NUMBERS = {"0", "-0", "7", "-12", "2147483647", "2147483648", "-2147483649",
            "9223372036854775807", "9223372036854775808", "-9223372036854775809", "123456789012345678901234567890",
            "1.0", "-0.0", "0.5", "1e2", "1E-7", "-2.5e+30", "1e400", "5e-324", "0.1", "3.141592653589793",
            "123456.789", "1e15", "1e16", "-1.7976931348623157e308"};

        void value(StringBuilder out, int depth) {
            int kind = random.nextInt(depth > 12 ? 4 : 7);
            space(out);
            switch (kind) {
                case 0 -> string(out);
                case 1 -> number(out);
                case 2 -> out.append(random.nextBoolean() ? "true" : random.nextBoolean() ? "false" : "null");
                case 3 -> out.append(random.nextBoolean() ? "{}" : "[]");
                case 4 -> array(out, depth);
                case 5 -> object(out, depth);
                default -> deep(out, depth);
            }
            space(out);
        }

        private void array(StringBuilder out, int depth) {
            out.append('[');
            int n = random.nextInt(depth < 3 ? 12 : 4);
            for (int i = 0; i < n; i++) {
                out.append(i == 0 ? "" : ",");
                value(out, depth + 1);
            }
            out.append(']');
        }

        /** Up to 14 keys near the root (small objects and hashed ones), keys mostly {@code k<i>} so siblings share them. */
        private void object(StringBuilder out, int depth) {
            out.append('{');
            int n = random.nextInt(depth < 3 ? 15 : 4);
            for (int i = 0; i < n; i++) {
                out.append(i == 0 ? "" : ",");
                space(out);
                if (random.nextInt(3) == 0) {
                    string(out);
                    out.setLength(out.length() - 1);
                    out.append("#").append(i).append('"');
                } else {
                    out.append("\"k").append(i).append('"');
                }
                space(out);
                out.append(':');
                value(out, depth + 1);
            }
            out.append('}');
        }

        private void deep(StringBuilder out, int depth) {
            int levels = 20 + random.nextInt(200);
            StringBuilder closing = new StringBuilder();
            for (int i = 0; i < levels; i++) {
                boolean array = random.nextBoolean();
                out.append(array ? "[" : "{\"d\":");
                closing.append(array ? ']' : '}');
            }
            value(out, 13 + depth);
            out.append(closing.reverse());
        }

        private void number(StringBuilder out) {
            switch (random.nextInt(4)) {
                case 0 -> out.append(NUMBERS[random.nextInt(NUMBERS.length)]);
                case 1 -> out.append(random.nextLong() >> random.nextInt(64));
                case 2 -> out.append(random.nextInt(2000) - 1000);
                default -> out.append((random.nextDouble() - 0.5) * Math.pow(10, random.nextInt(40) - 20));
            }
        }

        private void string(StringBuilder out) {
            out.append('"');
            int n = random.nextInt(random.nextInt(10) == 0 ? 200 : 12);
            for (int i = 0; i < n; i++) {
                switch (random.nextInt(10)) {
                    case 0 -> out.append(new String[] {"\\\"", "\\\\", "\\/", "\\b", "\\f", "\\n", "\\r", "\\t"}
                            [random.nextInt(8)]);
                    case 1 -> out.append(String.format(Locale.ROOT, "\\u%04x", random.nextInt(0x10000)));
                    case 2 -> out.append(String.format(Locale.ROOT, "\\u%04X", random.nextInt(0x20)));
                    case 3 -> out.appendCodePoint(0x80 + random.nextInt(0x780));
                    case 4 -> out.appendCodePoint(0x800 + random.nextInt(0xD000 - 0x800));
                    case 5 -> out.appendCodePoint(0x10000 + random.nextInt(0xFFFFF));
                    case 6 -> out.append("\\ud83d\\ude").append(random.nextInt(10)).append('0');
                    default -> out.append(safeAscii());
                }
            }
            out.append('"');
        }

        private String safeAscii() {
            char c = (char) (' ' + random.nextInt(95));
            return c == '"' || c == '\\' ? "x" : String.valueOf(c);
        }

        private void space(StringBuilder out) {
            if (random.nextInt(4) == 0) {
                out.append(" \t\n\r".charAt(random.nextInt(4)));
            }
        }
    }
}

package io.jqsse.codec;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.CompositeByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.charset.StandardCharsets;
import java.util.function.Consumer;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.params.provider.Arguments.arguments;

/** Golden wire text: the exact bytes each call appends (WHATWG HTML 9.2.5). */
class SseEncoderTest {

    private static final ByteBufAllocator ALLOC = PooledByteBufAllocator.DEFAULT;

    static Stream<Arguments> events() {
        return Stream.of(
                arguments("one line of data", null, null, "hello", "data: hello\n\n"),
                arguments("empty data still fires", null, null, "", "data: \n\n"),
                arguments("event and id before data", "update", "e1:5", "{}", "event: update\nid: e1:5\ndata: {}\n\n"),
                arguments("event only", "init", null, "{}", "event: init\ndata: {}\n\n"),
                arguments("id only with data", null, "7", "x", "id: 7\ndata: x\n\n"),
                arguments("empty event and empty id", "", "", "x", "event: \nid: \ndata: x\n\n"),
                arguments("LF splits lines", null, null, "a\nb", "data: a\ndata: b\n\n"),
                arguments("CRLF splits lines", null, null, "a\r\nb", "data: a\ndata: b\n\n"),
                arguments("lone CR splits lines", null, null, "a\rb", "data: a\ndata: b\n\n"),
                arguments("mixed line ends and blank lines", null, null, "a\r\n\r\nb\r\rc\n",
                        "data: a\ndata: \ndata: b\ndata: \ndata: c\ndata: \n\n"),
                arguments("LF CR is two line ends", null, null, "a\n\rb", "data: a\ndata: \ndata: b\n\n"),
                arguments("trailing CR", null, null, "a\r", "data: a\ndata: \n\n"),
                arguments("only a line end", null, null, "\n", "data: \ndata: \n\n"),
                arguments("leading spaces survive", " x", "  y", "  z", "event:  x\nid:   y\ndata:   z\n\n"),
                arguments("colons in data", null, null, "a: b:c", "data: a: b:c\n\n"),
                arguments("NUL and tab in data", null, null, "a\0b\tc", "data: a\0b\tc\n\n"),
                arguments("unicode data", null, null, "h\u00e9llo \u2713 \uD83D\uDE00", "data: h\u00e9llo \u2713 \uD83D\uDE00\n\n"),
                arguments("unicode event and id", "\u00fcn\u00ef", "\u043a\u043b\u044e\u0447", "{\"v\":\"\u20ac\"}",
                        "event: \u00fcn\u00ef\nid: \u043a\u043b\u044e\u0447\ndata: {\"v\":\"\u20ac\"}\n\n"),
                arguments("BOM inside data", null, null, "\uFEFFx", "data: \uFEFFx\n\n"),
                arguments("JSON with escaped newlines stays one line", "update", "ab:12",
                        "{\"filter\":\".a\",\"value\":\"l1\\nl2\"}",
                        "event: update\nid: ab:12\ndata: {\"filter\":\".a\",\"value\":\"l1\\nl2\"}\n\n"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("events")
    void writeEventWithTextDataWritesExactBytes(String name, String event, String id, String data, String expected) {
        assertWrites(expected, out -> SseEncoder.writeEvent(out, event, id, data));
        assertWrites(expected, out -> SseEncoder.writeEvent(out, event, id, new StringBuilder(data)));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("events")
    void writeEventWithByteDataWritesSameBytesAndLeavesDataUntouched(
            String name, String event, String id, String data, String expected) {
        byte[] utf8 = data.getBytes(StandardCharsets.UTF_8);
        ByteBuf heap = ALLOC.heapBuffer().writeBytes("skipped".getBytes(StandardCharsets.US_ASCII)).writeBytes(utf8);
        ByteBuf direct = ALLOC.directBuffer().writeBytes(utf8);
        CompositeByteBuf composite = ALLOC.compositeBuffer();
        try {
            heap.readerIndex("skipped".length());
            int half = utf8.length / 2;
            composite.addComponent(true, ALLOC.buffer().writeBytes(utf8, 0, half));
            composite.addComponent(true, ALLOC.buffer().writeBytes(utf8, half, utf8.length - half));
            for (ByteBuf data8 : new ByteBuf[] {heap, direct, composite}) {
                int reader = data8.readerIndex();
                int writer = data8.writerIndex();
                assertWrites(expected, out -> SseEncoder.writeEvent(out, event, id, data8));
                assertEquals(reader, data8.readerIndex(), "readerIndex");
                assertEquals(writer, data8.writerIndex(), "writerIndex");
                assertEquals(1, data8.refCnt(), "refCnt");
            }
        } finally {
            heap.release();
            direct.release();
            composite.release();
        }
    }

    static Stream<Arguments> otherBlocks() {
        return Stream.of(
                arguments("comment", (Consumer<ByteBuf>) out -> SseEncoder.writeComment(out, "keepalive"),
                        ": keepalive\n\n"),
                arguments("multi-line comment", (Consumer<ByteBuf>) out -> SseEncoder.writeComment(out, "a\r\nb\rc"),
                        ": a\n: b\n: c\n\n"),
                arguments("empty comment", (Consumer<ByteBuf>) out -> SseEncoder.writeComment(out, ""), ": \n\n"),
                arguments("retry", (Consumer<ByteBuf>) out -> SseEncoder.writeRetry(out, 2000), "retry: 2000\n\n"),
                arguments("retry zero", (Consumer<ByteBuf>) out -> SseEncoder.writeRetry(out, 0), "retry: 0\n\n"),
                arguments("retry max", (Consumer<ByteBuf>) out -> SseEncoder.writeRetry(out, Long.MAX_VALUE),
                        "retry: 9223372036854775807\n\n"),
                arguments("id only", (Consumer<ByteBuf>) out -> SseEncoder.writeIdOnly(out, "ep:42"), "id: ep:42\n\n"),
                arguments("empty id only", (Consumer<ByteBuf>) out -> SseEncoder.writeIdOnly(out, ""), "id: \n\n"),
                arguments("comment with id",
                        (Consumer<ByteBuf>) out -> SseEncoder.writeCommentWithId(out, "keepalive", "ep:43"),
                        ": keepalive\nid: ep:43\n\n"),
                arguments("multi-line comment with id",
                        (Consumer<ByteBuf>) out -> SseEncoder.writeCommentWithId(out, "a\nb", "\u00e9"),
                        ": a\n: b\nid: \u00e9\n\n"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("otherBlocks")
    void otherBlocksWriteExactBytes(String name, Consumer<ByteBuf> write, String expected) {
        assertWrites(expected, write);
    }

    static Stream<Arguments> rejected() {
        return Stream.of(
                arguments("LF in id", "id: a\\nb (expected: no CR, LF or NUL)",
                        (Consumer<ByteBuf>) out -> SseEncoder.writeEvent(out, null, "a\nb", "x")),
                arguments("CR in id", "id: a\\r (expected: no CR, LF or NUL)",
                        (Consumer<ByteBuf>) out -> SseEncoder.writeEvent(out, "update", "a\r", "x")),
                arguments("NUL in id", "id: \\0 (expected: no CR, LF or NUL)",
                        (Consumer<ByteBuf>) out -> SseEncoder.writeEvent(out, null, "\0", "x")),
                arguments("LF in event", "event: up\\ndate (expected: no CR, LF or NUL)",
                        (Consumer<ByteBuf>) out -> SseEncoder.writeEvent(out, "up\ndate", "1", "x")),
                arguments("CRLF in event", "event: a\\r\\n (expected: no CR, LF or NUL)",
                        (Consumer<ByteBuf>) out -> SseEncoder.writeEvent(out, "a\r\n", null, "x")),
                arguments("NUL in event", "event: a\\0 (expected: no CR, LF or NUL)",
                        (Consumer<ByteBuf>) out -> SseEncoder.writeEvent(out, "a\0", null, "x")),
                arguments("LF in event, byte data", "event: \\n (expected: no CR, LF or NUL)",
                        (Consumer<ByteBuf>) out -> writeEventWithBytes(out, "\n", null, "x")),
                arguments("CR in id, byte data", "id: 1\\r2 (expected: no CR, LF or NUL)",
                        (Consumer<ByteBuf>) out -> writeEventWithBytes(out, null, "1\r2", "x")),
                arguments("LF in id only", "id: \\n (expected: no CR, LF or NUL)",
                        (Consumer<ByteBuf>) out -> SseEncoder.writeIdOnly(out, "\n")),
                arguments("NUL in keepalive id", "id: x\\0 (expected: no CR, LF or NUL)",
                        (Consumer<ByteBuf>) out -> SseEncoder.writeCommentWithId(out, "keepalive", "x\0")),
                arguments("negative retry", "retry: -1 (expected: at least 0 milliseconds)",
                        (Consumer<ByteBuf>) out -> SseEncoder.writeRetry(out, -1)),
                arguments("long id is cut in the message",
                        "id: " + "a".repeat(64) + "... (expected: no CR, LF or NUL)",
                        (Consumer<ByteBuf>) out -> SseEncoder.writeIdOnly(out, "a".repeat(100) + "\n")),
                arguments("other controls are escaped in the message", "id: \\u0001\\t\\\\\\n (expected: no CR, LF or NUL)",
                        (Consumer<ByteBuf>) out -> SseEncoder.writeIdOnly(out, "\u0001\t\\\n")));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("rejected")
    void rejectedValuesThrowAndWriteNothing(String name, String message, Consumer<ByteBuf> write) {
        ByteBuf out = ALLOC.buffer();
        try {
            out.writeByte('!');
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> write.accept(out));
            assertEquals(message, e.getMessage());
            assertEquals(1, out.writerIndex(), "bytes written before the throw");
        } finally {
            out.release();
        }
    }

    @Test
    void blocksAppendAfterExistingContent() {
        assertWrites("retry: 5\n\nevent: a\ndata: 1\n\n: k\nid: 2\n\n", out -> {
            SseEncoder.writeRetry(out, 5);
            SseEncoder.writeEvent(out, "a", null, "1");
            SseEncoder.writeCommentWithId(out, "k", "2");
        });
    }

    @Test
    void largeDataGrowsTheOutputBuffer() {
        String line = "x".repeat(10_000);
        String data = line + "\n" + line;
        assertWrites("data: " + line + "\ndata: " + line + "\n\n", out -> SseEncoder.writeEvent(out, null, null, data));
        assertWrites("data: " + line + "\ndata: " + line + "\n\n", out -> writeEventWithBytes(out, null, null, data));
    }

    private static void writeEventWithBytes(ByteBuf out, String event, String id, String data) {
        ByteBuf bytes = ALLOC.buffer().writeBytes(data.getBytes(StandardCharsets.UTF_8));
        try {
            SseEncoder.writeEvent(out, event, id, bytes);
        } finally {
            bytes.release();
        }
    }

    private static void assertWrites(String expected, Consumer<ByteBuf> write) {
        ByteBuf out = ALLOC.buffer(4);
        try {
            write.accept(out);
            assertEquals(expected, out.toString(StandardCharsets.UTF_8));
            assertArrayEquals(expected.getBytes(StandardCharsets.UTF_8), ByteBufUtil.getBytes(out));
        } finally {
            out.release();
        }
    }
}

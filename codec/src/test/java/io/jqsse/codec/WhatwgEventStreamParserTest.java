package io.jqsse.codec;

import io.jqsse.codec.WhatwgEventStreamParser.Event;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.params.provider.Arguments.arguments;

/**
 * The test parser against the examples and rules of WHATWG HTML 9.2.6, so that the round trip
 * through it means something.
 */
class WhatwgEventStreamParserTest {

    static Stream<Arguments> streams() {
        return Stream.of(
                arguments("spec example: three data lines", "data: YHOO\ndata: +2\ndata: 10\n\n",
                        List.of(message("YHOO\n+2\n10", "")), ""),
                arguments("spec example: comment, ids, space stripping",
                        ": test stream\n\ndata: first event\nid: 1\n\ndata:second event\nid\n\ndata:  third event\n\n",
                        List.of(message("first event", "1"), message("second event", ""), message(" third event", "")), ""),
                arguments("spec example: bare data fields, unterminated event dropped", "data\n\ndata\ndata\n\ndata:",
                        List.of(message("", ""), message("\n", "")), ""),
                arguments("spec example: one optional space", "data:test\n\ndata: test\n\n",
                        List.of(message("test", ""), message("test", "")), ""),
                arguments("leading BOM is stripped", "\uFEFFdata: x\n\n", List.of(message("x", "")), ""),
                arguments("second BOM is part of the field name", "\uFEFF\uFEFFdata: x\n\n", List.of(), ""),
                arguments("CR and CRLF end lines", "data: a\r\rdata: b\r\n\r\n", List.of(message("a", ""), message("b", "")), ""),
                arguments("event type is used once", "event: add\ndata: 1\n\ndata: 2\n\n",
                        List.of(new Event("add", "1", ""), message("2", "")), ""),
                arguments("empty event type means message", "event: \ndata: x\n\n", List.of(message("x", "")), ""),
                arguments("event type without data fires nothing and resets", "event: x\n\ndata: y\n\n",
                        List.of(message("y", "")), ""),
                arguments("id with NUL is ignored", "id: 1\n\nid: a\0b\ndata: x\n\n", List.of(message("x", "1")), "1"),
                arguments("id-only block moves the last event id", "id: 5\n\n", List.of(), "5"),
                arguments("id persists across events", "id: 5\ndata: a\n\ndata: b\n\n",
                        List.of(message("a", "5"), message("b", "5")), "5"),
                arguments("empty id resets the last event id", "id: 5\n\nid\ndata: a\n\n", List.of(message("a", "")), ""),
                arguments("unknown fields are ignored", "foo: bar\ndata: a\nDATA: b\n\n", List.of(message("a", "")), ""),
                arguments("colon in value is kept", "data: a:b: c\n\n", List.of(message("a:b: c", "")), ""),
                arguments("unterminated line is dropped at end", "data: a\n\ndata: b\n", List.of(message("a", "")), ""),
                arguments("multi-byte UTF-8", "event: \u00e9\ndata: \uD83D\uDE00\u2713\n\n",
                        List.of(new Event("\u00e9", "\uD83D\uDE00\u2713", "")), ""));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("streams")
    void parsesStreamAsTheSpecSays(String name, String stream, List<Event> expected, String lastEventId) {
        WhatwgEventStreamParser whole = new WhatwgEventStreamParser();
        whole.feed(stream);
        whole.end();
        assertEquals(expected, whole.events());
        assertEquals(lastEventId, whole.lastEventId());

        byte[] bytes = stream.getBytes(StandardCharsets.UTF_8);
        WhatwgEventStreamParser byteByByte = new WhatwgEventStreamParser();
        for (int i = 0; i < bytes.length; i++) {
            byteByByte.feed(bytes, i, 1);
        }
        byteByByte.end();
        assertEquals(expected, byteByByte.events(), "fed one byte at a time");
        assertEquals(lastEventId, byteByByte.lastEventId(), "fed one byte at a time");
    }

    static Stream<Arguments> retries() {
        return Stream.of(
                arguments("retry: 1500\n\n", 1500L),
                arguments("retry:0\n\n", 0L),
                arguments("retry: 15x\n\n", -1L),
                arguments("retry: -1\n\n", -1L),
                arguments("retry: \n\n", -1L),
                arguments("retry:  10\n\n", -1L),
                arguments("retry: 10\nretry: 1.5\n\n", 10L));
    }

    @ParameterizedTest
    @MethodSource("retries")
    void retryAcceptsOnlyAsciiDigits(String stream, long expected) {
        WhatwgEventStreamParser parser = new WhatwgEventStreamParser();
        parser.feed(stream);
        assertEquals(expected, parser.reconnectionTimeMillis());
    }

    @Test
    void crlfSplitAcrossChunksIsOneLineEnd() {
        WhatwgEventStreamParser parser = new WhatwgEventStreamParser();
        assertEquals(List.of(), parser.feed("data: a\r"));
        assertEquals(List.of(), parser.feed("\ndata: b\r"));
        assertEquals(List.of(message("a\nb", "")), parser.feed("\n\r\n"));
    }

    @Test
    void commentsAreRecordedWithoutTheirSpace() {
        WhatwgEventStreamParser parser = new WhatwgEventStreamParser();
        parser.feed(": keepalive\n:x\n\n");
        assertEquals(List.of("keepalive", "x"), parser.comments());
        assertEquals(List.of(), parser.events());
    }

    @Test
    void invalidUtf8BecomesReplacementCharacters() {
        byte[] stream = {'d', 'a', 't', 'a', ':', (byte) 0xff, 'x', '\n', '\n'};
        assertEquals(List.of(message("\uFFFDx", "")), WhatwgEventStreamParser.parse(stream));
    }

    private static Event message(String data, String lastEventId) {
        return new Event("message", data, lastEventId);
    }
}

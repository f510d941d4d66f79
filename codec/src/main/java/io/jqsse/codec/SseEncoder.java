package io.jqsse.codec;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.util.ByteProcessor;

import java.nio.charset.StandardCharsets;
import java.util.Objects;

/**
 * Appends Server-Sent Events blocks to a {@link ByteBuf}, in the event stream format of WHATWG HTML
 * section 9.2.5 ("Parsing an event stream"): UTF-8, every line ending in LF, every block ending in
 * a blank line.
 *
 * <p>Line breaks inside data (CRLF, LF or a lone CR, the three that section 9.2.6 recognises) split
 * it into several {@code data:} lines, which a conforming parser joins back with LF. An {@code event}
 * or {@code id} value cannot be split that way, so one containing CR or LF is rejected; NUL is
 * rejected too, because a parser ignores an {@code id} field that contains it. Every field is
 * written with one space after the colon, so a value's own leading spaces survive the parser's
 * stripping of one optional space.
 *
 * <p>Each method writes one complete block or, when it throws, nothing. The output buffer is only
 * appended to; a data buffer given to {@link #writeEvent(ByteBuf, String, String, ByteBuf)} is
 * read in place, neither consumed nor released: the caller keeps ownership of both.
 */
public final class SseEncoder {

    private static final byte LF = '\n';
    private static final byte CR = '\r';
    private static final byte[] EVENT = ascii("event: ");
    private static final byte[] ID = ascii("id: ");
    private static final byte[] DATA = ascii("data: ");
    private static final byte[] RETRY = ascii("retry: ");
    private static final byte[] COMMENT = ascii(": ");
    /** Room for the field names, spaces and line ends of a short block, to grow the buffer once. */
    private static final int BLOCK_OVERHEAD = 32;
    private static final int MAX_SHOWN_CHARS = 64;

    private SseEncoder() {
    }

    /**
     * Appends one event: {@code event: <event>} when {@code event} is not null, {@code id: <id>} when
     * {@code id} is not null, the data as one {@code data:} line per line of it (an empty string gives
     * one empty {@code data:} line, so the event still fires), then a blank line.
     *
     * @throws IllegalArgumentException when {@code event} or {@code id} contains CR, LF or NUL
     */
    public static void writeEvent(ByteBuf out, String event, String id, CharSequence data) {
        Objects.requireNonNull(out, "out");
        Objects.requireNonNull(data, "data");
        checkField("event", event);
        checkField("id", id);
        out.ensureWritable(data.length() + BLOCK_OVERHEAD);
        writeHeader(out, event, id);
        writeLines(out, DATA, data);
        out.writeByte(LF);
    }

    /**
     * Same as {@link #writeEvent(ByteBuf, String, String, CharSequence)} with the data given as the
     * readable bytes of {@code utf8Data}, which must be UTF-8. The bytes are copied without decoding:
     * CR and LF never occur inside a multi-byte UTF-8 sequence, so splitting on them is safe.
     * {@code utf8Data}'s indexes are left unchanged and it is not released.
     *
     * @throws IllegalArgumentException when {@code event} or {@code id} contains CR, LF or NUL
     */
    public static void writeEvent(ByteBuf out, String event, String id, ByteBuf utf8Data) {
        Objects.requireNonNull(out, "out");
        Objects.requireNonNull(utf8Data, "utf8Data");
        checkField("event", event);
        checkField("id", id);
        out.ensureWritable(utf8Data.readableBytes() + BLOCK_OVERHEAD);
        writeHeader(out, event, id);
        int from = utf8Data.readerIndex();
        int end = utf8Data.writerIndex();
        while (true) {
            int eol = from < end ? utf8Data.forEachByte(from, end - from, ByteProcessor.FIND_CRLF) : -1;
            if (eol < 0) {
                writeLine(out, DATA, utf8Data, from, end);
                break;
            }
            writeLine(out, DATA, utf8Data, from, eol);
            from = eol + 1;
            if (utf8Data.getByte(eol) == CR && from < end && utf8Data.getByte(from) == LF) {
                from++;
            }
        }
        out.writeByte(LF);
    }

    /**
     * Appends a comment block: {@code : <line>} for each line of {@code text}, then a blank line. A
     * parser ignores comments; they keep idle connections and proxies alive.
     */
    public static void writeComment(ByteBuf out, CharSequence text) {
        Objects.requireNonNull(out, "out");
        Objects.requireNonNull(text, "text");
        writeLines(out, COMMENT, text);
        out.writeByte(LF);
    }

    /**
     * Appends {@code retry: <millis>} and a blank line: the client's reconnection time.
     *
     * @throws IllegalArgumentException when {@code millis} is negative (a parser ignores anything
     *                                  but ASCII digits)
     */
    public static void writeRetry(ByteBuf out, long millis) {
        Objects.requireNonNull(out, "out");
        if (millis < 0) {
            throw new IllegalArgumentException("retry: " + millis + " (expected: at least 0 milliseconds)");
        }
        out.writeBytes(RETRY);
        ByteBufUtil.writeAscii(out, Long.toString(millis));
        out.writeByte(LF).writeByte(LF);
    }

    /**
     * Appends {@code id: <id>} and a blank line. The client's last event ID becomes {@code id} but no
     * event fires, because the block has no data.
     *
     * @throws IllegalArgumentException when {@code id} contains CR, LF or NUL
     */
    public static void writeIdOnly(ByteBuf out, String id) {
        Objects.requireNonNull(out, "out");
        Objects.requireNonNull(id, "id");
        checkField("id", id);
        writeField(out, ID, id);
        out.writeByte(LF);
    }

    /**
     * Appends a comment and an id in one block, {@code : <comment>}, {@code id: <id>}, blank line: a
     * keepalive that also moves the client's last event ID without firing an event.
     *
     * @throws IllegalArgumentException when {@code id} contains CR, LF or NUL
     */
    public static void writeCommentWithId(ByteBuf out, CharSequence comment, String id) {
        Objects.requireNonNull(out, "out");
        Objects.requireNonNull(comment, "comment");
        Objects.requireNonNull(id, "id");
        checkField("id", id);
        writeLines(out, COMMENT, comment);
        writeField(out, ID, id);
        out.writeByte(LF);
    }

    private static void writeHeader(ByteBuf out, String event, String id) {
        if (event != null) {
            writeField(out, EVENT, event);
        }
        if (id != null) {
            writeField(out, ID, id);
        }
    }

    private static void writeField(ByteBuf out, byte[] prefix, String value) {
        out.writeBytes(prefix);
        ByteBufUtil.writeUtf8(out, value);
        out.writeByte(LF);
    }

    /** One {@code prefix}ed line per line of {@code text}, split on CRLF, LF and CR. */
    private static void writeLines(ByteBuf out, byte[] prefix, CharSequence text) {
        int length = text.length();
        int start = 0;
        for (int i = 0; i < length; i++) {
            char c = text.charAt(i);
            if (c == '\n' || c == '\r') {
                writeLine(out, prefix, text, start, i);
                if (c == '\r' && i + 1 < length && text.charAt(i + 1) == '\n') {
                    i++;
                }
                start = i + 1;
            }
        }
        writeLine(out, prefix, text, start, length);
    }

    private static void writeLine(ByteBuf out, byte[] prefix, CharSequence text, int start, int end) {
        out.writeBytes(prefix);
        if (start < end) {
            ByteBufUtil.writeUtf8(out, text, start, end);
        }
        out.writeByte(LF);
    }

    private static void writeLine(ByteBuf out, byte[] prefix, ByteBuf bytes, int start, int end) {
        out.writeBytes(prefix);
        out.writeBytes(bytes, start, end - start);
        out.writeByte(LF);
    }

    private static void checkField(String name, String value) {
        if (value == null) {
            return;
        }
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c == '\r' || c == '\n' || c == '\0') {
                throw new IllegalArgumentException(name + ": " + escape(value) + " (expected: no CR, LF or NUL)");
            }
        }
    }

    /** {@code value} with control characters escaped Java-style, cut after 64 characters. */
    static String escape(String value) {
        StringBuilder sb = new StringBuilder(Math.min(value.length(), MAX_SHOWN_CHARS) + 8);
        for (int i = 0; i < value.length(); i++) {
            if (i == MAX_SHOWN_CHARS) {
                return sb.append("...").toString();
            }
            char c = value.charAt(i);
            switch (c) {
                case '\r' -> sb.append("\\r");
                case '\n' -> sb.append("\\n");
                case '\0' -> sb.append("\\0");
                case '\t' -> sb.append("\\t");
                case '\\' -> sb.append("\\\\");
                default -> {
                    if (c < 0x20 || c == 0x7f) {
                        sb.append(String.format("\\u%04x", (int) c));
                    } else {
                        sb.append(c);
                    }
                }
            }
        }
        return sb.toString();
    }

    private static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }
}

package io.jqsse.server.testing;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * A test-only parser of {@code text/event-stream} that follows WHATWG HTML section 9.2.6
 * ("Interpreting an event stream") step by step, written from the spec and not from the encoder, so
 * that it can judge the encoder (and the server's streams) independently.
 *
 * <p>It is what an {@code EventSource} does with the bytes: UTF-8 decoding with replacement and one
 * leading BOM stripped; lines ended by CRLF, LF or CR (also when a CRLF is split across two chunks);
 * a blank line dispatches; a line starting with a colon is a comment; otherwise {@code field:value}
 * with one leading space of the value stripped, or a whole line as a field with an empty value.
 * Fields: {@code event} sets the type, {@code data} appends the value and LF, {@code id} sets the
 * last event ID unless the value contains NUL, {@code retry} sets the reconnection time when the
 * value is only ASCII digits; anything else is ignored. Dispatch copies the last event ID buffer to
 * the last event ID, then fires an event only when the data buffer is not empty, with the trailing LF
 * removed and type {@code message} when none was given. At the end of the stream an incomplete line
 * or event is discarded.
 *
 * <p>A copy of {@code io.jqsse.codec.WhatwgEventStreamParser} (codec's tests), kept identical but
 * for the package, so that the server's end-to-end tests can read streams without a test-jar.
 *
 * <p>Feed it chunks in any split; each {@code feed} returns the events that chunk completed. It is
 * thread-safe, so a reader thread can feed while a test thread inspects it.
 */
public final class WhatwgEventStreamParser {

    /** A dispatched event, the fields of the {@code MessageEvent} an {@code EventSource} fires. */
    public record Event(String type, String data, String lastEventId) {
    }

    private final CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
            .onMalformedInput(CodingErrorAction.REPLACE)
            .onUnmappableCharacter(CodingErrorAction.REPLACE);
    private byte[] undecoded = new byte[0];
    private boolean started;
    private boolean afterCr;
    private boolean ended;
    private final StringBuilder line = new StringBuilder();
    private final StringBuilder dataBuffer = new StringBuilder();
    private String eventTypeBuffer = "";
    private String lastEventIdBuffer = "";
    private String lastEventId = "";
    private long reconnectionTimeMillis = -1;
    private final List<Event> events = new ArrayList<>();
    private final List<String> comments = new ArrayList<>();

    /** Parses a whole stream: feeds it and ends it. */
    public static List<Event> parse(byte[] stream) {
        WhatwgEventStreamParser parser = new WhatwgEventStreamParser();
        parser.feed(stream);
        parser.end();
        return parser.events();
    }

    /** Feeds bytes; returns the events they completed. */
    public List<Event> feed(byte[] bytes) {
        return feed(bytes, 0, bytes.length);
    }

    /** Feeds the readable bytes of {@code buf} without consuming or releasing it. */
    public List<Event> feed(ByteBuf buf) {
        return feed(ByteBufUtil.getBytes(buf));
    }

    /** Feeds the UTF-8 bytes of {@code text}. */
    public List<Event> feed(String text) {
        return feed(text.getBytes(StandardCharsets.UTF_8));
    }

    /** Feeds {@code length} bytes from {@code offset}; returns the events they completed. */
    public synchronized List<Event> feed(byte[] bytes, int offset, int length) {
        if (ended) {
            throw new IllegalStateException("stream: ended (expected: feed before end)");
        }
        byte[] input = new byte[undecoded.length + length];
        System.arraycopy(undecoded, 0, input, 0, undecoded.length);
        System.arraycopy(bytes, offset, input, undecoded.length, length);
        ByteBuffer in = ByteBuffer.wrap(input);
        int before = events.size();
        decode(in, false);
        undecoded = new byte[in.remaining()];
        in.get(undecoded);
        return List.copyOf(events.subList(before, events.size()));
    }

    /** The end of the stream: a pending line or event is discarded, as the spec requires. */
    public synchronized void end() {
        if (!ended) {
            decode(ByteBuffer.wrap(undecoded), true);
            undecoded = new byte[0];
            ended = true;
            line.setLength(0);
            dataBuffer.setLength(0);
            eventTypeBuffer = "";
        }
    }

    /** Every event dispatched so far, in order. */
    public synchronized List<Event> events() {
        return List.copyOf(events);
    }

    /** Every comment line so far, the text after the colon with one leading space stripped. */
    public synchronized List<String> comments() {
        return List.copyOf(comments);
    }

    /** The event source's last event ID string: what it would send as {@code Last-Event-ID}. */
    public synchronized String lastEventId() {
        return lastEventId;
    }

    /** The reconnection time a {@code retry} field set, or -1 when none did. */
    public synchronized long reconnectionTimeMillis() {
        return reconnectionTimeMillis;
    }

    private void decode(ByteBuffer in, boolean endOfInput) {
        CharBuffer out = CharBuffer.allocate(Math.max(16, in.remaining() + 1));
        while (true) {
            CoderResult result = decoder.decode(in, out, endOfInput);
            if (endOfInput && result.isUnderflow()) {
                result = decoder.flush(out);
            }
            out.flip();
            acceptChars(out);
            out.clear();
            if (result.isUnderflow()) {
                break;
            }
        }
        if (endOfInput) {
            decoder.reset();
        }
    }

    private void acceptChars(CharBuffer chars) {
        while (chars.hasRemaining()) {
            char c = chars.get();
            if (!started) {
                started = true;
                if (c == '\uFEFF') {
                    continue;
                }
            }
            if (afterCr) {
                afterCr = false;
                if (c == '\n') {
                    continue;
                }
            }
            if (c == '\r') {
                afterCr = true;
                processLine();
            } else if (c == '\n') {
                processLine();
            } else {
                line.append(c);
            }
        }
    }

    private void processLine() {
        String text = line.toString();
        line.setLength(0);
        if (text.isEmpty()) {
            dispatch();
            return;
        }
        if (text.charAt(0) == ':') {
            comments.add(stripOneSpace(text.substring(1)));
            return;
        }
        int colon = text.indexOf(':');
        if (colon >= 0) {
            processField(text.substring(0, colon), stripOneSpace(text.substring(colon + 1)));
        } else {
            processField(text, "");
        }
    }

    private void processField(String field, String value) {
        switch (field) {
            case "event" -> eventTypeBuffer = value;
            case "data" -> dataBuffer.append(value).append('\n');
            case "id" -> {
                if (value.indexOf('\0') < 0) {
                    lastEventIdBuffer = value;
                }
            }
            case "retry" -> {
                if (!value.isEmpty() && value.chars().allMatch(c -> c >= '0' && c <= '9')) {
                    try {
                        reconnectionTimeMillis = Long.parseLong(value);
                    } catch (NumberFormatException tooLarge) {
                        reconnectionTimeMillis = Long.MAX_VALUE;
                    }
                }
            }
            default -> {
                // Section 9.2.6: any other field is ignored.
            }
        }
    }

    private void dispatch() {
        lastEventId = lastEventIdBuffer;
        if (dataBuffer.length() == 0) {
            eventTypeBuffer = "";
            return;
        }
        if (dataBuffer.charAt(dataBuffer.length() - 1) == '\n') {
            dataBuffer.setLength(dataBuffer.length() - 1);
        }
        String type = eventTypeBuffer.isEmpty() ? "message" : eventTypeBuffer;
        events.add(new Event(type, dataBuffer.toString(), lastEventId));
        dataBuffer.setLength(0);
        eventTypeBuffer = "";
    }

    private static String stripOneSpace(String value) {
        return value.startsWith(" ") ? value.substring(1) : value;
    }
}

package io.jqsse.codec;

import io.jqsse.codec.WhatwgEventStreamParser.Event;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.PooledByteBufAllocator;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.ThreadLocalRandom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Random streams written by the encoder and read back by the independent WHATWG parser must give
 * exactly the events, last event ID, reconnection time and comments that were written. The base seed
 * is random unless {@code -Djqsse.test.seed=N} fixes it; a failure names the seed of its case.
 */
class SseRoundTripTest {

    private static final ByteBufAllocator ALLOC = PooledByteBufAllocator.DEFAULT;
    private static final int CASES = 400;
    private static final String[] PIECES = {
        "a", "b", "Z", "0", "9", " ", "  ", ":", ": ", "{", "\"", "\t", "\\", "data", "id", "event", "retry",
        "\u00e9", "\u2713", "\u20ac", "\u043a", "\uD83D\uDE00", "\uFEFF", "\u0000", "\r", "\n", "\r\n", "\n\r",
    };

    @Test
    void randomStreamsReadBackExactlyWhatWasWritten() {
        long base = Long.getLong("jqsse.test.seed", ThreadLocalRandom.current().nextLong());
        for (int i = 0; i < CASES; i++) {
            long seed = base + i;
            try {
                roundTrip(new SplittableRandom(seed));
            } catch (AssertionError | RuntimeException e) {
                throw new AssertionError("round trip failed with seed " + seed
                        + " (rerun with -Djqsse.test.seed=" + seed + "): " + e.getMessage(), e);
            }
        }
    }

    private static void roundTrip(SplittableRandom random) {
        Expected expected = new Expected();
        ByteBuf out = ALLOC.buffer();
        try {
            int blocks = 1 + random.nextInt(12);
            for (int b = 0; b < blocks; b++) {
                writeRandomBlock(random, out, expected);
            }
            WhatwgEventStreamParser parser = new WhatwgEventStreamParser();
            feedInRandomChunks(random, parser, ByteBufUtil.getBytes(out));
            parser.end();
            assertEquals(expected.events, parser.events(), "events");
            assertEquals(expected.lastEventId, parser.lastEventId(), "last event id");
            assertEquals(expected.retry, parser.reconnectionTimeMillis(), "reconnection time");
            assertEquals(expected.comments, parser.comments(), "comments");
        } finally {
            out.release();
        }
    }

    private static void writeRandomBlock(SplittableRandom random, ByteBuf out, Expected expected) {
        switch (random.nextInt(6)) {
            case 0, 1 -> {
                String event = random.nextInt(3) == 0 ? null : fieldValue(random);
                String id = random.nextInt(3) == 0 ? null : fieldValue(random);
                String data = text(random, 12);
                writeEventBothWays(out, event, id, data);
                expected.lastEventId = id != null ? id : expected.lastEventId;
                String type = event == null || event.isEmpty() ? "message" : event;
                expected.events.add(new Event(type, normalizeLineEnds(data), expected.lastEventId));
            }
            case 2 -> {
                String comment = text(random, 6);
                SseEncoder.writeComment(out, comment);
                expected.comments.addAll(List.of(normalizeLineEnds(comment).split("\n", -1)));
            }
            case 3 -> {
                long millis = random.nextInt(4) == 0 ? random.nextLong(Long.MAX_VALUE) : random.nextInt(100_000);
                SseEncoder.writeRetry(out, millis);
                expected.retry = millis;
            }
            case 4 -> {
                String id = fieldValue(random);
                SseEncoder.writeIdOnly(out, id);
                expected.lastEventId = id;
            }
            default -> {
                String comment = text(random, 4);
                String id = fieldValue(random);
                SseEncoder.writeCommentWithId(out, comment, id);
                expected.comments.addAll(List.of(normalizeLineEnds(comment).split("\n", -1)));
                expected.lastEventId = id;
            }
        }
    }

    /** Writes the event from text, checks the byte variant gives the same bytes. */
    private static void writeEventBothWays(ByteBuf out, String event, String id, String data) {
        ByteBuf fromText = ALLOC.buffer();
        ByteBuf utf8 = ALLOC.buffer();
        ByteBuf fromBytes = ALLOC.buffer();
        try {
            SseEncoder.writeEvent(fromText, event, id, data);
            utf8.writeBytes(data.getBytes(StandardCharsets.UTF_8));
            SseEncoder.writeEvent(fromBytes, event, id, utf8);
            assertArrayEquals(ByteBufUtil.getBytes(fromText), ByteBufUtil.getBytes(fromBytes),
                    "byte variant differs for data " + SseEncoder.escape(data));
            out.writeBytes(fromText);
        } finally {
            fromText.release();
            utf8.release();
            fromBytes.release();
        }
    }

    private static void feedInRandomChunks(SplittableRandom random, WhatwgEventStreamParser parser, byte[] bytes) {
        int at = 0;
        while (at < bytes.length) {
            int chunk = Math.min(bytes.length - at, 1 + random.nextInt(random.nextBoolean() ? 4 : 64));
            parser.feed(bytes, at, chunk);
            at += chunk;
        }
    }

    /** A value allowed in {@code event} and {@code id}: anything but CR, LF and NUL. */
    private static String fieldValue(SplittableRandom random) {
        String text = text(random, 5);
        return text.replace("\r", "").replace("\n", "").replace("\0", "");
    }

    private static String text(SplittableRandom random, int maxPieces) {
        StringBuilder sb = new StringBuilder();
        int pieces = random.nextInt(maxPieces + 1);
        for (int i = 0; i < pieces; i++) {
            sb.append(PIECES[random.nextInt(PIECES.length)]);
        }
        return sb.toString();
    }

    private static String normalizeLineEnds(String text) {
        return text.replace("\r\n", "\n").replace('\r', '\n');
    }

    private static final class Expected {
        final List<Event> events = new ArrayList<>();
        final List<String> comments = new ArrayList<>();
        String lastEventId = "";
        long retry = -1;
    }
}

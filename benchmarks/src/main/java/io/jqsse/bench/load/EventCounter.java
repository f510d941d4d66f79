package io.jqsse.bench.load;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * The only handler of one subscriber connection: reads the raw bytes of the HTTP response, parses
 * its head (status line; {@code Transfer-Encoding: chunked} is undone when present, nchan and jq-sse
 * both stream without it), then scans the event stream's bytes without decoding JSON or making a
 * String. It counts blocks (a blank line ends one), {@code event: init} blocks, and every
 * {@code "t":<micros>} stamp (the publisher's send time), whose age at arrival is the write-to-delivery
 * latency. The scan state survives buffer boundaries. Runs on the channel's loop and allocates nothing
 * per event: counts go to the loop's {@link SubscriberPool.Tally}.
 */
final class EventCounter extends ChannelInboundHandlerAdapter {

    private static final byte[] STAMP = {'"', 't', '"', ':'};
    private static final byte[] INIT = "event: init\n".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] HEAD_END = {'\r', '\n', '\r', '\n'};
    /** A response head longer than this is refused. */
    private static final int MAX_HEAD = 8192;

    private final SubscriberPool pool;
    private final long connectStartNanos;
    private final long sinceMicros;
    private SubscriberPool.Tally tally;
    private StringBuilder head = new StringBuilder();
    private int headEndMatched;
    private boolean responded;
    private final Chunks chunks = new Chunks();
    private int stampMatched;
    private int initMatched;
    private boolean inNumber;
    private long number;
    private byte previous;
    private long now;
    private int blocks;
    private int inits;
    private int stamps;

    EventCounter(SubscriberPool pool, long connectStartNanos) {
        this.pool = pool;
        this.connectStartNanos = connectStartNanos;
        this.sinceMicros = pool.sinceMicros();
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        tally = pool.tally();
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        ByteBuf b = (ByteBuf) msg;
        try {
            int n = b.readableBytes();
            byte[] a = tally.scratch(n);
            b.getBytes(b.readerIndex(), a, 0, n);
            int from = head == null ? 0 : readHead(ctx, a, n);
            if (from < n) {
                body(a, from, n);
            }
        } finally {
            b.release();
        }
    }

    /** Consumes head bytes; returns where the body starts ({@code n} while the head is incomplete). */
    private int readHead(ChannelHandlerContext ctx, byte[] a, int n) {
        for (int i = 0; i < n; i++) {
            head.append((char) (a[i] & 0xff));
            headEndMatched = a[i] == HEAD_END[headEndMatched] ? headEndMatched + 1 : a[i] == '\r' ? 1 : 0;
            if (headEndMatched == HEAD_END.length) {
                String h = head.toString();
                head = null;
                chunks.chunked = h.toLowerCase(Locale.ROOT).contains("\ntransfer-encoding: chunked");
                responded = true;
                int status = status(h);
                if (status == 200) {
                    tally.connectTime(System.nanoTime() - connectStartNanos);
                }
                pool.responded(ctx.channel(), status);
                return i + 1;
            }
        }
        if (head.length() > MAX_HEAD) {
            head = null;
            responded = true;
            pool.responded(ctx.channel(), -1);
        }
        return n;
    }

    /** The status code of {@code HTTP/1.1 200 OK...}, or -1 when the line is not one. */
    static int status(String head) {
        int sp = head.indexOf(' ');
        if (!head.startsWith("HTTP/") || sp < 0 || head.length() < sp + 4) {
            return -1;
        }
        try {
            return Integer.parseInt(head.substring(sp + 1, sp + 4));
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    /** Scans body bytes {@code a[from, to)}, undoing chunked framing, and reports them to the tally. */
    private void body(byte[] a, int from, int to) {
        now = 0;
        blocks = 0;
        inits = 0;
        stamps = 0;
        int bytes = 0;
        if (!chunks.chunked) {
            scan(a, from, to);
            bytes = to - from;
        } else {
            for (int i = from; i < to; ) {
                int data = chunks.dataAt(a, i, to);
                if (data > 0) {
                    scan(a, i, i + data);
                    bytes += data;
                    i += data;
                } else {
                    i++;
                }
            }
        }
        tally.counted(bytes, blocks, inits, stamps, now);
    }

    private void scan(byte[] a, int from, int to) {
        for (int i = from; i < to; i++) {
            byte c = a[i];
            if (c == '\n' && previous == '\n') {
                blocks++;
            }
            previous = c;
            if (inNumber) {
                if (c >= '0' && c <= '9') {
                    number = number * 10 + (c - '0');
                    continue;
                }
                inNumber = false;
                stamped();
            }
            stampMatched = c == STAMP[stampMatched] ? stampMatched + 1 : c == STAMP[0] ? 1 : 0;
            if (stampMatched == STAMP.length) {
                stampMatched = 0;
                inNumber = true;
                number = 0;
            }
            initMatched = c == INIT[initMatched] ? initMatched + 1 : c == INIT[0] ? 1 : 0;
            if (initMatched == INIT.length) {
                initMatched = 0;
                inits++;
            }
        }
    }

    /** A stamp older than the pool belongs to an initial view, not to this run's writes. */
    private void stamped() {
        if (number < sinceMicros) {
            return;
        }
        if (now == 0) {
            now = Transport.wallMicros();
        }
        stamps++;
        tally.latency(now - number);
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        if (!responded) {
            responded = true;
            pool.refused();
        }
        pool.closed(ctx.channel());
        ctx.fireChannelInactive();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        ctx.close();
    }

    /**
     * The state of {@code Transfer-Encoding: chunked} framing across buffers: {@code <hex size>[;ext]\r\n},
     * that many data bytes, {@code \r\n}; size 0 ends the body (trailers are skipped).
     */
    static final class Chunks {
        boolean chunked;
        private long remaining;
        private long size;
        /** 0: reading the size, 1: skipping to the size line's end, 2: data, 3: skipping the CRLF after data, 4: done. */
        private int state;

        /**
         * At {@code a[i]}: how many of the bytes from there are chunk data (at most {@code to - i}), or 0
         * when {@code a[i]} is framing (consumed by this call).
         */
        int dataAt(byte[] a, int i, int to) {
            byte c = a[i];
            switch (state) {
                case 0 -> {
                    int d = Character.digit(c, 16);
                    if (d >= 0) {
                        size = size * 16 + d;
                    } else {
                        state = c == '\n' ? afterSize() : 1;
                    }
                }
                case 1 -> state = c == '\n' ? afterSize() : 1;
                case 2 -> {
                    int n = (int) Math.min(remaining, to - i);
                    remaining -= n;
                    if (remaining == 0) {
                        state = 3;
                    }
                    return n;
                }
                case 3 -> state = c == '\n' ? 0 : 3;
                default -> {
                    return 0;
                }
            }
            return 0;
        }

        private int afterSize() {
            remaining = size;
            size = 0;
            return remaining == 0 ? 4 : 2;
        }
    }
}

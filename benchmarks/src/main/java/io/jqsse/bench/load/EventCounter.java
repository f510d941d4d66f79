package io.jqsse.bench.load;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpObject;
import io.netty.handler.codec.http.HttpResponse;

/**
 * The last handler of one subscriber connection, after {@code HttpClientCodec} (which removes
 * nchan's chunked framing): waits for the response head, then scans the event stream's bytes
 * without decoding JSON. It counts blocks (a blank line ends one), {@code event: init} blocks, and
 * every {@code "t":<micros>} stamp (the publisher's send time), whose age at arrival is the
 * write-to-delivery latency. The scan state survives buffer boundaries. Runs on the channel's loop.
 */
final class EventCounter extends SimpleChannelInboundHandler<HttpObject> {

    private static final byte[] STAMP = {'"', 't', '"', ':'};
    private static final byte[] INIT = "event: init\n".getBytes(java.nio.charset.StandardCharsets.US_ASCII);

    private final SubscriberPool pool;
    private final long connectStartNanos;
    private int stampMatched;
    private int initMatched;
    private boolean inNumber;
    private long number;
    private byte previous;
    private boolean responded;

    EventCounter(SubscriberPool pool, long connectStartNanos) {
        this.pool = pool;
        this.connectStartNanos = connectStartNanos;
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, HttpObject msg) {
        if (msg instanceof HttpResponse r) {
            responded = true;
            pool.responded(ctx.channel(), r.status().code(), System.nanoTime() - connectStartNanos);
        }
        if (msg instanceof HttpContent c && c.content().isReadable()) {
            scan(c.content());
        }
    }

    private void scan(ByteBuf b) {
        long now = Transport.wallMicros();
        int blocks = 0;
        int inits = 0;
        int stamps = 0;
        for (int i = b.readerIndex(), end = b.writerIndex(); i < end; i++) {
            byte c = b.getByte(i);
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
                if (pool.counts(number)) {
                    stamps++;
                    pool.recordLatency(now - number);
                }
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
        pool.counted(b.readableBytes(), blocks, inits, stamps, now);
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
}

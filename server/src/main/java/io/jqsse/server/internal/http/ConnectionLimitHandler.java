package io.jqsse.server.internal.http;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.util.AttributeKey;
import io.netty.util.ReferenceCountUtil;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;

/**
 * First in every pipeline, before the handler named {@code "http"}, so it stays on stream channels: counts
 * open connections and turns away those above {@code MAX_CONNECTIONS} with {@code 503 too_many_connections}
 * and {@code Retry-After}, written as raw HTTP/1.1 bytes (no codec has seen the connection yet), then half-closes
 * and closes.
 * A rejected channel's inbound messages are released here and go no further. Shared by all channels of a
 * server.
 */
@ChannelHandler.Sharable
public final class ConnectionLimitHandler extends ChannelInboundHandlerAdapter {

    private static final AttributeKey<Boolean> REJECTED = AttributeKey.valueOf(ConnectionLimitHandler.class, "rejected");

    private final int maxConnections;
    private final byte[] rejection;
    private final AtomicInteger open = new AtomicInteger();
    private final LongAdder rejected = new LongAdder();

    public ConnectionLimitHandler(int maxConnections) {
        if (maxConnections < 1) {
            throw new IllegalArgumentException("maxConnections: " + maxConnections + " (expected: at least 1)");
        }
        this.maxConnections = maxConnections;
        this.rejection = rejection(maxConnections);
    }

    /** Connections open now, rejected ones excluded. */
    public int connections() {
        return open.get();
    }

    /** Connections turned away since start. */
    public long rejectedConnections() {
        return rejected.sum();
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        if (open.incrementAndGet() > maxConnections) {
            open.decrementAndGet();
            rejected.increment();
            ctx.channel().attr(REJECTED).set(Boolean.TRUE);
            ByteBuf bytes = ctx.alloc().buffer(rejection.length).writeBytes(rejection);
            GracefulClose.afterWrite(ctx.writeAndFlush(bytes));
            return;
        }
        ctx.fireChannelActive();
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (isRejected(ctx)) {
            ReferenceCountUtil.release(msg);
            return;
        }
        ctx.fireChannelRead(msg);
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        if (!isRejected(ctx)) {
            open.decrementAndGet();
            ctx.fireChannelInactive();
        }
    }

    private static boolean isRejected(ChannelHandlerContext ctx) {
        return Boolean.TRUE.equals(ctx.channel().attr(REJECTED).get());
    }

    private static byte[] rejection(int maxConnections) {
        String body = "{\"error\":\"too_many_connections\",\"code\":503,\"message\":\"connections: " + maxConnections
                + " open (expected: fewer than MAX_CONNECTIONS " + maxConnections + "); retry later\"}";
        byte[] bodyBytes = body.getBytes(StandardCharsets.UTF_8);
        String head = "HTTP/1.1 503 Service Unavailable\r\n"
                + "Content-Type: application/json\r\n"
                + "Content-Length: " + bodyBytes.length + "\r\n"
                + "Retry-After: " + ErrorMapping.RETRY_AFTER_SECONDS + "\r\n"
                + "Connection: close\r\n\r\n";
        return (head + body).getBytes(StandardCharsets.UTF_8);
    }
}

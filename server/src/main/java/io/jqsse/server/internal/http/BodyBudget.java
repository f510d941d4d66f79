package io.jqsse.server.internal.http;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.ReferenceCountUtil;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Bounds the request bodies that all connections together hold while they arrive
 * ({@code MAX_BUFFERED_REQUESTS_MB}); {@code MAX_REQUEST_SIZE_MB} bounds only one connection's.
 *
 * <p>Sits right after {@code "http"} and before {@code "aggregator"}. Every {@link HttpContent} reserves
 * its readable bytes from the server's one {@link Pool} before it is passed on; a request's reservation
 * is given back once its {@link LastHttpContent} has been passed on (the aggregator has then handed the
 * whole request to the next handler), or when the channel closes or this handler is removed mid-body
 * (a stream takeover removes everything after {@code "http"}). A request never reserves more than
 * {@code MAX_REQUEST_SIZE_MB}, nor anything when its {@code Content-Length} is above that: the aggregator
 * answers those 413 and discards the body.
 *
 * <p>A content that does not fit is released and answered {@code 503 server_busy} with
 * {@code Retry-After} and {@code Connection: close}; the aggregator after this handler is removed, which
 * releases the part of the body it holds, so the reservation is given back at once; the connection then
 * closes gracefully, and every message after that is released here. Other messages pass through
 * untouched; the next handler owns whatever is passed on. State is touched on the channel's event loop
 * only; the pool is shared and thread-safe.
 */
final class BodyBudget extends ChannelInboundHandlerAdapter {

    static final String ERROR = "server_busy";

    /** The bytes that every connection of one server reserves from; thread-safe. */
    static final class Pool {
        private final AtomicLong held = new AtomicLong();
        private final long limitBytes;

        Pool(long limitBytes) {
            if (limitBytes < 1) {
                throw new IllegalArgumentException("limitBytes: " + limitBytes + " (expected: at least 1)");
            }
            this.limitBytes = limitBytes;
        }

        /** Reserves {@code bytes} if they fit under the limit; whether they did. */
        boolean tryReserve(long bytes) {
            long current;
            do {
                current = held.get();
                if (current > limitBytes - bytes) {
                    return false;
                }
            } while (!held.compareAndSet(current, current + bytes));
            return true;
        }

        void giveBack(long bytes) {
            held.addAndGet(-bytes);
        }

        /** The bytes reserved now, over all connections. */
        long heldBytes() {
            return held.get();
        }

        long limitBytes() {
            return limitBytes;
        }
    }

    private final Pool pool;
    private final long maxRequestBytes;
    private final Runnable onRefusal;
    private long reserved;
    private boolean discarded;
    private boolean refused;

    /**
     * @param maxRequestBytes the aggregator's limit: no request reserves more
     * @param onRefusal       runs once per 503, on the event loop (counts it)
     */
    BodyBudget(Pool pool, long maxRequestBytes, Runnable onRefusal) {
        this.pool = pool;
        this.maxRequestBytes = maxRequestBytes;
        this.onRefusal = onRefusal;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (refused) {
            ReferenceCountUtil.release(msg);
            return;
        }
        if (msg instanceof HttpRequest request) {
            discarded = contentLength(request) > maxRequestBytes;
        }
        if (!(msg instanceof HttpContent content)) {
            ctx.fireChannelRead(msg);
            return;
        }
        long bytes = discarded ? 0 : Math.min(content.content().readableBytes(), maxRequestBytes - reserved);
        if (bytes > 0 && !pool.tryReserve(bytes)) {
            content.release();
            refuse(ctx);
            return;
        }
        reserved += bytes;
        if (!(msg instanceof LastHttpContent)) {
            ctx.fireChannelRead(msg);
            return;
        }
        try {
            ctx.fireChannelRead(msg);
        } finally {
            giveBack();
        }
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        giveBack();
        ctx.fireChannelInactive();
    }

    @Override
    public void handlerRemoved(ChannelHandlerContext ctx) {
        giveBack();
    }

    private void giveBack() {
        if (reserved > 0) {
            pool.giveBack(reserved);
            reserved = 0;
        }
    }

    private void refuse(ChannelHandlerContext ctx) {
        refused = true;
        onRefusal.run();
        HttpObjectAggregator aggregator = ctx.pipeline().get(HttpObjectAggregator.class);
        if (aggregator != null) {
            ctx.pipeline().remove(aggregator);
        }
        giveBack();
        ApiException e = new ApiException(HttpResponseStatus.SERVICE_UNAVAILABLE, ERROR,
                "request bodies: more than " + pool.limitBytes() + " bytes buffered by all connections"
                        + " (expected: at most MAX_BUFFERED_REQUESTS_MB; retry later)",
                Map.of(HttpHeaderNames.RETRY_AFTER.toString(), ErrorMapping.RETRY_AFTER_SECONDS));
        FullHttpResponse response = Responses.error(ctx.alloc(), e);
        response.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
        GracefulClose.afterWrite(ctx.writeAndFlush(response));
    }

    /** The declared body length, or -1 when there is none or it is not a number (the codec rejects those). */
    private static long contentLength(HttpRequest request) {
        try {
            return HttpUtil.getContentLength(request, -1L);
        } catch (NumberFormatException e) {
            return -1;
        }
    }
}

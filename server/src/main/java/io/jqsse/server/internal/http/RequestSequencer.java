package io.jqsse.server.internal.http;

import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpStatusClass;
import io.netty.handler.codec.http.LastHttpContent;
import java.util.ArrayDeque;

/**
 * Keeps pipelined requests (RFC 9112 section 9.3.2) in order, between the aggregator and CORS: it passes
 * one {@link FullHttpRequest} at a time to the router and holds the next ones (and stops reading) until the
 * response to the current one has been written, so a slow store write cannot let a later request's
 * response overtake it. Owns the requests it holds and releases them when it is removed (the connection
 * closed, or the stream engine took it over).
 */
final class RequestSequencer extends ChannelDuplexHandler {

    private final ArrayDeque<FullHttpRequest> waiting = new ArrayDeque<>();
    private boolean inFlight;

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (!(msg instanceof FullHttpRequest request)) {
            ctx.fireChannelRead(msg);
            return;
        }
        if (inFlight) {
            waiting.add(request);
            ctx.channel().config().setAutoRead(false);
            return;
        }
        inFlight = true;
        ctx.fireChannelRead(request);
    }

    @Override
    public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
        boolean ends = msg instanceof LastHttpContent && msg instanceof HttpResponse response
                && response.status().codeClass() != HttpStatusClass.INFORMATIONAL;
        ctx.write(msg, promise);
        if (ends && inFlight) {
            inFlight = false;
            ctx.executor().execute(() -> next(ctx));
        }
    }

    private void next(ChannelHandlerContext ctx) {
        if (ctx.isRemoved() || inFlight) {
            return;
        }
        FullHttpRequest request = waiting.poll();
        if (request == null) {
            ctx.channel().config().setAutoRead(true);
            return;
        }
        inFlight = true;
        ctx.fireChannelRead(request);
    }

    @Override
    public void handlerRemoved(ChannelHandlerContext ctx) {
        for (FullHttpRequest request; (request = waiting.poll()) != null; ) {
            request.release();
        }
    }
}

package io.jqsse.server.internal.http;

import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpStatusClass;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.handler.timeout.IdleStateEvent;

/**
 * Persistent connections (RFC 9112 section 9.3), between the codec and the aggregator. Like Netty's
 * {@code HttpServerKeepAliveHandler}, but a {@code 304} (which has no content, RFC 9110 section 15.4.5)
 * keeps the connection open too. Reads {@link HttpRequest}s to learn whether the client wants to keep the
 * connection; on the last response to a request that does not (or a response that says
 * {@code Connection: close}, or one whose end only a close can mark) it closes after the response's last
 * content is written (see {@link GracefulClose}). Passes every message on; releases nothing.
 */
final class KeepAliveHandler extends ChannelDuplexHandler {

    private boolean persistent = true;
    private int pendingResponses;
    private boolean closeAfterLast;

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (msg instanceof HttpRequest request) {
            pendingResponses++;
            persistent = HttpUtil.isKeepAlive(request);
        }
        ctx.fireChannelRead(msg);
    }

    @Override
    public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
        if (msg instanceof HttpResponse response && response.status().codeClass() != HttpStatusClass.INFORMATIONAL) {
            pendingResponses--;
            boolean keep = persistent && HttpUtil.isKeepAlive(response) && hasSelfDefinedLength(response);
            if (!keep) {
                response.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
                closeAfterLast = true;
            } else if (!response.protocolVersion().isKeepAliveDefault()) {
                response.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.KEEP_ALIVE);
            }
        }
        if (msg instanceof LastHttpContent && closeAfterLast && pendingResponses <= 0) {
            GracefulClose.afterWrite(ctx.write(msg, promise.unvoid()));
            return;
        }
        ctx.write(msg, promise);
    }

    /** Closes a connection that {@code IdleStateHandler} found idle, unless a response is still due. */
    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
        if (evt instanceof IdleStateEvent && pendingResponses <= 0) {
            ctx.close();
            return;
        }
        ctx.fireUserEventTriggered(evt);
    }

    private static boolean hasSelfDefinedLength(HttpResponse response) {
        int code = response.status().code();
        return HttpUtil.isContentLengthSet(response) || HttpUtil.isTransferEncodingChunked(response)
                || code == 204 || code == 304;
    }
}

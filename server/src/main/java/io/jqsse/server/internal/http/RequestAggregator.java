package io.jqsse.server.internal.http;

import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpMessage;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.util.ReferenceCountUtil;

/**
 * An {@link HttpObjectAggregator} that answers a body above {@code MAX_REQUEST_SIZE_MB} with the go-sse
 * envelope {@code 413 request_too_large} instead of Netty's bare 413, then closes the connection (the rest
 * of the body is never read). Sits after the keep-alive handler and before CORS; emits
 * {@link io.netty.handler.codec.http.FullHttpRequest}s that the next handler owns.
 */
final class RequestAggregator extends HttpObjectAggregator {

    private final long maxRequestBytes;

    RequestAggregator(long maxRequestBytes) {
        super((int) Math.min(Integer.MAX_VALUE, maxRequestBytes), true);
        this.maxRequestBytes = maxRequestBytes;
    }

    @Override
    protected Object newContinueResponse(HttpMessage start, int maxContentLength, ChannelPipeline pipeline) {
        Object response = super.newContinueResponse(start, maxContentLength, pipeline);
        if (response instanceof HttpResponse r
                && r.status().code() == HttpResponseStatus.REQUEST_ENTITY_TOO_LARGE.code()) {
            ReferenceCountUtil.release(response);
            return tooLarge(pipeline.channel().alloc());
        }
        return response;
    }

    @Override
    protected void handleOversizedMessage(ChannelHandlerContext ctx, HttpMessage oversized) throws Exception {
        if (oversized instanceof HttpRequest) {
            GracefulClose.afterWrite(ctx.writeAndFlush(tooLarge(ctx.alloc())));
        } else {
            super.handleOversizedMessage(ctx, oversized);
        }
    }

    private FullHttpResponse tooLarge(ByteBufAllocator alloc) {
        ApiException e = new ApiException(HttpResponseStatus.REQUEST_ENTITY_TOO_LARGE, "request_too_large",
                "body: larger than " + maxRequestBytes + " bytes (expected: at most MAX_REQUEST_SIZE_MB)");
        FullHttpResponse response = Responses.error(alloc, e);
        response.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
        return response;
    }
}

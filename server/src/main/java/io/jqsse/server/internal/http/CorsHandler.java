package io.jqsse.server.internal.http;

import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.util.AttributeKey;
import java.util.List;

/**
 * CORS (WHATWG Fetch, section 3.2) between the aggregator and the router. Consumes preflights
 * ({@code OPTIONS} with {@code Origin} and {@code Access-Control-Request-Method}): answers them 204 and
 * releases them. Passes every other request on, remembering its {@code Origin}, and adds
 * {@code Access-Control-Allow-Origin} to the response written for it: {@code *} when
 * {@code CORS_ALLOWED_ORIGINS} is {@code *} (never with {@code Allow-Credentials}, which browsers reject
 * together with {@code *}), the origin itself with {@code Vary: Origin} when it is listed, nothing otherwise.
 *
 * <p>The allowed origin of the current request is also left in the channel attribute {@link #ALLOW_ORIGIN},
 * for the stream engine, which removes this handler before it writes its response head.
 */
final class CorsHandler extends ChannelDuplexHandler {

    /** The {@code Access-Control-Allow-Origin} value for the request being served, or null. */
    static final AttributeKey<String> ALLOW_ORIGIN = AttributeKey.valueOf(CorsHandler.class, "allowOrigin");

    static final String ALLOW_METHODS = "GET, POST, PUT, PATCH, DELETE, OPTIONS";
    static final String ALLOW_HEADERS = "Content-Type, Last-Event-ID, If-Match, If-None-Match, Authorization";
    static final String EXPOSE_HEADERS = "ETag, Last-Event-ID, Retry-After, Allow";
    static final String MAX_AGE_SECONDS = "600";

    private final List<String> allowedOrigins;
    private final boolean anyOrigin;
    private String pendingOrigin;

    CorsHandler(List<String> allowedOrigins) {
        this.allowedOrigins = List.copyOf(allowedOrigins);
        this.anyOrigin = allowedOrigins.contains("*");
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (!(msg instanceof FullHttpRequest request)) {
            ctx.fireChannelRead(msg);
            return;
        }
        String origin = request.headers().get(HttpHeaderNames.ORIGIN);
        pendingOrigin = origin == null ? null : allowOrigin(origin);
        ctx.channel().attr(ALLOW_ORIGIN).set(pendingOrigin);
        if (origin != null && HttpMethod.OPTIONS.equals(request.method())
                && request.headers().contains(HttpHeaderNames.ACCESS_CONTROL_REQUEST_METHOD)) {
            request.release();
            FullHttpResponse response = Responses.empty(ctx.alloc(), HttpResponseStatus.NO_CONTENT);
            if (pendingOrigin != null) {
                decorate(response.headers(), pendingOrigin);
                response.headers()
                        .set(HttpHeaderNames.ACCESS_CONTROL_ALLOW_METHODS, ALLOW_METHODS)
                        .set(HttpHeaderNames.ACCESS_CONTROL_ALLOW_HEADERS, ALLOW_HEADERS)
                        .set(HttpHeaderNames.ACCESS_CONTROL_MAX_AGE, MAX_AGE_SECONDS);
            }
            ctx.writeAndFlush(response);
            return;
        }
        ctx.fireChannelRead(request);
    }

    @Override
    public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
        if (msg instanceof HttpResponse response && pendingOrigin != null) {
            decorate(response.headers(), pendingOrigin);
        }
        ctx.write(msg, promise);
    }

    /** Adds the CORS response headers for {@code allowOrigin} (the value of {@link #ALLOW_ORIGIN}). */
    static void decorate(HttpHeaders headers, String allowOrigin) {
        headers.set(HttpHeaderNames.ACCESS_CONTROL_ALLOW_ORIGIN, allowOrigin)
                .set(HttpHeaderNames.ACCESS_CONTROL_EXPOSE_HEADERS, EXPOSE_HEADERS);
        if (!"*".equals(allowOrigin)) {
            headers.add(HttpHeaderNames.VARY, "Origin");
        }
    }

    private String allowOrigin(String origin) {
        if (anyOrigin) {
            return "*";
        }
        return allowedOrigins.contains(origin) ? origin : null;
    }
}

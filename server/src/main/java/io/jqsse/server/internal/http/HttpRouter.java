package io.jqsse.server.internal.http;

import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.PrematureChannelClosureException;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.QueryStringDecoder;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Last in the pipeline (named {@code "router"}): consumes {@link FullHttpRequest}s, dispatches them by path
 * and method, and writes exactly one response per request; every failure becomes an error envelope through
 * {@link ErrorMapping}. It releases each request once it has read it, except a {@code GET /events} that
 * the stream engine accepted: the engine then owns it and the channel.
 *
 * <p>Threading: runs on the channel's event loop and never blocks it; store writes complete elsewhere and
 * their responses hop back with {@code ctx.executor()}.
 */
@ChannelHandler.Sharable
final class HttpRouter extends SimpleChannelInboundHandler<FullHttpRequest> {

    private static final Logger log = LoggerFactory.getLogger(HttpRouter.class);

    private record Route(String path, List<HttpMethod> methods) {
        String allow() {
            StringBuilder sb = new StringBuilder();
            for (HttpMethod m : methods) {
                sb.append(sb.length() == 0 ? "" : ", ").append(m.name());
            }
            return sb.toString();
        }
    }

    private static final List<HttpMethod> READ = List.of(HttpMethod.GET, HttpMethod.HEAD, HttpMethod.OPTIONS);
    private static final Map<String, Route> ROUTES = Map.of(
            "/store", new Route("/store", List.of(HttpMethod.GET, HttpMethod.HEAD, HttpMethod.POST, HttpMethod.PUT,
                    HttpMethod.PATCH, HttpMethod.DELETE, HttpMethod.OPTIONS)),
            "/events", new Route("/events", List.of(HttpMethod.GET, HttpMethod.OPTIONS)),
            "/health", new Route("/health", READ),
            "/metrics", new Route("/metrics", READ),
            "/", new Route("/", READ));

    private final HttpApi api;
    private final StoreRoutes store;
    private final StatusRoutes status;

    HttpRouter(HttpApi api) {
        super(FullHttpRequest.class, false);
        this.api = api;
        this.store = new StoreRoutes(api);
        this.status = new StatusRoutes(api);
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest request) {
        api.count("http_requests_total");
        boolean handedOver = false;
        try {
            if (!request.decoderResult().isSuccess()) {
                respondAndClose(ctx, ErrorMapping.ofDecoderFailure(request.decoderResult().cause(),
                        api.config().maxInitialLineBytes(), api.config().maxHeaderBytes()));
                return;
            }
            handedOver = route(ctx, request);
        } catch (Exception | StackOverflowError e) {
            respond(ctx, ErrorMapping.of(e));
        } finally {
            if (!handedOver && request.refCnt() > 0) {
                request.release();
            }
        }
    }

    /** Returns true when the stream engine took the request over. */
    private boolean route(ChannelHandlerContext ctx, FullHttpRequest request) {
        QueryStringDecoder uri = new QueryStringDecoder(request.uri());
        try {
            uri.path();
            uri.parameters();
        } catch (IllegalArgumentException e) {
            throw new ApiException(HttpResponseStatus.BAD_REQUEST, "bad_request",
                    "uri: " + Responses.printable(request.uri()) + " (expected: valid percent-encoding)");
        }
        Route route = ROUTES.get(uri.path());
        if (route == null) {
            throw new ApiException(HttpResponseStatus.NOT_FOUND, "not_found",
                    "path: " + uri.path() + " (expected: one of /events, /store, /health, /metrics, /)");
        }
        HttpMethod method = request.method();
        if (!route.methods().contains(method)) {
            throw new ApiException(HttpResponseStatus.METHOD_NOT_ALLOWED, "method_not_allowed",
                    "method: " + method + " (expected: " + route.allow() + ")",
                    Map.of(HttpHeaderNames.ALLOW.toString(), route.allow()));
        }
        if (HttpMethod.HEAD.equals(method)) {
            // answered as GET; the codec's encoder drops the content of a response to HEAD (RFC 9110 9.3.2)
            request.setMethod(HttpMethod.GET);
        }
        if (HttpMethod.OPTIONS.equals(method)) {
            FullHttpResponse response = Responses.empty(ctx.alloc(), HttpResponseStatus.NO_CONTENT);
            response.headers().set(HttpHeaderNames.ALLOW, route.allow());
            write(ctx, response);
            return false;
        }
        switch (route.path()) {
            case "/events" -> {
                api.engine().open(ctx, request);
                return true;
            }
            case "/store" -> store.serve(ctx, request, uri, this::write);
            case "/health" -> write(ctx, status.health(ctx.alloc()));
            case "/metrics" -> write(ctx, status.metrics(ctx.alloc(), request));
            default -> write(ctx, status.page(ctx.alloc()));
        }
        return false;
    }

    /** Writes a response on the channel's event loop, counting it by status class. */
    void write(ChannelHandlerContext ctx, FullHttpResponse response) {
        int code = response.status().code();
        if (code >= 400) {
            api.count(code >= 500 ? "http_responses_5xx_total" : "http_responses_4xx_total");
        }
        ctx.writeAndFlush(response).addListener(f -> {
            if (!f.isSuccess()) {
                // the client went away before its response: not the server's failure
                log.debug("response to {} not written: {}", ctx.channel(), f.cause().toString());
                ctx.channel().close();
            }
        });
    }

    private void respond(ChannelHandlerContext ctx, ApiException e) {
        write(ctx, Responses.error(ctx.alloc(), e));
    }

    private void respondAndClose(ChannelHandlerContext ctx, ApiException e) {
        FullHttpResponse response = Responses.error(ctx.alloc(), e);
        response.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
        api.count("http_responses_4xx_total");
        GracefulClose.afterWrite(ctx.writeAndFlush(response));
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        if (cause instanceof IOException || cause instanceof PrematureChannelClosureException) {
            // the peer went away (mid-body, for the aggregator's exception): nothing to fix here
            log.debug("connection {} failed: {}", ctx.channel(), cause.toString());
        } else {
            log.warn("closing connection {} after an unexpected failure", ctx.channel(), cause);
        }
        ctx.close();
    }
}

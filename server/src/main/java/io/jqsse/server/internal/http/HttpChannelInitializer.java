package io.jqsse.server.internal.http;

import io.jqsse.server.ServerConfig;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.codec.http.HttpDecoderConfig;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.timeout.IdleStateHandler;
import java.util.concurrent.TimeUnit;

/**
 * Builds the pipeline of one HTTP connection, and nothing else does:
 * <pre>
 * "conn-limit" ConnectionLimitHandler   (shared; stays on stream channels)
 * "http"       HttpServerCodec          (MAX_URI_LENGTH, MAX_HEADER_SIZE_KB)
 * "budget"     BodyBudget               (shared pool: MAX_BUFFERED_REQUESTS_MB, 503 server_busy)
 * "idle"       IdleStateHandler         (HTTP_IDLE_TIMEOUT_SECONDS without traffic)
 * "keep-alive" KeepAliveHandler         (persistent connections; closes idle ones)
 * "aggregator" RequestAggregator        (MAX_REQUEST_SIZE_MB, 413 request_too_large)
 * "sequencer"  RequestSequencer         (one request at a time, responses in order)
 * "cors"       CorsHandler              (CORS_ALLOWED_ORIGINS)
 * "router"     HttpRouter               (shared)
 * </pre>
 * The stream engine removes {@code "http"} and everything after it when it takes a channel over for
 * {@code GET /events}; handlers that must stay on streams go before {@code "http"}.
 */
public final class HttpChannelInitializer extends ChannelInitializer<Channel> {

    public static final String CONN_LIMIT = "conn-limit";
    public static final String HTTP = "http";
    public static final String ROUTER = "router";
    /** Counts the requests that {@link BodyBudget} refused with 503 {@code server_busy}. */
    static final String REFUSED_BUSY_COUNTER = "requests_refused_busy_total";
    /**
     * A request connection without traffic this long is closed; stream connections lose this handler
     * with the others after {@code "http"} and keep their own heartbeat.
     */
    public static final long HTTP_IDLE_TIMEOUT_SECONDS = 60;

    private final HttpApi api;
    private final HttpRouter router;

    /** Every channel this initializer builds shares {@code api}, and with it the server's pool of buffered request bodies. */
    public HttpChannelInitializer(HttpApi api) {
        this.api = api;
        this.router = new HttpRouter(api);
    }

    @Override
    protected void initChannel(Channel ch) {
        ServerConfig config = api.config();
        HttpDecoderConfig decoder = new HttpDecoderConfig()
                .setMaxInitialLineLength(config.maxInitialLineBytes())
                .setMaxHeaderSize(config.maxHeaderBytes());
        ChannelPipeline p = ch.pipeline();
        p.addLast(CONN_LIMIT, api.connections());
        p.addLast(HTTP, new HttpServerCodec(decoder));
        p.addLast("budget", new BodyBudget(api.bodies(), config.maxRequestBytes(),
                () -> api.count(REFUSED_BUSY_COUNTER)));
        p.addLast("idle", new IdleStateHandler(0, 0, HTTP_IDLE_TIMEOUT_SECONDS, TimeUnit.SECONDS));
        p.addLast("keep-alive", new KeepAliveHandler());
        p.addLast("aggregator", new RequestAggregator(config.maxRequestBytes()));
        p.addLast("sequencer", new RequestSequencer());
        p.addLast("cors", new CorsHandler(config.corsAllowedOrigins()));
        p.addLast(ROUTER, router);
    }
}

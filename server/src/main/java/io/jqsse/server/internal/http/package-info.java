/**
 * The HTTP/1.1 layer: the pipeline ({@link io.jqsse.server.internal.http.HttpChannelInitializer}), connection
 * limiting, request aggregation, CORS, the router and the {@code /store}, {@code /health}, {@code /metrics}
 * and {@code /} routes. Every failure becomes a go-sse error envelope through
 * {@link io.jqsse.server.internal.http.ErrorMapping}; {@code GET /events} is handed to the stream engine.
 */
package io.jqsse.server.internal.http;

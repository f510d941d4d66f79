package io.jqsse.server.internal.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * Builds the responses of the HTTP layer: the go-sse envelopes and raw JSON bodies. Every method returns a
 * response whose content the caller owns until it writes it.
 */
final class Responses {

    static final String APPLICATION_JSON = "application/json";

    private Responses() {
    }

    /** {@code body} as JSON with {@code Content-Length}. */
    static FullHttpResponse json(ByteBufAllocator alloc, HttpResponseStatus status, JsonNode body) {
        return withBody(status, Json.write(alloc, body), APPLICATION_JSON);
    }

    /** The go-sse success envelope {@code {"status":"success","data":...,"message":...}}. */
    static FullHttpResponse success(ByteBufAllocator alloc, HttpResponseStatus status, JsonNode data,
                                    String message) {
        ObjectNode body = Json.object();
        body.put("status", "success");
        body.set("data", data);
        body.put("message", message);
        return json(alloc, status, body);
    }

    /** The go-sse error envelope {@code {"error":...,"code":...,"message":...}} with the exception's headers. */
    static FullHttpResponse error(ByteBufAllocator alloc, ApiException e) {
        FullHttpResponse response = json(alloc, e.status(), errorBody(e));
        for (Map.Entry<String, String> h : e.headers().entrySet()) {
            response.headers().set(h.getKey(), h.getValue());
        }
        return response;
    }

    static ObjectNode errorBody(ApiException e) {
        ObjectNode body = Json.object();
        body.put("error", e.error());
        body.put("code", e.status().code());
        body.put("message", e.getMessage());
        return body;
    }

    /** A text body in UTF-8. */
    static FullHttpResponse text(ByteBufAllocator alloc, HttpResponseStatus status, String contentType,
                                 CharSequence text) {
        ByteBuf buf = alloc.buffer(text.length());
        buf.writeCharSequence(text, StandardCharsets.UTF_8);
        return withBody(status, buf, contentType);
    }

    /** A response without a body ({@code 204}, {@code 304}). */
    static FullHttpResponse empty(ByteBufAllocator alloc, HttpResponseStatus status) {
        FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, status, alloc.buffer(0));
        if (status.code() != 304 && status.code() != 204) {
            response.headers().set(HttpHeaderNames.CONTENT_LENGTH, 0);
        }
        return response;
    }

    private static FullHttpResponse withBody(HttpResponseStatus status, ByteBuf content, String contentType) {
        FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, status, content);
        response.headers()
                .set(HttpHeaderNames.CONTENT_TYPE, contentType)
                .set(HttpHeaderNames.CONTENT_LENGTH, content.readableBytes())
                .set(HttpHeaderNames.CACHE_CONTROL, HttpHeaderValues.NO_STORE);
        return response;
    }

    /** {@code text} cut to 200 characters with control characters escaped, for error messages. */
    static String printable(String text) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < text.length() && sb.length() < 200; i++) {
            char c = text.charAt(i);
            if (c < 0x20 || c == 0x7f) {
                sb.append(String.format("\\x%02x", (int) c));
            } else {
                sb.append(c);
            }
        }
        return text.length() > 200 ? sb + "..." : sb.toString();
    }
}

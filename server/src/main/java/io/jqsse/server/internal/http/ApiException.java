package io.jqsse.server.internal.http;

import io.netty.handler.codec.http.HttpResponseStatus;
import java.util.Map;

/**
 * A request that cannot be served, as the go-sse error envelope will say it:
 * {@code {"error": error, "code": status, "message": message}}. Thrown anywhere below the router,
 * which is the one place that renders it. {@code headers} are added to the response (e.g.
 * {@code Allow}, {@code ETag}, {@code Retry-After}).
 */
public final class ApiException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final HttpResponseStatus status;
    private final String error;
    private final transient Map<String, String> headers;

    public ApiException(HttpResponseStatus status, String error, String message) {
        this(status, error, message, Map.of());
    }

    public ApiException(HttpResponseStatus status, String error, String message, Map<String, String> headers) {
        super(message, null, false, false);
        this.status = status;
        this.error = error;
        this.headers = Map.copyOf(headers);
    }

    public HttpResponseStatus status() {
        return status;
    }

    /** The machine-readable type, e.g. {@code invalid_filter}. */
    public String error() {
        return error;
    }

    public Map<String, String> headers() {
        return headers;
    }
}

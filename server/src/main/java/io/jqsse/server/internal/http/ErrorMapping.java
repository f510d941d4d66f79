package io.jqsse.server.internal.http;

import io.jqsse.jq.FilterEvaluationException;
import io.jqsse.jq.FilterSyntaxException;
import io.jqsse.store.DocumentTooLargeException;
import io.jqsse.store.InvalidPatchException;
import io.jqsse.store.PathConflictException;
import io.jqsse.store.PathNotFoundException;
import io.jqsse.store.PreconditionFailedException;
import io.jqsse.store.StoreUnavailableException;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.TooLongHttpHeaderException;
import io.netty.handler.codec.http.TooLongHttpLineException;
import java.util.Map;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one place where failures of the layers below (stores, filters, the HTTP decoder) become HTTP
 * statuses and go-sse error types. Anything it does not know is a bug: 500 {@code internal_error},
 * logged with its stack trace, its message not shown to the client.
 */
final class ErrorMapping {

    private static final Logger log = LoggerFactory.getLogger(ErrorMapping.class);
    /** Seconds a client should wait before retrying a 503. */
    static final String RETRY_AFTER_SECONDS = "1";

    private ErrorMapping() {
    }

    /** The API error for {@code failure}, unwrapping {@link CompletionException}s. */
    static ApiException of(Throwable failure) {
        Throwable t = unwrap(failure);
        if (t instanceof ApiException api) {
            return api;
        }
        if (t instanceof PreconditionFailedException e) {
            return new ApiException(HttpResponseStatus.PRECONDITION_FAILED, "precondition_failed", e.getMessage(),
                    Map.of(HttpHeaderNames.ETAG.toString(), e.currentEtag()));
        }
        if (t instanceof PathConflictException) {
            return new ApiException(HttpResponseStatus.CONFLICT, "path_conflict", t.getMessage());
        }
        if (t instanceof PathNotFoundException) {
            return new ApiException(HttpResponseStatus.NOT_FOUND, "not_found", t.getMessage());
        }
        if (t instanceof InvalidPatchException) {
            return new ApiException(HttpResponseStatus.BAD_REQUEST, "invalid_patch", t.getMessage());
        }
        if (t instanceof DocumentTooLargeException) {
            return new ApiException(HttpResponseStatus.REQUEST_ENTITY_TOO_LARGE, "document_too_large", t.getMessage());
        }
        if (t instanceof StoreUnavailableException) {
            return storeUnavailable(t.getMessage());
        }
        if (t instanceof FilterSyntaxException) {
            return new ApiException(HttpResponseStatus.BAD_REQUEST, "invalid_filter", t.getMessage());
        }
        if (t instanceof FilterEvaluationException) {
            return new ApiException(HttpResponseStatus.UNPROCESSABLE_ENTITY, "filter_failed", t.getMessage());
        }
        log.warn("unexpected failure while serving a request", t);
        return new ApiException(HttpResponseStatus.INTERNAL_SERVER_ERROR, "internal_error",
                "the server failed to handle the request; see its log");
    }

    /** A path parameter ({@code path=} of a write or of {@code GET /store}) that does not parse. */
    static ApiException invalidPath(String parameter, String value, Throwable failure) {
        Throwable t = unwrap(failure);
        if (t instanceof FilterSyntaxException || t instanceof IllegalArgumentException) {
            String message = String.valueOf(t.getMessage());
            if (message.startsWith("filter: ")) {
                message = parameter + ": " + message.substring("filter: ".length());
            } else if (!message.startsWith(parameter + ": ")) {
                message = parameter + ": " + value + " (" + message + ")";
            }
            return new ApiException(HttpResponseStatus.BAD_REQUEST, "invalid_path", message);
        }
        return of(t);
    }

    /** 503 {@code store_unavailable} with {@code Retry-After}. */
    static ApiException storeUnavailable(String reason) {
        return new ApiException(HttpResponseStatus.SERVICE_UNAVAILABLE, "store_unavailable", reason,
                Map.of(HttpHeaderNames.RETRY_AFTER.toString(), RETRY_AFTER_SECONDS));
    }

    /**
     * A request the HTTP decoder rejected: 414 for a request line above {@code MAX_URI_LENGTH}, 431 for a
     * header block above {@code MAX_HEADER_SIZE_KB}, 400 otherwise (RFC 9110 section 15.5, RFC 6585 section 5).
     */
    static ApiException ofDecoderFailure(Throwable cause, int maxInitialLineBytes, int maxHeaderBytes) {
        if (cause instanceof TooLongHttpLineException) {
            return new ApiException(HttpResponseStatus.REQUEST_URI_TOO_LONG, "uri_too_long",
                    "request line: longer than " + maxInitialLineBytes + " bytes (expected: at most "
                            + maxInitialLineBytes + ")");
        }
        if (cause instanceof TooLongHttpHeaderException) {
            return new ApiException(HttpResponseStatus.REQUEST_HEADER_FIELDS_TOO_LARGE, "headers_too_large",
                    "headers: larger than " + maxHeaderBytes + " bytes (expected: at most " + maxHeaderBytes + ")");
        }
        String detail = cause == null || cause.getMessage() == null ? "malformed request" : cause.getMessage();
        return new ApiException(HttpResponseStatus.BAD_REQUEST, "bad_request",
                "request: not valid HTTP/1.1 (" + detail + ")");
    }

    private static Throwable unwrap(Throwable t) {
        while ((t instanceof CompletionException || t instanceof ExecutionException) && t.getCause() != null) {
            t = t.getCause();
        }
        return t;
    }
}

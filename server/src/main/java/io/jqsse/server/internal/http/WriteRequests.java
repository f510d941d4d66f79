package io.jqsse.server.internal.http;

import io.jqsse.jq.FilterCompiler;
import io.jqsse.store.Path;
import io.jqsse.store.Write;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.QueryStringDecoder;
import java.util.List;
import java.util.Locale;

/**
 * Turns a {@code POST|PUT|PATCH|DELETE /store} request into a {@link Write}, checking in this order: the
 * {@code Content-Type} (415), the {@code path} parameter (400 {@code missing_parameter}, then
 * {@code invalid_path}), the body (400 {@code invalid_json}). A body that becomes a document or a
 * value ({@code POST}, {@code PUT}, merge {@code PATCH}) comes {@link io.jqsse.store.Measured}, so the
 * store checks its size limit without walking it again. Does not release the request.
 */
final class WriteRequests {

    static final String MERGE_PATCH = "application/merge-patch+json";
    static final String JSON_PATCH = "application/json-patch+json";

    private WriteRequests() {
    }

    static Write parse(FullHttpRequest request, QueryStringDecoder uri) {
        HttpMethod method = request.method();
        String pathText = param(uri, "path", null);
        if (HttpMethod.DELETE.equals(method)) {
            return new Write.Delete(path(required(pathText, method)));
        }
        String mime = jsonMimeType(request);
        if (HttpMethod.POST.equals(method)) {
            if (pathText != null && !pathText.trim().equals(".")) {
                throw new ApiException(HttpResponseStatus.BAD_REQUEST, "invalid_path", "path: " + pathText
                        + " (expected: none or '.', POST replaces the whole document; use PUT or PATCH for a path)");
            }
            return new Write.Replace(Json.parseMeasured(request.content()));
        }
        if (HttpMethod.PATCH.equals(method) && MERGE_PATCH.equals(mime)) {
            Path at = path(pathText == null ? "." : pathText);
            return new Write.Merge(at, Json.parseMeasured(request.content()));
        }
        if (HttpMethod.PATCH.equals(method) && JSON_PATCH.equals(mime)) {
            Path at = path(pathText == null ? "." : pathText);
            return new Write.Patch(at, Json.parse(request.content()));
        }
        Path at = path(required(pathText, method));
        return new Write.Set(at, Json.parseMeasured(request.content()));
    }

    /** The first value of query parameter {@code name}, or {@code fallback}. */
    static String param(QueryStringDecoder uri, String name, String fallback) {
        List<String> values = uri.parameters().get(name);
        return values == null || values.isEmpty() ? fallback : values.get(0);
    }

    /**
     * The lower-cased media type when it is JSON ({@code application/json} or {@code application/*+json},
     * parameters allowed, RFC 6839 section 3.1).
     *
     * @throws ApiException 415 {@code invalid_content_type} otherwise
     */
    static String jsonMimeType(FullHttpRequest request) {
        String header = request.headers().get(HttpHeaderNames.CONTENT_TYPE);
        CharSequence mime = header == null ? null : HttpUtil.getMimeType(header);
        String type = mime == null ? "" : mime.toString().trim().toLowerCase(Locale.ROOT);
        boolean json = type.equals("application/json")
                || (type.startsWith("application/") && type.endsWith("+json") && type.indexOf('/') == 11);
        if (!json) {
            throw new ApiException(HttpResponseStatus.UNSUPPORTED_MEDIA_TYPE, "invalid_content_type",
                    "Content-Type: " + (header == null ? "(none)" : header)
                            + " (expected: application/json, application/merge-patch+json,"
                            + " application/json-patch+json or another application/*+json)");
        }
        return type;
    }

    private static String required(String pathText, HttpMethod method) {
        if (pathText == null || pathText.isBlank()) {
            throw new ApiException(HttpResponseStatus.BAD_REQUEST, "missing_parameter",
                    "path: (missing) (expected: a concrete jq path such as .data.users[0] for " + method + ")");
        }
        return pathText;
    }

    private static Path path(String text) {
        try {
            return Path.of(FilterCompiler.parseWritePath(text));
        } catch (RuntimeException e) {
            throw ErrorMapping.invalidPath("path", text, e);
        }
    }
}

package io.jqsse.server.internal.stream;

import io.jqsse.jq.Filter;
import io.jqsse.jq.FilterCompiler;
import io.jqsse.jq.FilterSyntaxException;
import io.jqsse.server.internal.http.ApiException;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.QueryStringDecoder;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The parameters of {@code GET /events}, validated (SPEC section 2): {@code filter} (repeatable, each
 * value split on top-level commas; {@code .} when absent), go-sse's {@code filter_key} /
 * {@code filter_value} (a {@code [key=value]} condition on the first filter), {@code initial_data},
 * and the resume point from the {@code Last-Event-ID} header or {@code last_event_id} parameter.
 *
 * @param filters      compiled filters, in request order, distinct texts
 * @param initialData  false when {@code initial_data=false}
 * @param resume       true when the client sent a resume point, usable or not
 * @param resumeEpoch  the epoch of the resume point, or null when none or unparseable
 * @param resumeRev    the rev of the resume point, or -1
 */
record StreamRequest(List<Filter> filters, boolean initialData, boolean resume, String resumeEpoch, long resumeRev) {

    static StreamRequest parse(HttpRequest request, FilterCompiler compiler, int maxFilters) {
        QueryStringDecoder q = new QueryStringDecoder(request.uri());
        Map<String, List<String>> params = q.parameters();
        List<String> texts = new ArrayList<>();
        for (String value : params.getOrDefault("filter", List.of())) {
            texts.addAll(FilterCompiler.splitTopLevel(value));
        }
        if (texts.isEmpty()) {
            texts.add(".");
        }
        String key = first(params, "filter_key");
        String value = first(params, "filter_value");
        if (key != null || value != null) {
            if (key == null || value == null || key.isEmpty()) {
                throw new ApiException(HttpResponseStatus.BAD_REQUEST, "missing_parameter",
                        "filter_key and filter_value: (expected: both, or neither)");
            }
            texts.set(0, withCondition(texts.get(0), key, value));
        }
        if (texts.size() > maxFilters) {
            throw new ApiException(HttpResponseStatus.BAD_REQUEST, "invalid_filter",
                    "filter: " + texts.size() + " filters (expected: at most " + maxFilters + ")");
        }
        List<Filter> filters = new ArrayList<>(texts.size());
        List<String> seen = new ArrayList<>(texts.size());
        for (String text : texts) {
            if (seen.contains(text)) {
                continue;
            }
            seen.add(text);
            try {
                filters.add(compiler.compile(text));
            } catch (FilterSyntaxException e) {
                throw new ApiException(HttpResponseStatus.BAD_REQUEST, "invalid_filter", e.getMessage());
            }
        }
        String initial = first(params, "initial_data");
        boolean initialData = initial == null || !initial.equalsIgnoreCase("false");
        String last = request.headers().get("Last-Event-ID");
        if (last == null) {
            last = first(params, "last_event_id");
        }
        String epoch = null;
        long rev = -1;
        if (last != null) {
            int colon = last.lastIndexOf(':');
            if (colon > 0) {
                try {
                    rev = Long.parseLong(last.substring(colon + 1).trim());
                    epoch = last.substring(0, colon).trim();
                } catch (NumberFormatException e) {
                    rev = -1;
                }
            }
            if (rev < 0) {
                epoch = null;
                rev = -1;
            }
        }
        return new StreamRequest(List.copyOf(filters), initialData, last != null, epoch, rev);
    }

    private static String first(Map<String, List<String>> params, String name) {
        List<String> v = params.get(name);
        return v == null || v.isEmpty() ? null : v.get(0);
    }

    /**
     * go-sse's {@code filter_key}/{@code filter_value} on a filter: {@code .users} and
     * {@code .users[*]} (or {@code []}) both become {@code .users[key=value]}.
     */
    static String withCondition(String filter, String key, String value) {
        String base = filter.endsWith("[*]") ? filter.substring(0, filter.length() - 3)
                : filter.endsWith("[]") ? filter.substring(0, filter.length() - 2) : filter;
        String k = key.matches("[A-Za-z0-9_\\-]+") ? key : quote(key);
        return base + "[" + k + "=" + quote(value) + "]";
    }

    /** A go-sse condition key or value as the filter language reads it: bare when it is a plain word. */
    private static String quote(String value) {
        if (value.matches("[A-Za-z0-9_\\-]+")) {
            return value;
        }
        StringBuilder sb = new StringBuilder("\"");
        for (char c : value.toCharArray()) {
            if (c == '"' || c == '\\') {
                sb.append('\\');
            }
            sb.append(c);
        }
        return sb.append('"').toString();
    }
}

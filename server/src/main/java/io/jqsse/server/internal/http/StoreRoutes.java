package io.jqsse.server.internal.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.jqsse.jq.Filter;
import io.jqsse.jq.Location;
import io.jqsse.jq.PathFilter;
import io.jqsse.store.Commit;
import io.jqsse.store.Path;
import io.jqsse.store.Snapshot;
import io.jqsse.store.Write;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.QueryStringDecoder;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.BiConsumer;

/**
 * {@code GET|POST|PUT|PATCH|DELETE /store} (SPEC section 2). Reads run on the event loop against the
 * store's latest snapshot; writes parse and validate the request on the event loop, hand a {@link Write}
 * to the store, and respond when its stage completes. Never releases the request: the router does.
 */
final class StoreRoutes {

    private final HttpApi api;

    StoreRoutes(HttpApi api) {
        this.api = api;
    }

    void serve(ChannelHandlerContext ctx, FullHttpRequest request, QueryStringDecoder uri,
               BiConsumer<ChannelHandlerContext, FullHttpResponse> respond) {
        if (HttpMethod.GET.equals(request.method())) {
            respond.accept(ctx, read(ctx, request, uri));
            return;
        }
        Write write = WriteRequests.parse(request, uri);
        long expectedRev = Preconditions.expectedRev(request, api.store().snapshot());
        int sizeBytes = request.content().readableBytes();
        api.count("store_writes_total");
        // tracked from before the store sees the write until its answer is written, so that a
        // shutdown starting in between waits for it (SPEC section 7: writes in flight finish)
        CompletableFuture<Void> answered = api.beginWrite();
        api.store().write(write, expectedRev).whenComplete((commit, failure) -> {
            Runnable answer = () -> {
                try {
                    respond.accept(ctx, answer(ctx, write, commit, failure, sizeBytes));
                } finally {
                    answered.complete(null);
                }
            };
            if (ctx.executor().inEventLoop()) {
                answer.run();
                return;
            }
            try {
                ctx.executor().execute(answer);
            } catch (RejectedExecutionException e) {
                answered.complete(null);
                ctx.channel().close();
            }
        });
    }

    private FullHttpResponse read(ChannelHandlerContext ctx, FullHttpRequest request, QueryStringDecoder uri) {
        String text = WriteRequests.param(uri, "path", ".");
        boolean pattern = "true".equalsIgnoreCase(WriteRequests.param(uri, "pattern", "false"));
        Filter filter;
        try {
            filter = api.compiler().compile(text);
        } catch (RuntimeException e) {
            throw ErrorMapping.invalidPath("path", text, e);
        }
        Snapshot snapshot = api.store().snapshot();
        if (Preconditions.notModified(request, snapshot)) {
            FullHttpResponse response = Responses.empty(ctx.alloc(), HttpResponseStatus.NOT_MODIFIED);
            response.headers().set(HttpHeaderNames.ETAG, snapshot.etag());
            return response;
        }
        JsonNode body = pattern ? locations(filter, text, snapshot.document()) : view(filter, text, snapshot.document());
        FullHttpResponse response = Responses.json(ctx.alloc(), HttpResponseStatus.OK, body);
        response.headers().set(HttpHeaderNames.ETAG, snapshot.etag());
        return response;
    }

    private static JsonNode view(Filter filter, String text, JsonNode document) {
        if (filter instanceof PathFilter path && path.singular()) {
            List<Location> at = path.locations(document);
            if (at.isEmpty() || resolve(document, at.get(0).path()) == null) {
                throw new ApiException(HttpResponseStatus.NOT_FOUND, "not_found",
                        "path: " + text + " (expected: a location that exists in the document)");
            }
            return at.get(0).value();
        }
        return filter.view(document).value();
    }

    private static JsonNode locations(Filter filter, String text, JsonNode document) {
        if (!(filter instanceof PathFilter path)) {
            throw new ApiException(HttpResponseStatus.BAD_REQUEST, "invalid_path",
                    "path: " + text + " (expected: a path filter with pattern=true, not a computed expression)");
        }
        ArrayNode out = JsonNodeFactory.instance.arrayNode();
        for (Location location : path.locations(document)) {
            if (resolve(document, location.path()) == null) {
                continue;
            }
            ObjectNode item = out.addObject();
            item.put("path", Path.of(location.path()).toString());
            item.set("value", location.value());
        }
        return out;
    }

    /** The node at {@code segments}, negative indices counted from the end; null when absent. */
    static JsonNode resolve(JsonNode document, List<Object> segments) {
        JsonNode node = document;
        for (Object segment : segments) {
            if (segment instanceof String key) {
                node = node.isObject() ? node.get(key) : null;
            } else {
                int index = (Integer) segment;
                node = node.isArray() ? node.get(index < 0 ? node.size() + index : index) : null;
            }
            if (node == null) {
                return null;
            }
        }
        return node;
    }

    private FullHttpResponse answer(ChannelHandlerContext ctx, Write write, Commit commit, Throwable failure,
                                    int sizeBytes) {
        try {
            return failure == null ? written(ctx, write, commit, sizeBytes)
                    : Responses.error(ctx.alloc(), ErrorMapping.of(failure));
        } catch (RuntimeException e) {
            return Responses.error(ctx.alloc(), ErrorMapping.of(e));
        }
    }

    private FullHttpResponse written(ChannelHandlerContext ctx, Write write, Commit commit, int sizeBytes) {
        ObjectNode data = Json.object();
        data.put("size_bytes", sizeBytes);
        data.put("timestamp", commit.timeMillis() / 1000);
        data.put("rev", commit.rev());
        FullHttpResponse response = Responses.success(ctx.alloc(), HttpResponseStatus.OK, data, describe(write));
        response.headers().set(HttpHeaderNames.ETAG, Preconditions.etag(commit.epoch(), commit.rev()));
        return response;
    }

    private static String describe(Write write) {
        if (write instanceof Write.Replace) {
            return "document replaced";
        } else if (write instanceof Write.Set set) {
            return "value set at " + set.path();
        } else if (write instanceof Write.Merge merge) {
            return "merge patch applied at " + merge.path();
        } else if (write instanceof Write.Patch patch) {
            return "JSON patch applied at " + patch.path();
        }
        return "value deleted at " + ((Write.Delete) write).path();
    }
}

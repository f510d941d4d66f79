package io.jqsse.server.internal.http;

import io.jqsse.store.DocumentStore;
import io.jqsse.store.Snapshot;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpResponseStatus;
import java.util.Map;

/**
 * Conditional requests (RFC 9110 section 13) over the entity tag {@code "<epoch>:<rev>"}: {@code If-Match}
 * on writes becomes the store's expected revision, {@code If-None-Match} on reads gives 304.
 */
final class Preconditions {

    private Preconditions() {
    }

    /** The entity tag {@code "<epoch>:<rev>"}, quotes included. */
    static String etag(String epoch, long rev) {
        return "\"" + epoch + ":" + rev + "\"";
    }

    /**
     * The revision a write must find, from {@code If-Match}: {@link DocumentStore#ANY_REV} without one or
     * for {@code *}.
     *
     * @throws ApiException 412 {@code precondition_failed} with the current {@code ETag} when no listed tag
     *                      belongs to the current epoch or a tag is malformed
     */
    static long expectedRev(FullHttpRequest request, Snapshot current) {
        String header = request.headers().get(HttpHeaderNames.IF_MATCH);
        if (header == null || header.isBlank() || header.trim().equals("*")) {
            return DocumentStore.ANY_REV;
        }
        long candidate = Long.MIN_VALUE;
        for (String raw : header.split(",")) {
            long rev = revOf(raw, current.epoch());
            if (rev == current.rev()) {
                return rev;
            }
            if (rev >= 0 && candidate == Long.MIN_VALUE) {
                candidate = rev;
            }
        }
        if (candidate == Long.MIN_VALUE) {
            throw failed(header, current);
        }
        return candidate;
    }

    /** True when {@code If-None-Match} lists the snapshot's tag (weak comparison) or is {@code *}. */
    static boolean notModified(FullHttpRequest request, Snapshot current) {
        String header = request.headers().get(HttpHeaderNames.IF_NONE_MATCH);
        if (header == null) {
            return false;
        }
        if (header.trim().equals("*")) {
            return true;
        }
        for (String raw : header.split(",")) {
            if (revOf(raw, current.epoch()) == current.rev()) {
                return true;
            }
        }
        return false;
    }

    static ApiException failed(String header, Snapshot current) {
        return new ApiException(HttpResponseStatus.PRECONDITION_FAILED, "precondition_failed",
                "If-Match: " + header + " (expected: the current ETag " + current.etag() + ")",
                Map.of(HttpHeaderNames.ETAG.toString(), current.etag()));
    }

    /** The revision of {@code tag} when it is {@code "<epoch>:<rev>"} of {@code epoch}, else -1. */
    private static long revOf(String tag, String epoch) {
        String t = tag.trim();
        if (t.startsWith("W/")) {
            t = t.substring(2);
        }
        if (t.length() < 2 || t.charAt(0) != '"' || t.charAt(t.length() - 1) != '"') {
            return -1;
        }
        t = t.substring(1, t.length() - 1);
        int colon = t.lastIndexOf(':');
        if (colon < 0 || !t.substring(0, colon).equals(epoch)) {
            return -1;
        }
        try {
            long rev = Long.parseLong(t.substring(colon + 1));
            return rev < 0 ? -1 : rev;
        } catch (NumberFormatException e) {
            return -1;
        }
    }
}

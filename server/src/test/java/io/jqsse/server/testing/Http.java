package io.jqsse.server.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/** A small blocking HTTP client for tests of a server on 127.0.0.1. */
public final class Http {

    private static final ObjectMapper MAPPER = new ObjectMapper();
    private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final int port;

    public Http(int port) {
        this.port = port;
    }

    public HttpResponse<String> send(String method, String pathAndQuery, String contentType, String body) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + pathAndQuery))
                .timeout(Duration.ofSeconds(10));
        if (body == null) {
            b.method(method, HttpRequest.BodyPublishers.noBody());
        } else {
            b.method(method, HttpRequest.BodyPublishers.ofString(body)).header("Content-Type", contentType);
        }
        try {
            return client.send(b.build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** POST /store with a JSON body; fails unless 200. */
    public JsonNode post(String json) {
        return ok(send("POST", "/store", "application/json", json));
    }

    /** PATCH /store?path=P with a JSON body; fails unless 200. */
    public JsonNode patch(String path, String json) {
        return ok(send("PATCH", "/store?path=" + enc(path), "application/json", json));
    }

    /** PATCH with RFC 7396 merge semantics. */
    public JsonNode merge(String path, String json) {
        return ok(send("PATCH", "/store?path=" + enc(path), "application/merge-patch+json", json));
    }

    /** DELETE /store?path=P; fails unless 200. */
    public JsonNode delete(String path) {
        return ok(send("DELETE", "/store?path=" + enc(path), null, null));
    }

    /** GET /store?path=F, the view of filter F; fails unless 200. */
    public JsonNode view(String filter) {
        return ok(send("GET", "/store?path=" + enc(filter), null, null));
    }

    public static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    public static JsonNode json(String text) {
        try {
            return MAPPER.readTree(text);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static JsonNode ok(HttpResponse<String> r) {
        if (r.statusCode() != 200) {
            throw new AssertionError("HTTP " + r.statusCode() + " " + r.request().method() + " " + r.uri() + ": " + r.body());
        }
        return json(r.body());
    }
}

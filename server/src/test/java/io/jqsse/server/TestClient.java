package io.jqsse.server;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;

/** Talks to a server on 127.0.0.1 over real sockets: java.net.http for requests, raw bytes for broken ones. */
final class TestClient {

    static final ObjectMapper JSON = new ObjectMapper();
    static final Duration TIMEOUT = Duration.ofSeconds(10);

    /** A response: status, headers (first value, lower-case names) and body text. */
    record Reply(int status, Map<String, String> headers, String body) {
        JsonNode json() {
            try {
                return JSON.readTree(body);
            } catch (IOException e) {
                throw new UncheckedIOException("not JSON: " + body, e);
            }
        }

        Optional<String> header(String name) {
            return Optional.ofNullable(headers.get(name.toLowerCase(java.util.Locale.ROOT)));
        }

        /** Asserts the go-sse error envelope. */
        Reply assertError(int expectedStatus, String expectedError) {
            assertEquals(expectedStatus, status, body);
            JsonNode json = json();
            assertEquals(expectedError, json.path("error").asText(), body);
            assertEquals(expectedStatus, json.path("code").asInt(), body);
            return this;
        }
    }

    private final int port;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(TIMEOUT).build();

    TestClient(int port) {
        this.port = port;
    }

    URI uri(String pathAndQuery) {
        return URI.create("http://127.0.0.1:" + port + pathAndQuery);
    }

    Reply get(String pathAndQuery, String... headers) {
        return send("GET", pathAndQuery, null, null, headers);
    }

    /** Sends {@code body} (or nothing when null) with {@code contentType} (none when null). */
    Reply send(String method, String pathAndQuery, String contentType, String body, String... headers) {
        HttpRequest.Builder b = HttpRequest.newBuilder(uri(pathAndQuery)).timeout(TIMEOUT)
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8));
        if (contentType != null) {
            b.header("Content-Type", contentType);
        }
        for (int i = 0; i < headers.length; i += 2) {
            b.header(headers[i], headers[i + 1]);
        }
        try {
            HttpResponse<String> r = http.send(b.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
            Map<String, String> h = new java.util.HashMap<>();
            r.headers().map().forEach((k, v) -> h.put(k.toLowerCase(java.util.Locale.ROOT), v.get(0)));
            return new Reply(r.statusCode(), h, r.body());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    Reply json(String method, String pathAndQuery, String body, String... headers) {
        return send(method, pathAndQuery, "application/json", body, headers);
    }

    /**
     * Writes {@code request} on a new connection and reads until the server closes it (or the read times out),
     * returning everything received as ISO-8859-1 text.
     */
    String raw(String request) {
        return raw(request.getBytes(StandardCharsets.ISO_8859_1));
    }

    String raw(byte[] request) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", port), (int) TIMEOUT.toMillis());
            socket.setSoTimeout((int) TIMEOUT.toMillis());
            OutputStream out = socket.getOutputStream();
            out.write(request);
            out.flush();
            return readToEnd(socket.getInputStream());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static String readToEnd(InputStream in) throws IOException {
        ByteArrayOutputStream received = new ByteArrayOutputStream();
        byte[] buf = new byte[8192];
        try {
            for (int n; (n = in.read(buf)) >= 0; ) {
                received.write(buf, 0, n);
            }
        } catch (java.net.SocketException e) {
            // a reset after the response: what was received is the answer
            return received.toString(StandardCharsets.ISO_8859_1);
        }
        return received.toString(StandardCharsets.ISO_8859_1);
    }
}

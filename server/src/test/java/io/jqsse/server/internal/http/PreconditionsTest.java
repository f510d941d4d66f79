package io.jqsse.server.internal.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import io.jqsse.store.Snapshot;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpVersion;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class PreconditionsTest {

    static final Snapshot CURRENT = new Snapshot("ep", 5, JsonNodeFactory.instance.objectNode());

    @ParameterizedTest(name = "If-Match {0} -> {1}")
    @CsvSource(delimiter = '|', value = {
            "*|-1",
            "\"ep:5\"|5",
            "W/\"ep:5\"|5",
            "\"ep:4\"|4",
            "\"ep:4\", \"ep:5\"|5",
            "\"other:5\", \"ep:3\"|3"})
    void ifMatchBecomesTheExpectedRevision(String header, long expected) {
        assertEquals(expected, Preconditions.expectedRev(request("If-Match", header), CURRENT));
    }

    @ParameterizedTest(name = "If-Match {0} fails")
    @CsvSource(delimiter = '|', value = {"\"other:5\"", "ep:5", "\"ep:x\"", "\"ep:-2\""})
    void ifMatchWithoutATagOfTheCurrentEpochFailsAt412(String header) {
        ApiException e = assertThrows(ApiException.class,
                () -> Preconditions.expectedRev(request("If-Match", header), CURRENT));
        assertEquals(412, e.status().code());
        assertEquals("\"ep:5\"", e.headers().get("etag"));
    }

    @ParameterizedTest(name = "If-None-Match {0} -> {1}")
    @CsvSource(delimiter = '|', value = {"\"ep:5\"|true", "*|true", "W/\"ep:5\"|true", "\"ep:4\"|false",
            "\"x:1\", \"ep:5\"|true"})
    void ifNoneMatchWithTheCurrentTagIsNotModified(String header, boolean expected) {
        assertEquals(expected, Preconditions.notModified(request("If-None-Match", header), CURRENT));
    }

    private static FullHttpRequest request(String name, String value) {
        FullHttpRequest r = new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.PUT, "/store");
        r.headers().set(name, value);
        r.release();
        return r;
    }
}

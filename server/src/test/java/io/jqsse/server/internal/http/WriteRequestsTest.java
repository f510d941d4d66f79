package io.jqsse.server.internal.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.jqsse.store.Documents;
import io.jqsse.store.Measured;
import io.jqsse.store.Write;
import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.QueryStringDecoder;
import java.nio.charset.StandardCharsets;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class WriteRequestsTest {

    static Stream<Arguments> requests() {
        return Stream.of(
                Arguments.of("POST", "/store", "application/json", true),
                Arguments.of("PUT", "/store?path=.a", "application/json", true),
                Arguments.of("PATCH", "/store?path=.a", WriteRequests.MERGE_PATCH, true),
                Arguments.of("PATCH", "/store", WriteRequests.JSON_PATCH, false));
    }

    @ParameterizedTest(name = "{0} {1} {2}")
    @MethodSource("requests")
    void aBodyThatBecomesADocumentOrValueComesMeasuredAtItsWalkedSize(String method, String uri, String type,
                                                                     boolean measured) {
        String body = "[{\"op\":\"add\",\"path\":\"/x\",\"value\":\"caf\u00e9 \\n\"}]";
        FullHttpRequest request = new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.valueOf(method), uri,
                Unpooled.copiedBuffer(body, StandardCharsets.UTF_8));
        request.headers().set(HttpHeaderNames.CONTENT_TYPE, type);
        try {
            Write write = WriteRequests.parse(request, new QueryStringDecoder(uri));
            Measured size = write instanceof Write.Replace r ? r.measured()
                    : write instanceof Write.Set s ? s.measured()
                    : write instanceof Write.Merge m ? m.measured() : null;
            if (measured) {
                assertNotNull(size, write.toString());
                assertEquals(Documents.estimateBytes(size.tree()), size.bytes());
            } else {
                assertNull(size, write.toString());
            }
        } finally {
            request.release();
        }
    }
}

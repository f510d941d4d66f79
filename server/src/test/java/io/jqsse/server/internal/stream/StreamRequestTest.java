package io.jqsse.server.internal.stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jqsse.jq.Filter;
import io.jqsse.jq.FilterCompiler;
import io.jqsse.jq.FilterLimits;
import io.jqsse.server.internal.http.ApiException;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpVersion;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class StreamRequestTest {

    final FilterCompiler compiler = new FilterCompiler(FilterLimits.defaults());

    StreamRequest parse(String uri, String lastEventId) {
        DefaultFullHttpRequest req = new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.GET, uri);
        if (lastEventId != null) {
            req.headers().set("Last-Event-ID", lastEventId);
        }
        try {
            return StreamRequest.parse(req, compiler, 4);
        } finally {
            req.release();
        }
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        ".data.users      | name    | Alice    | .data.users[name=Alice]",
        ".data.users[*]   | name    | Alice    | .data.users[name=Alice]",
        ".data.users[]    | id      | 1        | .data.users[id=1]",
        ".data.users      | name    | Ann Lee  | .data.users[name=\"Ann Lee\"]",
        ".data.users      | a.b     | x        | .data.users[\"a.b\"=x]"})
    void goSseFilterKeyAndValueBecomeAConditionOnTheArray(String filter, String key, String value, String expected) {
        assertEquals(expected, StreamRequest.withCondition(filter, key, value));
        compiler.compile(expected);
    }

    @Test
    void filterValuesSplitOnTopLevelCommasAndRepeat() {
        StreamRequest r = parse("/events?filter=.a,.b%5B%22x,y%22%5D&filter=.c", null);
        assertEquals(java.util.List.of(".a", ".b[\"x,y\"]", ".c"), r.filters().stream().map(Filter::text).toList());
        assertTrue(r.initialData());
        assertFalse(r.resume());
    }

    @Test
    void noFilterMeansTheWholeDocument() {
        assertEquals(".", parse("/events", null).filters().get(0).text());
    }

    @Test
    void theLastEventIdHeaderWinsOverTheQueryAndAMalformedOneStillAsksForAResync() {
        StreamRequest r = parse("/events?filter=.a&last_event_id=e:3", "f:9");
        assertEquals("f", r.resumeEpoch());
        assertEquals(9, r.resumeRev());
        StreamRequest bad = parse("/events?filter=.a", "garbage");
        assertTrue(bad.resume());
        assertEquals(-1, bad.resumeRev());
    }

    @Test
    void tooManyFiltersAndBadFiltersAreRefused() {
        ApiException many = assertThrows(ApiException.class, () -> parse("/events?filter=.a,.b,.c,.d,.e", null));
        assertEquals("invalid_filter", many.error());
        ApiException bad = assertThrows(ApiException.class, () -> parse("/events?filter=.a%5B", null));
        assertEquals(400, bad.status().code());
    }
}

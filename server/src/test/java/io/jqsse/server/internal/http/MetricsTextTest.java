package io.jqsse.server.internal.http;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.jqsse.server.internal.http.MetricsText.Format;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class MetricsTextTest {

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = '|', value = {
            "|JSON",
            "*/*|JSON",
            "application/json|JSON",
            "text/plain|PROMETHEUS",
            "text/plain;version=0.0.4;q=0.9,*/*;q=0.1|PROMETHEUS",
            "application/openmetrics-text;version=1.0.0,application/openmetrics-text;version=0.0.1;q=0.75,"
                    + "text/plain;version=0.0.4;q=0.5,*/*;q=0.1|OPENMETRICS",
            "application/json,text/plain;q=0.5|JSON",
            "text/html|JSON",
            "text/plain;q=0|JSON"})
    void acceptHeaderChoosesTheFormatWithTheHighestQuality(String accept, Format expected) {
        assertEquals(expected, MetricsText.negotiate(accept));
    }

    @Test
    void prometheusTextTypesTotalsAsCountersAndTheRestAsGauges() {
        Map<String, Long> metrics = Map.of("clients", 3L, "events_sent_total", 7L, "stream-pending bytes", 5L);
        assertEquals("# TYPE jqsse_clients gauge\njqsse_clients 3\n"
                        + "# TYPE jqsse_events_sent_total counter\njqsse_events_sent_total 7\n"
                        + "# TYPE jqsse_stream_pending_bytes gauge\njqsse_stream_pending_bytes 5\n",
                MetricsText.render(Format.PROMETHEUS, metrics));
    }

    @Test
    void openMetricsNamesCounterFamiliesWithoutTotalAndEndsWithEof() {
        assertEquals("# TYPE jqsse_clients gauge\njqsse_clients 3\n"
                        + "# TYPE jqsse_http_requests counter\njqsse_http_requests_total 2\n# EOF\n",
                MetricsText.render(Format.OPENMETRICS, Map.of("clients", 3L, "http_requests_total", 2L)));
    }
}

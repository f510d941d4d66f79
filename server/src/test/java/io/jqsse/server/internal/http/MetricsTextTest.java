package io.jqsse.server.internal.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

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

    @Test
    void histogramsAreCumulativeBucketsWithSumAndCount() {
        Histogram h = new Histogram();
        h.record(100_000);       // exactly 0.0001 s: counted in the le="0.0001" bucket
        h.record(100_001);
        h.record(1_500_000);
        h.record(60_000_000_000L);
        String text = MetricsText.render(Format.OPENMETRICS, Map.of(), Map.of("write_duration_seconds", h.snapshot()));
        assertTrue(text.startsWith("# TYPE jqsse_write_duration_seconds histogram\n"
                + "jqsse_write_duration_seconds_bucket{le=\"0.0001\"} 1\n"
                + "jqsse_write_duration_seconds_bucket{le=\"0.00025\"} 2\n"), text);
        assertTrue(text.contains("_bucket{le=\"0.001\"} 2\n"
                + "jqsse_write_duration_seconds_bucket{le=\"0.002\"} 3\n"), text);
        assertTrue(text.contains("_bucket{le=\"10\"} 3\n"
                + "jqsse_write_duration_seconds_bucket{le=\"+Inf\"} 4\n"
                + "jqsse_write_duration_seconds_sum 60.001700001\n"
                + "jqsse_write_duration_seconds_count 4\n# EOF\n"), text);
        assertTrue(text.contains("{le=\"2.5\"}") && text.contains("{le=\"1\"}"), text);
    }
}

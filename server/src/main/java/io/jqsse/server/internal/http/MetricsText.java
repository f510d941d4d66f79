package io.jqsse.server.internal.http;

import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * The text formats of {@code GET /metrics}: Prometheus exposition 0.0.4 and OpenMetrics 1.0.0, chosen from
 * {@code Accept} by q-value (RFC 9110 section 12.5.1); JSON when neither text format is preferred.
 */
final class MetricsText {

    static final String PREFIX = "jqsse_";

    enum Format {
        JSON("application/json"),
        PROMETHEUS("text/plain; version=0.0.4; charset=utf-8"),
        OPENMETRICS("application/openmetrics-text; version=1.0.0; charset=utf-8");

        private final String contentType;

        Format(String contentType) {
            this.contentType = contentType;
        }

        String contentType() {
            return contentType;
        }
    }

    private MetricsText() {
    }

    /** The format with the highest q-value in {@code accept}; ties go to the earlier range; JSON by default. */
    static Format negotiate(String accept) {
        if (accept == null) {
            return Format.JSON;
        }
        Format best = Format.JSON;
        double bestQ = 0;
        for (String range : accept.split(",")) {
            String[] parts = range.split(";");
            Format format = switch (parts[0].trim().toLowerCase(Locale.ROOT)) {
                case "text/plain" -> Format.PROMETHEUS;
                case "application/openmetrics-text" -> Format.OPENMETRICS;
                case "application/json", "*/*", "application/*" -> Format.JSON;
                default -> null;
            };
            double q = quality(parts);
            if (format != null && q > bestQ) {
                best = format;
                bestQ = q;
            }
        }
        return best;
    }

    private static double quality(String[] parts) {
        for (int i = 1; i < parts.length; i++) {
            String p = parts[i].trim();
            if (p.startsWith("q=")) {
                try {
                    return Double.parseDouble(p.substring(2));
                } catch (NumberFormatException e) {
                    return 0;
                }
            }
        }
        return 1;
    }

    /**
     * One family per metric, sorted by name: names ending in {@code _total} are counters, the others
     * gauges (the convention of the engine's and the HTTP layer's metric maps).
     */
    static String render(Format format, Map<String, Long> metrics) {
        return render(format, metrics, Map.of());
    }

    /** As {@link #render(Format, Map)}, followed by one histogram family per entry of {@code histograms}. */
    static String render(Format format, Map<String, Long> metrics, Map<String, Histogram.Snapshot> histograms) {
        StringBuilder sb = new StringBuilder();
        new TreeMap<>(metrics).forEach((name, value) -> {
            String family = PREFIX + sanitize(name);
            if (!family.endsWith("_total")) {
                family(sb, family, "gauge", "", value);
            } else if (format == Format.OPENMETRICS) {
                family(sb, family.substring(0, family.length() - "_total".length()), "counter", "_total", value);
            } else {
                family(sb, family, "counter", "", value);
            }
        });
        new TreeMap<>(histograms).forEach((name, h) -> histogram(sb, PREFIX + sanitize(name), h));
        if (format == Format.OPENMETRICS) {
            sb.append("# EOF\n");
        }
        return sb.toString();
    }

    private static void histogram(StringBuilder sb, String name, Histogram.Snapshot h) {
        sb.append("# TYPE ").append(name).append(" histogram\n");
        for (int i = 0; i < Histogram.BOUNDS_SECONDS.length; i++) {
            sb.append(name).append("_bucket{le=\"").append(Histogram.label(Histogram.BOUNDS_SECONDS[i])).append("\"} ")
                    .append(h.cumulative()[i]).append('\n');
        }
        sb.append(name).append("_bucket{le=\"+Inf\"} ").append(h.count()).append('\n')
                .append(name).append("_sum ").append(h.sumSeconds()).append('\n')
                .append(name).append("_count ").append(h.count()).append('\n');
    }

    private static void family(StringBuilder sb, String name, String type, String sampleSuffix, long value) {
        sb.append("# TYPE ").append(name).append(' ').append(type).append('\n')
                .append(name).append(sampleSuffix).append(' ').append(value).append('\n');
    }

    private static String sanitize(String name) {
        return name.replaceAll("[^a-zA-Z0-9_]", "_");
    }
}

package io.jqsse.server.internal.http;

import java.math.BigDecimal;
import java.util.concurrent.atomic.LongAdder;

/**
 * Durations counted into fixed buckets, exposed with Prometheus histogram semantics (a bucket counts
 * the durations less than or equal to its bound; the output is cumulative). Recording is lock-free
 * and allocation-free, from any thread.
 */
final class Histogram {

    /** Bucket upper bounds in seconds (the {@code le} labels), finest where writes should land. */
    static final double[] BOUNDS_SECONDS = {
        0.0001, 0.00025, 0.0005, 0.001, 0.002, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10,
    };

    /**
     * A consistent-enough reading: {@code cumulative[i]} durations were at most
     * {@code BOUNDS_SECONDS[i]}; {@code count} is every duration (the {@code +Inf} bucket).
     */
    record Snapshot(long[] cumulative, long count, double sumSeconds) {
    }

    private static final long[] BOUNDS_NANOS = new long[BOUNDS_SECONDS.length];

    static {
        for (int i = 0; i < BOUNDS_SECONDS.length; i++) {
            BOUNDS_NANOS[i] = Math.round(BOUNDS_SECONDS[i] * 1e9);
        }
    }

    /** Per bucket (not cumulative); the last one is above every bound. */
    private final LongAdder[] counts = new LongAdder[BOUNDS_NANOS.length + 1];
    private final LongAdder sumNanos = new LongAdder();

    Histogram() {
        for (int i = 0; i < counts.length; i++) {
            counts[i] = new LongAdder();
        }
    }

    void record(long nanos) {
        long d = Math.max(0, nanos);
        int i = 0;
        while (i < BOUNDS_NANOS.length && d > BOUNDS_NANOS[i]) {
            i++;
        }
        counts[i].increment();
        sumNanos.add(d);
    }

    Snapshot snapshot() {
        long[] cumulative = new long[BOUNDS_NANOS.length];
        long running = 0;
        for (int i = 0; i < BOUNDS_NANOS.length; i++) {
            running += counts[i].sum();
            cumulative[i] = running;
        }
        running += counts[BOUNDS_NANOS.length].sum();
        return new Snapshot(cumulative, running, sumNanos.sum() / 1e9);
    }

    /** A bound as Prometheus writes it: {@code 0.0001}, {@code 1}, {@code 2.5}. */
    static String label(double bound) {
        return bound == Math.rint(bound) ? Long.toString((long) bound) : BigDecimal.valueOf(bound).stripTrailingZeros().toPlainString();
    }
}

package io.jqsse.jq;

/**
 * Bounds on one filter evaluation. Filters are client input: these keep a hostile or careless filter
 * from hurting the server (SPEC section 1).
 *
 * @param maxEvalMillis  wall-clock budget of one evaluation, in milliseconds
 * @param maxOutputBytes largest serialized size of a computed filter's view (and of any string or
 *                       collection built along the way), in bytes
 * @param maxSteps       largest number of evaluation steps (function calls, operator applications,
 *                       generated values) of one evaluation
 */
public record FilterLimits(long maxEvalMillis, long maxOutputBytes, long maxSteps) {

    public static final long DEFAULT_MAX_EVAL_MILLIS = 200;
    public static final long DEFAULT_MAX_OUTPUT_BYTES = 4L * 1024 * 1024;
    public static final long DEFAULT_MAX_STEPS = 1_000_000;

    public FilterLimits {
        requirePositive("maxEvalMillis", maxEvalMillis);
        requirePositive("maxOutputBytes", maxOutputBytes);
        requirePositive("maxSteps", maxSteps);
    }

    /** The default limits. */
    public static FilterLimits defaults() {
        return new FilterLimits(DEFAULT_MAX_EVAL_MILLIS, DEFAULT_MAX_OUTPUT_BYTES, DEFAULT_MAX_STEPS);
    }

    private static void requirePositive(String name, long value) {
        if (value <= 0) {
            throw new IllegalArgumentException(name + ": " + value + " (expected: > 0)");
        }
    }
}

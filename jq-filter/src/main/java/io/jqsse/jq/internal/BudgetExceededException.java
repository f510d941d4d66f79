package io.jqsse.jq.internal;

/**
 * An evaluation went past one of its {@link Budget}'s limits. Unchecked and not a jackson-jq
 * {@code JsonQueryException}, so jq's {@code try} and {@code ?} cannot swallow it.
 */
public final class BudgetExceededException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    BudgetExceededException(String message) {
        super(message, null, false, false);
    }
}

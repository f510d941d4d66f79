package io.jqsse.jq;

/**
 * A filter failed on a document: for a computed filter, a jq runtime error ({@code error}, a type
 * error) or a bound of {@link FilterLimits} exceeded; for a path filter, a bound exceeded (jq errors in
 * its select conditions only make the condition false).
 */
public class FilterEvaluationException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public FilterEvaluationException(String message) {
        super(message);
    }

    public FilterEvaluationException(String message, Throwable cause) {
        super(message, cause);
    }
}

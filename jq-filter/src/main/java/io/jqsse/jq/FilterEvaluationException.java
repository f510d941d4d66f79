package io.jqsse.jq;

/**
 * A computed filter failed on a document: a jq runtime error ({@code error}, a type error) or a bound of
 * {@link FilterLimits} was exceeded. Path filters never throw it.
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

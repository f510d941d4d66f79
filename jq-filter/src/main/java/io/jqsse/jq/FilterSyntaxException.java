package io.jqsse.jq;

/**
 * A filter or path that does not compile: a syntax error, an unknown function, or a construct refused
 * because it could run unbounded. The message says what and where, e.g.
 * {@code filter: .a[ (expected: ']' at position 3)}.
 */
public class FilterSyntaxException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final int position;

    /**
     * @param message  the whole message
     * @param position the 0-based character offset in the filter text where the problem is
     */
    public FilterSyntaxException(String message, int position) {
        super(message);
        this.position = position;
    }

    /** The 0-based character offset in the filter text where the problem is. */
    public int position() {
        return position;
    }
}

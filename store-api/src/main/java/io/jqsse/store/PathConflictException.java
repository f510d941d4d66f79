package io.jqsse.store;

/** The write path goes through a scalar, or an array index beyond the array's end, or a JSON Patch operation does not apply (409). */
public class PathConflictException extends StoreException {
    private static final long serialVersionUID = 1L;

    public PathConflictException(String message) {
        super(message);
    }

    public PathConflictException(String message, Throwable cause) {
        super(message, cause);
    }
}

package io.jqsse.store;

/** A JSON Patch document is malformed: not an array of operations, unknown op, bad pointer (400). */
public class InvalidPatchException extends StoreException {
    private static final long serialVersionUID = 1L;

    public InvalidPatchException(String message) {
        super(message);
    }

    public InvalidPatchException(String message, Throwable cause) {
        super(message, cause);
    }
}

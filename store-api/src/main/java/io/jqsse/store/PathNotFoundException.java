package io.jqsse.store;

/** A delete names a location that does not exist (404). */
public class PathNotFoundException extends StoreException {
    private static final long serialVersionUID = 1L;

    public PathNotFoundException(String message) {
        super(message);
    }

    public PathNotFoundException(String message, Throwable cause) {
        super(message, cause);
    }
}

package io.jqsse.store;

/** The document would exceed the store's limit (413). */
public class DocumentTooLargeException extends StoreException {
    private static final long serialVersionUID = 1L;

    public DocumentTooLargeException(String message) {
        super(message);
    }

    public DocumentTooLargeException(String message, Throwable cause) {
        super(message, cause);
    }
}

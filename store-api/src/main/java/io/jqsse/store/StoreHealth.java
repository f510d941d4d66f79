package io.jqsse.store;

/**
 * Whether a store can serve writes now.
 *
 * @param available false while the backing service is unreachable
 * @param reason    a human text when not available, else {@code "ok"}
 */
public record StoreHealth(boolean available, String reason) {
    public static final StoreHealth OK = new StoreHealth(true, "ok");

    public static StoreHealth unavailable(String reason) {
        return new StoreHealth(false, reason);
    }
}

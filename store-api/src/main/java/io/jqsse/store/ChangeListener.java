package io.jqsse.store;

/**
 * Receives a store's committed changes.
 *
 * <p>Threading: a store calls its listener from one thread at a time, in revision order, possibly
 * while holding its commit lock. The listener must return quickly and never block: hand the change
 * to another thread.
 */
@FunctionalInterface
public interface ChangeListener {
    void onChange(Change change);
}

/**
 * The store SPI: one JSON document with an epoch and a revision, written atomically, whose committed
 * changes reach one listener in revision order.
 *
 * <p>Documents are immutable Jackson trees: a store never mutates a tree it has published (in a
 * {@link io.jqsse.store.Snapshot} or a {@link io.jqsse.store.Change}), so readers on any thread see a
 * consistent snapshot without locks while writes proceed. A write builds a new root by copying only
 * the nodes on the written path ({@link io.jqsse.store.Documents}). Stores depend on this module only,
 * never on Netty or on the server.
 */
package io.jqsse.store;

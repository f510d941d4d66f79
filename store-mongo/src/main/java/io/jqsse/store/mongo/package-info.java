/**
 * The MongoDB document store ({@code STORE_TYPE=mongo}): the document lives in one MongoDB document
 * {@code {_id, data, rev, epoch, w}}, every write is one atomic compare-and-swap update filtered on
 * {@code _id}, {@code rev} and {@code epoch}, and a local in-memory replica fed by a change stream
 * serves reads at memory speed.
 *
 * <p>The field {@code w} describes the jq-sse write that made the stored rev, without its values:
 * {@code {rev, epoch, op, path, touched}}, {@code op} one of {@code set}, {@code delete},
 * {@code merge}, {@code patch}, {@code replace}, paths as arrays of segments (strings for keys,
 * integers for indices). Every write sets it in the same update as its data and rev, so a store that
 * did not make a write publishes the same {@link io.jqsse.store.Change} for it as the store that did
 * (a merge or patch without its patch document): it reads the value from the new data and checks
 * that replaying the write on its replica gives exactly that data. A {@code w} of another rev or
 * epoch is ignored (the change was made by something else than jq-sse).
 *
 * <p>Users configure it with {@link io.jqsse.store.mongo.MongoStoreConfig} and create
 * {@link io.jqsse.store.mongo.MongoStore}; everything else is internal to this package.
 *
 * <p>Threading: driver callbacks only hand work over; one replica thread owns the replica, applies
 * change stream events in rev order, completes write stages and calls the listener.
 */
package io.jqsse.store.mongo;

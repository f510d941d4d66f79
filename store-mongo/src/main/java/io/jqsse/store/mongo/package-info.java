/**
 * The MongoDB document store ({@code STORE_TYPE=mongo}): the document lives in one MongoDB document
 * {@code {_id, data, rev, epoch}}, every write is one atomic update, and a local in-memory replica fed
 * by a change stream serves reads at memory speed.
 *
 * <p>Users configure it with {@link io.jqsse.store.mongo.MongoStoreConfig} and create
 * {@link io.jqsse.store.mongo.MongoStore}; everything else is internal to this package.
 *
 * <p>Threading: driver callbacks only hand work over; one replica thread owns the replica, applies
 * change stream events in rev order, completes write stages and calls the listener.
 */
package io.jqsse.store.mongo;

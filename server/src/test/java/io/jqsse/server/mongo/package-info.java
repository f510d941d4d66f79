/**
 * Server-level tests over MongoDB: several jq-sse instances on one stored document, writes made
 * directly with the driver, a MongoDB restart under open streams and writes, and resume across
 * instances. They run against the in-process mongo-java-server (with its oplog, so change streams
 * work) or, with {@code -Dmongo.uri=...}, against a real replica set; {@link io.jqsse.server.mongo.MongoFixture}
 * is the one place that chooses.
 */
package io.jqsse.server.mongo;

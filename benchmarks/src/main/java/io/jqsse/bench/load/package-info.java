/**
 * The SSE load generator ({@link io.jqsse.bench.load.LoadGen}): Netty SSE subscribers spread over
 * several source addresses and processes, a Netty publisher, and the report (connections held,
 * delivered events per second, write-to-delivery and write latency percentiles, server RSS, CPU of
 * the server and of the load generator per delivered event).
 * {@link io.jqsse.bench.load.BenchServer} is the jq-sse process it measures.
 */
package io.jqsse.bench.load;

/**
 * Performance tooling for jq-sse: {@code jmh} holds the JMH benchmarks (codec, jq evaluation, store
 * writes, in-process fan-out), {@code load} the socket load generator that measures jq-sse and nchan
 * side by side. Nothing here is part of the product.
 */
package io.jqsse.bench;

/**
 * JMH benchmarks, run with {@code java -jar benchmarks/target/benchmarks.jar <regex>}: the SSE
 * encoder, jq filter evaluation, memory-store writes and in-process fan-out over Netty's local
 * transport (no sockets) at 1k to 100k subscribers.
 */
package io.jqsse.bench.jmh;

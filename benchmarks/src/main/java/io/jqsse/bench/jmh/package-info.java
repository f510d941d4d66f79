/**
 * JMH benchmarks, run with {@code java -jar benchmarks/target/benchmarks.jar <regex>}: the SSE
 * encoder, jq filter evaluation, memory-store writes, initial views, and in-process fan-out at 1k
 * to 100k subscribers: {@code FanoutBenchmark} on channels that only count bytes (the server's
 * own cost, no sockets, no peer), {@code LocalFanoutBenchmark} over Netty's local transport with
 * client channels that read every byte (last session's figures).
 */
package io.jqsse.bench.jmh;

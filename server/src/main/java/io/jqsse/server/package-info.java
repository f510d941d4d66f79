/**
 * The embeddable jq-sse server: {@link io.jqsse.server.JqSseServer} builds, starts and stops one from a
 * {@link io.jqsse.server.ServerConfig} and a {@link io.jqsse.store.DocumentStore}, or mounts its API on
 * another Netty application's pipeline; {@link io.jqsse.server.Main} is the {@code jq-sse} binary.
 */
package io.jqsse.server;

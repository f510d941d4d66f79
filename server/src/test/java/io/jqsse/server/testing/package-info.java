/**
 * Test helpers shared by the server's tests: a raw-socket SSE client ({@link io.jqsse.server.testing.SseClient})
 * that reads streams with codec's independent WHATWG parser, a small HTTP client, and
 * {@link io.jqsse.server.testing.ViewReplica}, the reference client that applies events to views.
 */
package io.jqsse.server.testing;

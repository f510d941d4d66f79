/**
 * Test helpers shared by the server's tests, such as an independent WHATWG event stream parser for
 * reading SSE responses end to end.
 */
package io.jqsse.server.testing;

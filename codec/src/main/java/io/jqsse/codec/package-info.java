/**
 * Server-Sent Events wire encoding, per WHATWG HTML "Server-sent events", section "Parsing an event
 * stream" (9.2.6 in current numbering): event blocks, comments, {@code retry} and {@code id} lines,
 * written straight into Netty {@link io.netty.buffer.ByteBuf}s as UTF-8.
 *
 * <p>The encoder only appends to buffers the caller owns; it never retains, releases or consumes a
 * buffer it is given.
 */
package io.jqsse.codec;

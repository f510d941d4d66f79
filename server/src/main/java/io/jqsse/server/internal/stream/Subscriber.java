package io.jqsse.server.internal.stream;

import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;

/**
 * One event stream. Fields are owned by the channel's event loop, except {@link #groups}, which the
 * dispatcher sets once before it posts the stream's start to the loop (the task hand-off publishes it).
 */
final class Subscriber {

    final String id;
    final Channel channel;
    /**
     * The router's context, used once to write the response head through the HTTP codec, then
     * dropped (it would keep the removed HTTP handlers reachable for the stream's lifetime).
     */
    ChannelHandlerContext httpContext;
    /** The parsed request, read by the dispatcher until the stream joined, then dropped (dispatcher thread). */
    StreamRequest request;
    final LoopSubscribers loop;

    /** Set by the dispatcher at join: the groups of the request's filters, in request order. */
    FilterGroup[] groups;
    /** For each group, this subscriber's index in the loop's member list of that group. */
    int[] memberIndex;
    /** Index in the loop's list of all subscribers, or -1 when not registered. */
    int allIndex = -1;

    boolean live;
    boolean closed;
    /** Deltas were dropped while the channel was not writable: the next write must be a resync. */
    boolean behind;
    boolean resyncPending;
    long blockedSinceNanos = -1;
    long lastWriteNanos;
    /** The rev of the last id this stream carried. */
    long lastIdRev = -1;
    /** Whether the stream has written in the batch being delivered (to flush once). */
    boolean touched;
    /** The delivery sequence number of the change whose events are being gathered for this multi-filter stream. */
    long mark = -1;

    Subscriber(String id, ChannelHandlerContext httpContext, StreamRequest request, LoopSubscribers loop) {
        this.id = id;
        this.httpContext = httpContext;
        this.channel = httpContext.channel();
        this.request = request;
        this.loop = loop;
    }

}

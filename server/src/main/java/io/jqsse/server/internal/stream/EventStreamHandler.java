package io.jqsse.server.internal.stream;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.util.ReferenceCountUtil;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The last handler of a channel that became an event stream (it replaces the HTTP handlers once the
 * response head is written). Consumes and releases anything the client still sends (an event
 * stream has no further requests), forwards writability changes to the loop's subscriber set (slow
 * consumer conflation) and closes the channel on errors. Emits nothing.
 */
final class EventStreamHandler extends ChannelInboundHandlerAdapter {

    private static final Logger LOG = LoggerFactory.getLogger(EventStreamHandler.class);

    private final LoopSubscribers loop;
    private final Subscriber subscriber;

    EventStreamHandler(LoopSubscribers loop, Subscriber subscriber) {
        this.loop = loop;
        this.subscriber = subscriber;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        ReferenceCountUtil.release(msg);
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) {
        loop.writabilityChanged(subscriber);
        ctx.fireChannelWritabilityChanged();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        LOG.debug("stream {} failed, closing: {}", subscriber.id, cause.toString());
        ctx.close();
    }
}

package io.jqsse.server.internal.http;

import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.socket.DuplexChannel;
import java.util.concurrent.TimeUnit;

/**
 * Closes a connection after a final response the way RFC 9112 section 9.6 asks: first the output (FIN),
 * then the whole connection once the client has closed its side, or after {@link #LINGER_MILLIS}. Closing
 * at once while the client's request is still unread would make the kernel send a reset, and the client
 * could lose the response it was about to read.
 */
final class GracefulClose {

    static final long LINGER_MILLIS = 1000;

    private GracefulClose() {
    }

    /** Half-closes {@code written}'s channel once the write is done, whether or not it succeeded. */
    static void afterWrite(ChannelFuture written) {
        written.addListener(f -> halfClose(written.channel()));
    }

    static void halfClose(Channel channel) {
        if (channel instanceof DuplexChannel duplex && duplex.isActive() && !duplex.isOutputShutdown()) {
            duplex.shutdownOutput().addListener(f -> {
                if (!f.isSuccess()) {
                    channel.close();
                }
            });
            channel.eventLoop().schedule(() -> channel.close(), LINGER_MILLIS, TimeUnit.MILLISECONDS);
        } else {
            channel.close();
        }
    }
}

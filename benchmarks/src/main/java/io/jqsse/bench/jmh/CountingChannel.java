package io.jqsse.bench.jmh;

import io.netty.buffer.ByteBuf;
import io.netty.channel.AbstractChannel;
import io.netty.channel.ChannelConfig;
import io.netty.channel.ChannelMetadata;
import io.netty.channel.ChannelOutboundBuffer;
import io.netty.channel.ChannelPromise;
import io.netty.channel.DefaultChannelConfig;
import io.netty.channel.DefaultEventLoop;
import io.netty.channel.EventLoop;
import io.netty.channel.local.LocalAddress;
import io.netty.util.ByteProcessor;
import java.net.SocketAddress;
import java.util.concurrent.atomic.LongAdder;

/**
 * A server-side channel with no peer: what the server flushes to it is counted and released in
 * {@link #doWrite}, and that is all it does. It is active and open from construction until closed,
 * reads nothing by itself (the harness fires the request into its pipeline) and is writable
 * whenever Netty's outbound buffer says so, which, as every flush empties it at once, is always
 * except between a write and its flush.
 *
 * <p>Each channel counts its bytes in a plain field (only its loop writes it) and adds them to a
 * shared {@link LongAdder}; a probe channel also counts SSE blocks (a blank line ends one) with a
 * byte scan, which no other channel pays for. Registers only on a {@link DefaultEventLoop}: the
 * I/O loops of {@code MultiThreadIoEventLoopGroup} want an {@code IoHandle} this channel does not have.
 */
final class CountingChannel extends AbstractChannel {

    private static final ChannelMetadata METADATA = new ChannelMetadata(false);
    private static final SocketAddress LOCAL = new LocalAddress("jq-sse-bench-server");
    private static final SocketAddress REMOTE = new LocalAddress("jq-sse-bench-subscriber");

    private final ChannelConfig config = new DefaultChannelConfig(this);
    private final LongAdder totalBytes;
    private final LongAdder started;
    /** Non-null on the probe only. */
    private final BlankLines blankLines;
    private volatile boolean open = true;
    /** Bytes received; written by the loop only, read by others after {@link #totalBytes} showed them. */
    private long bytes;
    /** SSE blocks received (probe only). */
    private volatile long blocks;
    private long bytesAtMark;

    /**
     * @param totalBytes every channel's bytes, summed
     * @param started    incremented once, at the channel's first bytes (its stream started)
     * @param probe      whether to count SSE blocks too
     */
    CountingChannel(LongAdder totalBytes, LongAdder started, boolean probe) {
        super(null);
        this.totalBytes = totalBytes;
        this.started = started;
        this.blankLines = probe ? new BlankLines() : null;
    }

    /** Bytes received. Exact once {@link #totalBytes} included them (e.g. after a wait on it). */
    long bytes() {
        return bytes;
    }

    /** SSE blocks received; always 0 unless this is the probe. */
    long blocks() {
        return blocks;
    }

    /** Remembers {@link #bytes()} now, for {@link #bytesSinceMark()}. */
    void mark() {
        bytesAtMark = bytes;
    }

    long bytesSinceMark() {
        return bytes - bytesAtMark;
    }

    @Override
    protected void doWrite(ChannelOutboundBuffer in) {
        long n = 0;
        long found = 0;
        for (Object msg = in.current(); msg != null; msg = in.current()) {
            ByteBuf b = (ByteBuf) msg;
            n += b.readableBytes();
            if (blankLines != null) {
                found += blankLines.count(b);
            }
            in.remove();
        }
        if (n == 0) {
            return;
        }
        if (bytes == 0) {
            started.increment();
        }
        bytes += n;
        if (blankLines != null) {
            blocks += found;
        }
        totalBytes.add(n);
    }

    @Override
    protected Object filterOutboundMessage(Object msg) {
        if (msg instanceof ByteBuf) {
            return msg;
        }
        throw new UnsupportedOperationException("message: " + msg.getClass().getName() + " (expected: ByteBuf)");
    }

    @Override
    protected boolean isCompatible(EventLoop loop) {
        return loop instanceof DefaultEventLoop;
    }

    @Override
    protected AbstractUnsafe newUnsafe() {
        return new Unsafe();
    }

    @Override
    protected SocketAddress localAddress0() {
        return LOCAL;
    }

    @Override
    protected SocketAddress remoteAddress0() {
        return REMOTE;
    }

    @Override
    protected void doBind(SocketAddress localAddress) {
        throw new UnsupportedOperationException("bind: a counting channel is connected from the start");
    }

    @Override
    protected void doDisconnect() {
        doClose();
    }

    @Override
    protected void doClose() {
        open = false;
    }

    @Override
    protected void doBeginRead() {
        // nothing to read: the harness fires the request into the pipeline itself
    }

    @Override
    public ChannelConfig config() {
        return config;
    }

    @Override
    public boolean isOpen() {
        return open;
    }

    @Override
    public boolean isActive() {
        return open;
    }

    @Override
    public ChannelMetadata metadata() {
        return METADATA;
    }

    private final class Unsafe extends AbstractUnsafe {
        @Override
        public void connect(SocketAddress remote, SocketAddress local, ChannelPromise promise) {
            promise.setFailure(new UnsupportedOperationException("connect: a counting channel is connected from the start"));
        }
    }

    /** Counts LF bytes that follow an LF, across buffer boundaries. */
    private static final class BlankLines implements ByteProcessor {
        private byte previous;
        private int found;

        int count(ByteBuf b) {
            found = 0;
            b.forEachByte(this);
            return found;
        }

        @Override
        public boolean process(byte value) {
            if (value == '\n' && previous == '\n') {
                found++;
            }
            previous = value;
            return true;
        }
    }
}

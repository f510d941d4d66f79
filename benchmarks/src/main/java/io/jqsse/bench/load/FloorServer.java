package io.jqsse.bench.load;

import io.jqsse.codec.SseEncoder;
import io.jqsse.server.IoTransport;
import io.jqsse.server.Main;
import io.jqsse.server.ServerConfig;
import io.jqsse.server.internal.stream.Transports;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.QueryStringDecoder;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.DefaultThreadFactory;
import io.netty.util.internal.PlatformDependent;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

/**
 * The least work a server can do for the load generator's fan-out runs, to tell the machine's cost
 * (loopback TCP per socket, the load generator on the same cores) from jq-sse's: no jq, no store,
 * no replay, no JSON tree. It speaks exactly the bytes {@link EventCounter} and {@link Publisher}
 * need from jq-sse for one plain-path filter ({@code .bench}): the SSE response head, {@code retry},
 * {@code connected} and {@code initial_data} (the last written value), then one {@code update} with
 * an {@code id:} per {@code PATCH /store?path=P}, whose {@code value} is the request body as sent.
 *
 * <p>Threads and sockets are jq-sse's ({@code JqSseServer#start}, {@code LoopSubscribers}): one
 * accept loop, {@code processors / 2} request loops, {@code processors} stream loops on the same
 * transport ({@code IO_TRANSPORT} from the environment, through jq-sse's {@link Transports});
 * TCP_NODELAY, the default write-buffer water marks, TCP_USER_TIMEOUT and TCP_NOTSENT_LOWAT. An
 * accepted stream moves to a stream loop, which keeps its channels in a plain list. A PATCH
 * encodes its event once into one pooled buffer on the request loop, hands it to each stream loop
 * with one {@code execute}, and there every writable channel gets a {@code retainedDuplicate()}
 * written and flushed at once (a channel above its high-water mark loses the event, as jq-sse
 * would drop it). No heartbeats, no conflation, no limits.
 *
 * <p>Mode {@code per-write} (the default) writes each event on its own, one task per write and loop.
 * That is not the least work once a loop falls behind: with {@code coalesce} a loop's events are
 * queued and one drain task writes all those it finds as one buffer per stream, so a loop that is
 * late catches up in one pass over its streams, as jq-sse's runs of batches do ({@code LoopInbox}).
 *
 * <p>Arguments: {@code [port] [per-write|coalesce]} (port 0, the default, is ephemeral). Prints
 * {@code LISTENING <port> <pid>} once bound, runs until standard input closes (as {@link BenchServer}
 * does), then prints {@code STOPPED <deliveries> <dropped> <runs>} (runs: coalescing drains that wrote).
 */
public final class FloorServer {

    /** As long as jq-sse's epochs, so that every event has the same length as jq-sse's. */
    private static final String EPOCH = "floorsrv";
    private static final byte[] STREAM_HEAD = ("HTTP/1.1 200 OK\r\ncontent-type: text/event-stream\r\n"
            + "cache-control: no-cache\r\nX-Accel-Buffering: no\r\nconnection: close\r\n\r\n")
            .getBytes(StandardCharsets.US_ASCII);
    private static final long RETRY_MILLIS = 2000;
    private static final Discard DISCARD = new Discard();

    private final ServerConfig config = ServerConfig.defaults();
    private final EventLoopGroup acceptGroup;
    private final EventLoopGroup requestGroup;
    private final EventLoopGroup streamGroup;
    private final StreamLoop[] loops;
    private final AtomicInteger nextLoop = new AtomicInteger();
    private final AtomicLong rev = new AtomicLong();
    private final AtomicLong nextClient = new AtomicLong();
    private final LongAdder deliveries = new LongAdder();
    private final LongAdder dropped = new LongAdder();
    /** Drain tasks that found events (coalescing only): fewer than writes times loops once a loop fell behind. */
    private final LongAdder runs = new LongAdder();
    private final boolean coalesce;
    /** jq-sse's transport for {@code IO_TRANSPORT} in the environment (resolved). */
    private final IoTransport transport;
    /** The body of the last PATCH (JSON as sent), for the {@code initial_data} of later streams. */
    private volatile byte[] value = "null".getBytes(StandardCharsets.US_ASCII);
    private Channel serverChannel;

    private FloorServer(boolean coalesce, IoTransport transport) {
        this.coalesce = coalesce;
        this.transport = transport;
        IoHandlerFactory io = Transports.ioHandlers(transport);
        int threads = Runtime.getRuntime().availableProcessors();
        acceptGroup = new MultiThreadIoEventLoopGroup(1, new DefaultThreadFactory("floor-accept"), io);
        requestGroup = new MultiThreadIoEventLoopGroup(Math.max(1, threads / 2), new DefaultThreadFactory("floor-http"), io);
        streamGroup = new MultiThreadIoEventLoopGroup(threads, new DefaultThreadFactory("floor-stream"), io);
        List<StreamLoop> l = new ArrayList<>();
        streamGroup.forEach(e -> l.add(new StreamLoop((EventLoop) e)));
        loops = l.toArray(new StreamLoop[0]);
    }

    public static void main(String[] args) throws Exception {
        int port = args.length > 0 ? Integer.parseInt(args[0]) : 0;
        String mode = args.length > 1 ? args[1] : "per-write";
        if (!mode.equals("per-write") && !mode.equals("coalesce")) {
            throw new IllegalArgumentException("mode: " + mode + " (expected: per-write or coalesce)");
        }
        Main.applyNettyDefaults();
        FloorServer server = new FloorServer(mode.equals("coalesce"), Transports.resolve(Transport.serverTransport()));
        server.bind(port);
        System.out.println("LISTENING " + ((InetSocketAddress) server.serverChannel.localAddress()).getPort()
                + " " + ProcessHandle.current().pid());
        System.out.flush();
        while (System.in.read() >= 0) {
            continue;
        }
        server.close();
        System.out.println("STOPPED " + server.deliveries.sum() + " " + server.dropped.sum() + " " + server.runs.sum());
    }

    private void bind(int port) {
        serverChannel = new ServerBootstrap()
                .group(acceptGroup, requestGroup)
                .channel(Transports.serverChannel(transport))
                .option(ChannelOption.SO_BACKLOG, 1024)
                .childOption(ChannelOption.TCP_NODELAY, true)
                .childOption(ChannelOption.WRITE_BUFFER_WATER_MARK, new WriteBufferWaterMark(
                        config.writeBufferLowWaterMarkBytes(), config.writeBufferHighWaterMarkBytes()))
                .childHandler(new ChannelInitializer<>() {
                    @Override
                    protected void initChannel(Channel ch) {
                        ch.pipeline().addLast("codec", new HttpServerCodec())
                                .addLast("aggregator", new HttpObjectAggregator(1 << 20))
                                .addLast("requests", new Requests());
                    }
                })
                .bind("127.0.0.1", port).syncUninterruptibly().channel();
    }

    private void close() {
        serverChannel.close().syncUninterruptibly();
        requestGroup.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
        streamGroup.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
        acceptGroup.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
    }

    /**
     * {@code GET /events}: moves the channel to the next stream loop (reads stay off until it is
     * there, as in jq-sse's {@code StreamEngine#open}) and starts the stream on it.
     */
    private void subscribe(Channel ch, String filter) {
        ch.config().setAutoRead(false);
        StreamLoop loop = loops[Math.floorMod(nextLoop.getAndIncrement(), loops.length)];
        ch.deregister().addListener(d -> {
            if (!d.isSuccess()) {
                ch.close();
                return;
            }
            loop.eventLoop.register(ch).addListener(r -> {
                if (r.isSuccess()) {
                    loop.eventLoop.execute(() -> loop.start(ch, filter));
                } else {
                    ch.close();
                }
            });
        });
    }

    /**
     * A write: the update event is encoded once into one pooled buffer; each stream loop gets a
     * reference to it (released there after its writes) through one {@code execute}.
     */
    private FullHttpResponse publish(ChannelHandlerContext ctx, String path, ByteBuf body) {
        long r = rev.incrementAndGet();
        long now = System.currentTimeMillis();
        byte[] v = ByteBufUtil.getBytes(body);
        value = v;
        ByteBuf json = ctx.alloc().buffer(v.length + path.length() * 2 + 64);
        ByteBuf event = ctx.alloc().directBuffer(v.length + path.length() * 2 + 128);
        try {
            ByteBufUtil.writeUtf8(json, "{\"filter\":\"" + path + "\",\"path\":\"" + path + "\",\"value\":");
            json.writeBytes(v);
            ByteBufUtil.writeAscii(json, ",\"time\":" + now + ",\"rev\":" + r + "}");
            SseEncoder.writeEvent(event, "update", EPOCH + ":" + r, json);
            for (StreamLoop loop : loops) {
                loop.post(event.retain());
            }
        } finally {
            json.release();
            event.release();
        }
        return response(HttpResponseStatus.OK, "{\"status\":\"success\",\"data\":{\"size_bytes\":" + v.length
                + ",\"timestamp\":" + now / 1000 + ",\"rev\":" + r + "},\"message\":\"value set at " + path + "\"}",
                "\"" + EPOCH + ":" + r + "\"");
    }

    private static FullHttpResponse response(HttpResponseStatus status, String body, String etag) {
        FullHttpResponse res = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, status,
                Unpooled.copiedBuffer(body, StandardCharsets.UTF_8));
        res.headers().set(HttpHeaderNames.CONTENT_TYPE, "application/json")
                .setInt(HttpHeaderNames.CONTENT_LENGTH, res.content().readableBytes())
                .set(HttpHeaderNames.CACHE_CONTROL, "no-store");
        if (etag != null) {
            res.headers().set(HttpHeaderNames.ETAG, etag);
        }
        return res;
    }

    private static String first(QueryStringDecoder uri, String name) {
        List<String> v = uri.parameters().get(name);
        return v == null || v.isEmpty() ? null : v.get(0);
    }

    /**
     * The request loops' only handler: {@code GET /events?filter=F}, {@code PATCH /store?path=P},
     * {@code GET /metrics} (no counters); anything else is 404. Keep-alive as HTTP/1.1's default.
     */
    private final class Requests extends SimpleChannelInboundHandler<FullHttpRequest> {

        @Override
        protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest req) {
            QueryStringDecoder uri = new QueryStringDecoder(req.uri());
            String filter = first(uri, "filter");
            String path = first(uri, "path");
            if (req.method().equals(HttpMethod.GET) && uri.path().equals("/events") && filter != null) {
                subscribe(ctx.channel(), filter);
            } else if (req.method().equals(HttpMethod.PATCH) && uri.path().equals("/store") && path != null) {
                ctx.writeAndFlush(publish(ctx, path, req.content()));
            } else if (req.method().equals(HttpMethod.GET) && uri.path().equals("/metrics")) {
                ctx.writeAndFlush(response(HttpResponseStatus.OK, "{\"counters\":{}}", null));
            } else {
                ctx.writeAndFlush(response(HttpResponseStatus.NOT_FOUND, "{\"status\":\"error\",\"message\":\"not found: "
                        + uri.path() + "\"}", null));
            }
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            ctx.close();
        }
    }

    /** A stream's only handler: a subscriber sends nothing after its request; any error closes the stream. */
    @ChannelHandler.Sharable
    private static final class Discard extends ChannelInboundHandlerAdapter {
        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            ReferenceCountUtil.release(msg);
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            ctx.close();
        }
    }

    /** The streams of one stream loop; every method runs on {@link #eventLoop}. */
    private final class StreamLoop {
        final EventLoop eventLoop;
        private final ArrayList<Channel> channels = new ArrayList<>();
        /** Coalescing only: the events posted and not yet written, and whether a drain task is queued. */
        private final Queue<ByteBuf> pending = PlatformDependent.newMpscQueue();
        private final AtomicBoolean drainScheduled = new AtomicBoolean();
        private final ArrayList<ByteBuf> run = new ArrayList<>();

        StreamLoop(EventLoop eventLoop) {
            this.eventLoop = eventLoop;
        }

        /** Drops the HTTP handlers, applies jq-sse's stream socket options, writes the head and initial events. */
        void start(Channel ch, String filter) {
            if (!ch.isActive()) {
                return;
            }
            ch.pipeline().remove("requests");
            ch.pipeline().remove("aggregator");
            ch.pipeline().remove("codec");
            ch.pipeline().addLast("discard", DISCARD);
            Transports.boundKernelQueues(ch, config);
            long r = rev.get();
            ByteBuf out = ch.alloc().buffer(512);
            out.writeBytes(STREAM_HEAD);
            SseEncoder.writeRetry(out, RETRY_MILLIS);
            SseEncoder.writeEvent(out, "connected", null, "{\"id\":\"floor-" + nextClient.incrementAndGet()
                    + "\",\"epoch\":\"" + EPOCH + "\",\"rev\":" + r + "}");
            SseEncoder.writeEvent(out, "initial_data", EPOCH + ":" + r, "{\"filter\":\"" + filter + "\",\"path\":\""
                    + filter + "\",\"kind\":\"value\",\"value\":" + new String(value, StandardCharsets.UTF_8)
                    + ",\"paths\":[\"" + filter + "\"],\"time\":" + System.currentTimeMillis() + ",\"rev\":" + r + "}");
            ch.writeAndFlush(out, ch.voidPromise());
            channels.add(ch);
            ch.closeFuture().addListener(f -> eventLoop.execute(() -> channels.remove(ch)));
            ch.config().setAutoRead(true);
        }

        /**
         * Hands {@code event} (owned by the loop from now) to this loop with one {@code execute}: its own
         * task, or when coalescing the drain task unless one is already queued. Request loop.
         */
        void post(ByteBuf event) {
            if (!coalesce) {
                eventLoop.execute(() -> deliver(event, 1));
                return;
            }
            pending.offer(event);
            if (drainScheduled.compareAndSet(false, true)) {
                eventLoop.execute(this::drain);
            }
        }

        /** Every event queued since the last drain, joined into one buffer and written once per stream. */
        private void drain() {
            drainScheduled.set(false);
            for (ByteBuf b = pending.poll(); b != null; b = pending.poll()) {
                run.add(b);
            }
            if (run.isEmpty()) {
                return;
            }
            runs.increment();
            if (run.size() == 1) {
                ByteBuf only = run.get(0);
                run.clear();
                deliver(only, 1);
                return;
            }
            int bytes = 0;
            for (ByteBuf b : run) {
                bytes += b.readableBytes();
            }
            ByteBuf joined = ByteBufAllocator.DEFAULT.directBuffer(bytes);
            for (ByteBuf b : run) {
                joined.writeBytes(b, b.readerIndex(), b.readableBytes());
                b.release();
            }
            int events = run.size();
            run.clear();
            deliver(joined, events);
        }

        /**
         * {@code event} (the bytes of {@code events} events) for every stream of this loop, each written
         * and flushed at once; releases {@code event}.
         */
        private void deliver(ByteBuf event, int events) {
            int written = 0;
            try {
                for (int i = 0, n = channels.size(); i < n; i++) {
                    Channel ch = channels.get(i);
                    if (ch.isWritable()) {
                        ch.writeAndFlush(event.retainedDuplicate(), ch.voidPromise());
                        written++;
                    } else {
                        dropped.increment();
                    }
                }
            } finally {
                event.release();
                deliveries.add((long) written * events);
            }
        }
    }
}

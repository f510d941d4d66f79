package io.jqsse.bench.load;

import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpClientCodec;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.util.AttributeKey;
import java.net.InetSocketAddress;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.HdrHistogram.Histogram;

/**
 * Writes stamped values ({@code {"t":<wall micros>,"n":<seq>}}) over keep-alive HTTP connections:
 * {@code PATCH /store?path=P} to jq-sse, {@code POST /pub} to nchan. At a fixed rate (open loop: a
 * tick finding every connection busy counts the write as skipped, it is not queued) or as fast as
 * the server answers (closed loop, one request in flight per connection). Bounded by the duration
 * and {@code maxWrites}. Everything after {@link #run} runs on one event loop.
 */
final class Publisher {

    /** When the request in flight on a connection was sent; null when the connection is idle. */
    private static final AttributeKey<Long> SENT_NANOS = AttributeKey.valueOf(Publisher.class, "sentNanos");

    private final Options options;
    private final EventLoop loop;
    private final Bootstrap bootstrap;
    private final ArrayDeque<Channel> idle = new ArrayDeque<>();
    private final List<Channel> all = new ArrayList<>();
    private final Histogram writeLatency = new Histogram(SubscriberPool.MAX_MICROS, 3);
    private final long[] perKey;
    private final CompletableFuture<PublishStats> done = new CompletableFuture<>();
    private long startNanos;
    private long endNanos;
    private long sent;
    private long ok;
    private long failed;
    private long skipped;
    private long inFlight;
    private long firstMicros;
    private long lastMicros;
    private boolean stopped;
    private ScheduledFuture<?> ticker;

    Publisher(Options options, EventLoopGroup group) {
        this.options = options;
        this.loop = group.next();
        this.perKey = new long[Math.max(1, options.writeKeys())];
        this.bootstrap = new Bootstrap().group(loop).channel(Transport.channel())
                .option(ChannelOption.TCP_NODELAY, true)
                .handler(new ChannelInitializer<>() {
                    @Override
                    protected void initChannel(Channel ch) {
                        ch.pipeline().addLast(new HttpClientCodec(), new HttpObjectAggregator(1 << 20),
                                new ResponseHandler());
                    }
                });
    }

    /** Connects, publishes until the duration or the write budget is spent, and reports. */
    CompletableFuture<PublishStats> run() {
        InetSocketAddress server = new InetSocketAddress(options.url().getHost(), options.port());
        List<CompletableFuture<Void>> connects = new ArrayList<>();
        for (int i = 0; i < options.publishers(); i++) {
            CompletableFuture<Void> c = new CompletableFuture<>();
            connects.add(c);
            bootstrap.connect(server).addListener(f -> {
                if (f.isSuccess()) {
                    c.complete(null);
                } else {
                    c.completeExceptionally(f.cause());
                }
            });
        }
        CompletableFuture.allOf(connects.toArray(new CompletableFuture[0])).whenComplete((v, e) -> loop.execute(() -> {
            if (e != null) {
                done.completeExceptionally(e);
                return;
            }
            begin();
        }));
        return done;
    }

    private void begin() {
        startNanos = System.nanoTime();
        endNanos = startNanos + (long) (options.durationSeconds() * 1e9);
        ticker = loop.scheduleAtFixedRate(this::tick, 0, 1, TimeUnit.MILLISECONDS);
    }

    private void tick() {
        long now = System.nanoTime();
        if (now >= endNanos || sent + skipped >= options.maxWrites()) {
            stop();
            return;
        }
        if (options.writesPerSecond() < 0) {
            while (!idle.isEmpty() && sent < options.maxWrites()) {
                send(idle.poll());
            }
            return;
        }
        if (options.writesPerSecond() == 0) {
            return;
        }
        long due = (long) ((now - startNanos) / 1e9 * options.writesPerSecond()) + 1 - sent - skipped;
        for (long i = 0; i < due && sent + skipped < options.maxWrites(); i++) {
            Channel ch = idle.poll();
            if (ch == null) {
                skipped++;
            } else {
                send(ch);
            }
        }
    }

    private void send(Channel ch) {
        long micros = Transport.wallMicros();
        if (firstMicros == 0) {
            firstMicros = micros;
        }
        lastMicros = micros;
        long seq = sent++;
        inFlight++;
        ByteBuf body = Unpooled.copiedBuffer("{\"t\":" + micros + ",\"n\":" + seq + "}", StandardCharsets.US_ASCII);
        FullHttpRequest req;
        if (options.target().equals("nchan")) {
            req = new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.POST, "/pub", body);
        } else {
            int key = ThreadLocalRandom.current().nextInt(perKey.length);
            perKey[key]++;
            String path = options.writePath().replace("{i}", Integer.toString(key));
            req = new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.PATCH,
                    "/store?path=" + URLEncoder.encode(path, StandardCharsets.UTF_8), body);
        }
        req.headers().set(HttpHeaderNames.HOST, options.url().getHost())
                .set(HttpHeaderNames.CONTENT_TYPE, "application/json")
                .setInt(HttpHeaderNames.CONTENT_LENGTH, body.readableBytes());
        ch.attr(SENT_NANOS).set(System.nanoTime());
        ch.writeAndFlush(req);
    }

    private void answered(Channel ch, int status) {
        Long t0 = ch.attr(SENT_NANOS).getAndSet(null);
        if (t0 == null) {
            return;
        }
        writeLatency.recordValue(Math.min(SubscriberPool.MAX_MICROS, (System.nanoTime() - t0) / 1000));
        inFlight--;
        if (status >= 200 && status < 300) {
            ok++;
        } else {
            failed++;
        }
        idle.add(ch);
        if (options.writesPerSecond() < 0 && !stopped) {
            if (System.nanoTime() >= endNanos || sent >= options.maxWrites()) {
                stop();
            } else {
                send(idle.poll());
            }
            return;
        }
        finishIfDone();
    }

    private void stop() {
        stopped = true;
        if (ticker != null) {
            ticker.cancel(false);
        }
        finishIfDone();
    }

    private void finishIfDone() {
        if (stopped && inFlight == 0 && !done.isDone()) {
            long elapsedNanos = System.nanoTime() - startNanos;
            all.forEach(Channel::close);
            done.complete(new PublishStats(sent, ok, failed, skipped, firstMicros, lastMicros, elapsedNanos / 1000,
                    writeLatency, perKey.clone()));
        }
    }

    /** Writes stamped values, publishing stats at the end. */
    record PublishStats(long sent, long ok, long failed, long skipped, long firstMicros, long lastMicros,
                        long elapsedMicros, Histogram writeLatency, long[] perKey) {
    }

    private final class ResponseHandler extends SimpleChannelInboundHandler<FullHttpResponse> {

        @Override
        public void channelActive(ChannelHandlerContext ctx) {
            all.add(ctx.channel());
            idle.add(ctx.channel());
            ctx.fireChannelActive();
        }

        @Override
        protected void channelRead0(ChannelHandlerContext ctx, FullHttpResponse msg) {
            answered(ctx.channel(), msg.status().code());
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) {
            idle.remove(ctx.channel());
            if (ctx.channel().attr(SENT_NANOS).getAndSet(null) != null) {
                inFlight--;
                failed++;
                finishIfDone();
            }
            ctx.fireChannelInactive();
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            ctx.close();
        }
    }
}

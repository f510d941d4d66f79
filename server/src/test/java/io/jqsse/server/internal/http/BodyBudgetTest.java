package io.jqsse.server.internal.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jqsse.jq.FilterCompiler;
import io.jqsse.jq.FilterLimits;
import io.jqsse.server.ServerConfig;
import io.jqsse.server.internal.stream.StreamEngine;
import io.jqsse.store.memory.MemoryStore;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.PrematureChannelClosureException;
import io.netty.handler.codec.http.DefaultHttpContent;
import io.netty.handler.codec.http.DefaultHttpRequest;
import io.netty.handler.codec.http.DefaultLastHttpContent;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.ReferenceCountUtil;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * {@link BodyBudget} in front of the real aggregator: what every content reserves from the shared pool, and
 * that the pool returns to 0 on every path a request can take.
 */
class BodyBudgetTest {

    private static final int MAX_REQUEST_BYTES = 100;
    private static final long LIMIT_BYTES = 150;

    private final BodyBudget.Pool pool = new BodyBudget.Pool(LIMIT_BYTES);
    private final AtomicInteger refusals = new AtomicInteger();
    private final List<ByteBuf> sent = new ArrayList<>();

    @AfterEach
    void nothingLeaks() {
        for (ByteBuf b : sent) {
            assertEquals(0, b.refCnt(), "a body buffer was not released");
        }
    }

    @Test
    void aBodyIsHeldUntilItsLastContentHasBeenPassedOn() {
        EmbeddedChannel ch = channel();
        ch.writeInbound(head(60), content(40));
        assertEquals(40, pool.heldBytes());
        assertNull(ch.readInbound(), "the aggregator still waits for the rest");

        ch.writeInbound(last(20));
        assertEquals(0, pool.heldBytes());
        assertBody(ch.readInbound(), 60);
        assertFalse(ch.finishAndReleaseAll());
    }

    @Test
    void pipelinedRequestsEachReserveAndReturnTheirOwnBody() {
        EmbeddedChannel ch = channel();
        ch.writeInbound(head(30), content(10), last(20), head(90), content(50));
        assertBody(ch.readInbound(), 30);
        assertEquals(50, pool.heldBytes(), "only the second request's bytes are held");

        ch.writeInbound(last(40));
        assertBody(ch.readInbound(), 90);
        assertEquals(0, pool.heldBytes());
        assertFalse(ch.finishAndReleaseAll());
    }

    @Test
    void aClientThatDisconnectsMidBodyReturnsItsReservation() {
        EmbeddedChannel ch = channel();
        ch.writeInbound(head(80), content(50));
        assertEquals(50, pool.heldBytes());

        ch.close();
        assertEquals(0, pool.heldBytes());
        assertFalse(ch.finishAndReleaseAll());
    }

    @Test
    void removingTheHandlerMidBodyReturnsItsReservation() {
        EmbeddedChannel ch = channel();
        ch.writeInbound(head(80), content(50));

        ch.pipeline().remove(BodyBudget.class);
        assertEquals(0, pool.heldBytes());
        ch.close();
        assertEquals(0, pool.heldBytes(), "nothing is given back twice");
        assertFalse(ch.finishAndReleaseAll());
    }

    @Test
    void aContentThatDoesNotFitIsReleasedAndAnswered503ServerBusyThenTheConnectionCloses() {
        EmbeddedChannel first = channel();
        EmbeddedChannel second = channel();
        first.writeInbound(head(100), content(90));
        second.writeInbound(head(100), content(50));
        assertEquals(90 + 50, pool.heldBytes());

        ByteBuf overflow = Unpooled.buffer(20).writeZero(20);
        sent.add(overflow);
        second.writeInbound(new DefaultHttpContent(overflow));
        assertEquals(1, refusals.get());
        assertNull(second.pipeline().get(RequestAggregator.class), "the aggregator and its part of the body are gone");
        FullHttpResponse response = assertInstanceOf(FullHttpResponse.class, second.readOutbound());
        assertEquals(503, response.status().code());
        assertEquals("1", response.headers().get(HttpHeaderNames.RETRY_AFTER));
        assertEquals("close", response.headers().get(HttpHeaderNames.CONNECTION));
        String body = response.content().toString(StandardCharsets.UTF_8);
        assertTrue(body.contains("\"error\":\"server_busy\"") && body.contains("MAX_BUFFERED_REQUESTS_MB"), body);
        response.release();
        assertFalse(second.isOpen(), "the connection closes after the answer");
        assertEquals(90, pool.heldBytes(), "the refused connection's reservation is back");
        assertEquals(0, sent.get(sent.size() - 2).refCnt(), "the part of the body it had sent is released");

        first.writeInbound(last(10));
        assertBody(first.readInbound(), 100);
        assertEquals(0, pool.heldBytes());
        assertFalse(first.finishAndReleaseAll());
        assertFalse(second.finishAndReleaseAll());
    }

    @Test
    void whatArrivesAfterARefusalIsReleasedAndNotPassedOn() {
        assertTrue(pool.tryReserve(100));
        EmbeddedChannel ch = channel();
        BodyBudget budget = ch.pipeline().get(BodyBudget.class);
        ChannelHandlerContext ctx = ch.pipeline().context(budget);
        ch.writeInbound(head(80), content(60));
        assertEquals(1, refusals.get());
        ReferenceCountUtil.release(ch.readOutbound());

        budget.channelRead(ctx, content(10));
        budget.channelRead(ctx, last(10));
        assertNull(ch.readInbound());
        assertEquals(100, pool.heldBytes(), "the refused content reserved nothing");
        pool.giveBack(100);
        assertFalse(ch.finishAndReleaseAll());
    }

    @Test
    void aBodyDeclaredAboveTheRequestLimitReservesNothing() {
        EmbeddedChannel ch = new EmbeddedChannel(new BodyBudget(pool, MAX_REQUEST_BYTES, refusals::incrementAndGet));
        ch.writeInbound(head(MAX_REQUEST_BYTES + 1), content(MAX_REQUEST_BYTES));
        assertEquals(0, pool.heldBytes(), "the aggregator answers 413 and discards such a body");
        ch.finishAndReleaseAll();
    }

    @Test
    void aChunkedBodyNeverReservesMoreThanTheRequestLimit() {
        EmbeddedChannel ch = new EmbeddedChannel(new BodyBudget(pool, MAX_REQUEST_BYTES, refusals::incrementAndGet));
        HttpRequest head = new DefaultHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.POST, "/store");
        HttpUtil.setTransferEncodingChunked(head, true);
        ch.writeInbound(head, content(70), content(70));
        assertEquals(MAX_REQUEST_BYTES, pool.heldBytes(), "the aggregator answers 413 past the limit");
        ch.close();
        assertEquals(0, pool.heldBytes());
        ch.finishAndReleaseAll();
    }

    @Test
    void thePoolReservesUpToItsLimitExactly() {
        assertTrue(pool.tryReserve(LIMIT_BYTES));
        assertFalse(pool.tryReserve(1));
        pool.giveBack(LIMIT_BYTES);
        assertTrue(pool.tryReserve(1));
        pool.giveBack(1);
        assertEquals(0, pool.heldBytes());
        assertThrows(IllegalArgumentException.class, () -> new BodyBudget.Pool(0));
    }

    @Test
    void everyConnectionOfOneInitializerSharesItsPoolAndRefusalsAreCounted() {
        ServerConfig config = ServerConfig.builder().port(0)
                .maxRequestBytes(MAX_REQUEST_BYTES).maxBufferedRequestBytes(LIMIT_BYTES).build();
        MemoryStore store = new MemoryStore();
        store.start().toCompletableFuture().join();
        FilterCompiler compiler = new FilterCompiler(FilterLimits.defaults());
        StreamEngine engine = new StreamEngine(config, store, compiler);
        engine.start();
        HttpApi api = new HttpApi(config, store, compiler, engine);
        HttpChannelInitializer initializer = new HttpChannelInitializer(api);
        EmbeddedChannel first = new EmbeddedChannel(initializer);
        EmbeddedChannel second = new EmbeddedChannel(initializer);
        String head = "PUT /store?path=.a HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                + "Content-Length: 100\r\n\r\n";

        first.writeInbound(wire(head + "[" + "1,".repeat(40)));
        assertEquals(81, api.bodies().heldBytes());
        second.writeInbound(wire(head + "[" + "1,".repeat(40)));
        String answer = drain(second);
        assertTrue(answer.startsWith("HTTP/1.1 503 ") && answer.contains("server_busy"), answer);
        assertEquals(1L, api.counters().get(HttpChannelInitializer.REFUSED_BUSY_COUNTER));
        assertFalse(second.isOpen());

        first.writeInbound(wire("1".repeat(18) + "]"));
        first.runPendingTasks();
        assertTrue(drain(first).startsWith("HTTP/1.1 200 "));
        assertEquals(0, api.bodies().heldBytes());
        first.finishAndReleaseAll();
        second.finishAndReleaseAll();
        engine.close();
        store.close();
    }

    /** The budget, the aggregator, and a sink for the aggregator's report of a body cut short by a close. */
    private EmbeddedChannel channel() {
        return new EmbeddedChannel(new BodyBudget(pool, MAX_REQUEST_BYTES, refusals::incrementAndGet),
                new RequestAggregator(MAX_REQUEST_BYTES), new ChannelInboundHandlerAdapter() {
                    @Override
                    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
                        if (!(cause instanceof PrematureChannelClosureException)) {
                            ctx.fireExceptionCaught(cause);
                        }
                    }
                });
    }

    private static HttpRequest head(int contentLength) {
        HttpRequest head = new DefaultHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.POST, "/store");
        HttpUtil.setContentLength(head, contentLength);
        return head;
    }

    private HttpContent content(int bytes) {
        return new DefaultHttpContent(body(bytes));
    }

    private LastHttpContent last(int bytes) {
        return new DefaultLastHttpContent(body(bytes));
    }

    private ByteBuf body(int bytes) {
        ByteBuf b = Unpooled.buffer(bytes).writeZero(bytes);
        sent.add(b);
        return b;
    }

    private static void assertBody(Object request, int bytes) {
        FullHttpRequest full = assertInstanceOf(FullHttpRequest.class, request);
        assertEquals(bytes, full.content().readableBytes());
        full.release();
    }

    private static ByteBuf wire(String text) {
        return Unpooled.copiedBuffer(text, StandardCharsets.ISO_8859_1);
    }

    private static String drain(EmbeddedChannel ch) {
        StringBuilder sb = new StringBuilder();
        for (Object o; (o = ch.readOutbound()) != null; ) {
            ByteBuf b = (ByteBuf) o;
            sb.append(b.toString(StandardCharsets.ISO_8859_1));
            b.release();
        }
        return sb.toString();
    }
}

package io.jqsse.server.internal.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jqsse.jq.FilterCompiler;
import io.jqsse.jq.FilterLimits;
import io.jqsse.server.ServerConfig;
import io.jqsse.server.internal.stream.StreamEngine;
import io.jqsse.store.ChangeListener;
import io.jqsse.store.Commit;
import io.jqsse.store.DocumentStore;
import io.jqsse.store.Snapshot;
import io.jqsse.store.StoreHealth;
import io.jqsse.store.Write;
import io.jqsse.store.memory.MemoryStore;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.junit.jupiter.api.Test;

/** Pipelined requests are answered in order even when a store write completes later. */
class RequestSequencerTest {

    /** A memory store whose writes complete only when the test says so. */
    static final class HeldStore implements DocumentStore {
        final MemoryStore delegate = new MemoryStore();
        final CompletableFuture<Void> release = new CompletableFuture<>();

        @Override public String type() { return "held"; }
        @Override public CompletionStage<Void> start() { return delegate.start(); }
        @Override public Snapshot snapshot() { return delegate.snapshot(); }
        @Override public Snapshot subscribe(ChangeListener listener) { return delegate.subscribe(listener); }
        @Override public StoreHealth health() { return StoreHealth.OK; }
        @Override public long maxDocumentBytes() { return delegate.maxDocumentBytes(); }
        @Override public void close() { delegate.close(); }

        @Override
        public CompletionStage<Commit> write(Write write, long expectedRev) {
            return release.thenCompose(v -> delegate.write(write, expectedRev));
        }
    }

    @Test
    void aLaterRequestWaitsForTheEarlierWriteToBeAnswered() {
        HeldStore store = new HeldStore();
        store.start().toCompletableFuture().join();
        ServerConfig config = ServerConfig.builder().port(0).build();
        FilterCompiler compiler = new FilterCompiler(FilterLimits.defaults());
        StreamEngine engine = new StreamEngine(config, store, compiler);
        engine.start();
        EmbeddedChannel ch = new EmbeddedChannel(new HttpChannelInitializer(new HttpApi(config, store, compiler, engine)));

        ByteBuf in = Unpooled.copiedBuffer("PUT /store?path=.a HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                + "Content-Length: 1\r\n\r\n7"
                + "GET /store?path=.a HTTP/1.1\r\nHost: x\r\n\r\n", StandardCharsets.ISO_8859_1);
        ch.writeInbound(in);
        ch.runPendingTasks();
        assertNull(ch.readOutbound(), "nothing is answered while the write is pending");
        assertFalse(ch.config().isAutoRead(), "reading paused while a request waits");

        store.release.complete(null);
        ch.runPendingTasks();
        String out = drain(ch);
        int put = out.indexOf("\"rev\":1");
        int get = out.lastIndexOf("\r\n\r\n7");
        assertTrue(put > 0 && get > put, "the PUT is answered first, then the GET sees its value: " + out);
        assertTrue(ch.config().isAutoRead());
        assertEquals(0, in.refCnt());
        assertFalse(ch.finishAndReleaseAll());
        store.close();
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

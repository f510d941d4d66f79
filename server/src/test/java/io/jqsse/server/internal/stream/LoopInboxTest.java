package io.jqsse.server.internal.stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.DefaultEventLoop;
import io.netty.channel.EventLoop;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Order, runs and accounting of a loop's inbox, on a real (non-I/O) event loop. */
class LoopInboxTest {

    final EventLoop loop = new DefaultEventLoop();
    final List<String> seen = new ArrayList<>();

    @AfterEach
    void stop() {
        loop.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
    }

    @Test
    void consecutiveBatchesFormOneRunAndTasksRunBetweenRunsInPostedOrder() throws Exception {
        LoopInbox inbox = new LoopInbox(loop, run -> {
            StringBuilder revs = new StringBuilder("run");
            for (Batch b : run) {
                revs.append(' ').append(b.lastRev);
                b.loopDone();
            }
            seen.add(revs.toString());
        });
        CountDownLatch hold = new CountDownLatch(1);
        CountDownLatch done = new CountDownLatch(1);
        loop.execute(() -> await(hold));
        List<ByteBuf> buffers = new ArrayList<>();
        inbox.post(batch(1, buffers));
        inbox.post(batch(2, buffers));
        inbox.post((Runnable) () -> seen.add("start"));
        inbox.post(batch(3, buffers));
        inbox.post((Runnable) done::countDown);
        assertEquals(3, inbox.queuedChanges(), "queued while the loop is busy");
        assertEquals(3 * 8, inbox.queuedBytes());
        hold.countDown();
        assertTrue(done.await(10, TimeUnit.SECONDS));
        assertEquals(List.of("run 1 2", "start", "run 3"), seen);
        assertEquals(0, inbox.queuedChanges());
        assertEquals(0, inbox.queuedBytes());
        for (ByteBuf b : buffers) {
            assertEquals(0, b.refCnt(), "every batch was released");
        }
    }

    @Test
    void batchesPostedToALoopThatIsShutDownAreReleasedAndNotCounted() {
        loop.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
        LoopInbox inbox = new LoopInbox(loop, run -> seen.add("run"));
        List<ByteBuf> buffers = new ArrayList<>();
        inbox.post(batch(1, buffers));
        inbox.post(batch(2, buffers));
        assertEquals(List.of(), seen);
        assertEquals(0, inbox.queuedChanges());
        assertEquals(0, inbox.queuedBytes());
        assertEquals(0, buffers.get(0).refCnt() + buffers.get(1).refCnt());
    }

    private static Batch batch(long rev, List<ByteBuf> buffers) {
        ByteBuf events = Unpooled.copiedBuffer("events\n\n", StandardCharsets.UTF_8);
        buffers.add(events);
        Batch b = new Batch(List.of(new Batch.ChangeEvents(rev, "ep:" + rev, new FilterGroup[0],
                new ByteBuf[] {events}, new ByteBuf[] {null})), "ep", rev);
        b.expect(1);
        return b;
    }

    private static void await(CountDownLatch latch) {
        try {
            latch.await(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}

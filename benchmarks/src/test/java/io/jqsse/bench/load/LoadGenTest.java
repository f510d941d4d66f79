package io.jqsse.bench.load;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jqsse.server.JqSseServer;
import io.jqsse.server.ServerConfig;
import io.jqsse.store.memory.MemoryStore;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** A few hundred events through a real server on port 0, bounded in count and time. */
@Timeout(60)
class LoadGenTest {

    private JqSseServer server;

    @BeforeEach
    void start() {
        server = JqSseServer.builder().config(ServerConfig.builder().host("127.0.0.1").port(0).build())
                .store(new MemoryStore()).build().start();
    }

    @AfterEach
    void stop() {
        server.close();
    }

    private String url() {
        return "http://127.0.0.1:" + server.port();
    }

    @Test
    void aSmallRunDeliversEveryWriteToEverySubscriber() throws Exception {
        Options o = Options.parse("--url", url(), "--subscribers", "20", "--sources", "3",
                "--writes-per-second", "200", "--duration", "2", "--max-writes", "25", "--settle", "0.2",
                "--drain", "5", "--server-pid", Long.toString(ProcessHandle.current().pid()));
        List<Report> reports = LoadGen.run(o, (i, r) -> { });
        Report r = reports.get(0);
        assertEquals(20, r.connect().connected());
        assertEquals(25, r.publish().sent() + r.publish().skipped(), "the write budget bounds the run");
        assertTrue(r.publish().ok() > 0);
        assertEquals(r.publish().ok() * 20, r.expectedDeliveries());
        assertEquals(r.expectedDeliveries(), r.delivered().stamps());
        assertEquals(r.expectedDeliveries(), r.delivered().latency().getTotalCount());
        assertEquals(r.publish().ok(), r.counterDelta("changes_dispatched_total"));
        assertEquals(100.0, r.serverWritesWithin("+Inf"), 1e-9, "every write of the run is in the server's histogram");
        assertTrue(r.rssIdle() > 0, "RSS of this process is read from /proc");
    }

    @Test
    void subscriberChildrenServeEveryRunOfAnInvocation() throws Exception {
        Options o = Options.parse("--url", url(), "--subscribers", "30", "--processes", "2", "--sources", "2",
                "--writes-per-second", "200", "--duration", "2", "--max-writes", "20", "--settle", "0.2",
                "--drain", "5", "--warmup-runs", "1", "--runs", "1", "--server-pid", Long.toString(ProcessHandle.current().pid()));
        List<Report> seen = new ArrayList<>();
        LoadGen.run(o, (i, r) -> seen.add(r));
        assertEquals(2, seen.size());
        for (Report r : seen) {
            assertEquals(30, r.connect().connected(), "each run connects its own subscribers");
            assertEquals(r.publish().ok() * 30, r.delivered().stamps());
            assertEquals(r.delivered().stamps(), r.delivered().latency().getTotalCount());
            assertTrue(r.clientCpuNanos() > 0, "the children's CPU time counts as the load generator's");
        }
    }

    @Test
    void keyedFiltersReceiveOnlyTheWritesToTheirItem() throws Exception {
        Options o = Options.parse("--url", url(), "--subscribers", "30", "--init-items", "100",
                "--filter", ".items[{i}]", "--filter-keys", "10", "--write-path", ".items[{i}]", "--write-keys", "100",
                "--writes-per-second", "500", "--duration", "2", "--max-writes", "200", "--settle", "0.2",
                "--drain", "5", "--runs", "2");
        List<Report> seen = new ArrayList<>();
        List<Report> measured = LoadGen.run(o, (i, r) -> seen.add(r));
        assertEquals(2, measured.size());
        for (Report r : seen) {
            assertEquals(r.expectedDeliveries(), r.delivered().stamps());
            assertTrue(r.counterDelta("group_evaluations_total") <= r.publish().ok(),
                    "a write to one item evaluates at most the one group reading it");
        }
        long lower = Math.min(seen.get(0).delivered().stamps(), seen.get(1).delivered().stamps());
        assertEquals(lower, Report.median(measured).get("deliveries").asLong(), "the median of two is the lower");
    }
}

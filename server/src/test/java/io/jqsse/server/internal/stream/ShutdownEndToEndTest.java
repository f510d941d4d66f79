package io.jqsse.server.internal.stream;

import static io.jqsse.server.internal.stream.StreamFixture.WAIT;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jqsse.server.JqSseServer;
import io.jqsse.server.ServerConfig;
import io.jqsse.server.testing.Http;
import io.jqsse.server.testing.SseClient;
import io.jqsse.store.memory.MemoryStore;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Graceful shutdown (SPEC section 7): every stream gets a final comment, then the server closes it. */
class ShutdownEndToEndTest {

    @Test
    void closeSendsEveryStreamAFinalCommentAndClosesIt() throws Exception {
        JqSseServer server = JqSseServer.builder()
                .config(ServerConfig.builder().host("127.0.0.1").port(0).shutdownGrace(Duration.ofSeconds(1)).build())
                .store(new MemoryStore()).build().start();
        List<SseClient> clients = new ArrayList<>();
        try {
            new Http(server.port()).post("{\"a\":1}");
            for (int i = 0; i < 5; i++) {
                SseClient c = SseClient.open(server.port(), "/events?filter=.a");
                clients.add(c);
                c.awaitCount(2, WAIT);
            }
            server.close();
            for (SseClient c : clients) {
                c.awaitEnd(WAIT);
                assertTrue(c.comments().contains("server shutting down"), c.comments().toString());
                assertEquals(2, c.events().size());
            }
        } finally {
            server.close();
            for (SseClient c : clients) {
                c.close();
            }
        }
    }
}

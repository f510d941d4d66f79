package io.jqsse.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jqsse.server.TestClient.Reply;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@code MAX_BUFFERED_REQUESTS_MB} over real sockets: while one connection's body is arriving, another whose
 * body would take the server above the budget gets 503 {@code server_busy}, and the first still completes.
 */
class BufferedRequestsLimitTest {

    private static final int MAX_REQUEST_BYTES = 4096;
    private static final int FIRST_BODY_BYTES = 2000;
    private static final int FIRST_SENT_BYTES = 1800;
    private static final int SECOND_BODY_BYTES = 3000;
    private static final int SECOND_SENT_BYTES = 2400;

    private JqSseServer server;
    private TestClient client;

    @BeforeEach
    void start() {
        // one HTTP event loop: the first connection's bytes are read before the second's
        server = JqSseServer.builder().config(ServerConfig.builder().host("127.0.0.1").port(0).ioThreads(1)
                .maxRequestBytes(MAX_REQUEST_BYTES).maxBufferedRequestBytes(MAX_REQUEST_BYTES).build())
                .build().start();
        client = new TestClient(server.port());
        assertEquals(200, client.json("POST", "/store", BadInputTest.USERS).status());
    }

    @AfterEach
    void stop() {
        server.close();
    }

    @Test
    void aSecondBodyAboveTheBudgetGets503ServerBusyAndTheFirstCompletesOnceItSendsTheRest() throws IOException {
        Reply before = client.get("/store");
        String firstBody = "\"" + "a".repeat(FIRST_BODY_BYTES - 2) + "\"";
        try (Socket first = new Socket()) {
            first.connect(new InetSocketAddress("127.0.0.1", server.port()));
            first.setSoTimeout((int) TestClient.TIMEOUT.toMillis());
            OutputStream out = first.getOutputStream();
            send(out, head("/store?path=.data.first", FIRST_BODY_BYTES, "Expect: 100-continue\r\n")
                    + firstBody.substring(0, FIRST_SENT_BYTES));
            String interim = readUntil(first.getInputStream(), "\r\n\r\n");
            assertTrue(interim.startsWith("HTTP/1.1 100 "), "the server has read the first head: " + interim);

            String second = client.raw(head("/store?path=.data.second", SECOND_BODY_BYTES, "")
                    + "1".repeat(SECOND_SENT_BYTES));
            assertTrue(second.startsWith("HTTP/1.1 503 "), second);
            assertTrue(second.contains("\"error\":\"server_busy\""), second);
            assertTrue(second.contains("MAX_BUFFERED_REQUESTS_MB"), second);
            String headers = second.toLowerCase(Locale.ROOT);
            assertTrue(headers.contains("\r\nretry-after: 1\r\n"), second);
            assertTrue(headers.contains("\r\nconnection: close\r\n"), second);
            Reply during = client.get("/store");
            assertEquals(before.body(), during.body(), "the document changed");
            assertEquals(before.header("etag"), during.header("etag"), "the revision changed");
            assertEquals(FIRST_SENT_BYTES, client.get("/metrics").json().path("counters")
                    .path("buffered_request_bytes").asLong(), "the first body's part is held, the refused one is not");

            send(out, firstBody.substring(FIRST_SENT_BYTES));
            String answer = readUntil(first.getInputStream(), "\"status\":\"success\"");
            assertTrue(answer.startsWith("HTTP/1.1 200 "), answer);
        }
        Reply after = client.get("/store?path=.data.first");
        assertEquals(firstBody, after.body().strip());
        assertEquals(0, client.get("/metrics").json().path("counters").path("buffered_request_bytes").asLong());
    }

    private static String head(String target, int contentLength, String extra) {
        return "PUT " + target + " HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                + "Content-Length: " + contentLength + "\r\n" + extra + "\r\n";
    }

    private static void send(OutputStream out, String text) throws IOException {
        out.write(text.getBytes(StandardCharsets.ISO_8859_1));
        out.flush();
    }

    /** Reads until {@code marker} has arrived; the socket's timeout bounds every read. */
    private static String readUntil(InputStream in, String marker) throws IOException {
        ByteArrayOutputStream received = new ByteArrayOutputStream();
        byte[] buf = new byte[1024];
        while (!received.toString(StandardCharsets.ISO_8859_1).contains(marker)) {
            int n = in.read(buf);
            if (n < 0) {
                break;
            }
            received.write(buf, 0, n);
        }
        return received.toString(StandardCharsets.ISO_8859_1);
    }
}

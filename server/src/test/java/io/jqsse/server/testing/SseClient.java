package io.jqsse.server.testing;

import io.jqsse.codec.WhatwgEventStreamParser;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeoutException;
import java.util.function.Predicate;

/**
 * A test client for one event stream over a raw socket: it sends {@code GET /events...}, reads the
 * response head and feeds the body to an independent {@link WhatwgEventStreamParser}. A reader
 * thread collects events; tests wait on them with a deadline.
 */
public final class SseClient implements AutoCloseable {

    private final Socket socket;
    private final WhatwgEventStreamParser parser = new WhatwgEventStreamParser();
    private final Thread reader;
    private final Object lock = new Object();
    private volatile String head;
    private volatile boolean ended;
    private volatile boolean paused;

    private SseClient(Socket socket) {
        this.socket = socket;
        this.reader = new Thread(this::read, "sse-client");
        this.reader.setDaemon(true);
    }

    /** Encodes a query parameter value. */
    public static String q(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }

    /** Connects and sends {@code GET pathAndQuery} with the given extra headers. */
    public static SseClient open(int port, String pathAndQuery, Map<String, String> headers) throws IOException {
        Socket s = new Socket();
        s.connect(new InetSocketAddress("127.0.0.1", port), 5000);
        StringBuilder req = new StringBuilder("GET " + pathAndQuery + " HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                + "Accept: text/event-stream\r\n");
        headers.forEach((k, v) -> req.append(k).append(": ").append(v).append("\r\n"));
        req.append("\r\n");
        OutputStream out = s.getOutputStream();
        out.write(req.toString().getBytes(StandardCharsets.UTF_8));
        out.flush();
        SseClient c = new SseClient(s);
        c.reader.start();
        return c;
    }

    /** Starts reading a stream whose request the caller already sent on {@code socket}. */
    public static SseClient adopt(Socket socket) {
        SseClient c = new SseClient(socket);
        c.reader.start();
        return c;
    }

    public static SseClient open(int port, String pathAndQuery) throws IOException {
        return open(port, pathAndQuery, Map.of());
    }

    private void read() {
        try {
            InputStream in = socket.getInputStream();
            ByteArrayOutputStream headBytes = new ByteArrayOutputStream();
            int state = 0;
            while (head == null) {
                int b = in.read();
                if (b < 0) {
                    break;
                }
                headBytes.write(b);
                state = (b == '\r' || b == '\n') ? state + 1 : 0;
                if (state == 4) {
                    head = headBytes.toString(StandardCharsets.ISO_8859_1);
                }
            }
            byte[] buf = new byte[8192];
            int n;
            while ((n = in.read(buf)) >= 0) {
                parser.feed(buf, 0, n);
                synchronized (lock) {
                    lock.notifyAll();
                }
                while (paused && !socket.isClosed()) {
                    synchronized (lock) {
                        lock.wait(50);
                    }
                }
            }
        } catch (IOException | InterruptedException e) {
            // closed
        } finally {
            ended = true;
            synchronized (lock) {
                lock.notifyAll();
            }
        }
    }

    /** The response head (status line and headers), waiting for it. */
    public String awaitHead(Duration timeout) throws TimeoutException, InterruptedException {
        await(() -> head != null || ended, timeout, "response head");
        return head;
    }

    /** Every event so far. */
    public List<WhatwgEventStreamParser.Event> events() {
        return new ArrayList<>(parser.events());
    }

    public List<String> comments() {
        return parser.comments();
    }

    public long reconnectionTimeMillis() {
        return parser.reconnectionTimeMillis();
    }

    public String lastEventId() {
        return parser.lastEventId();
    }

    public boolean ended() {
        return ended;
    }

    /** Waits until the events so far satisfy {@code done}. */
    public List<WhatwgEventStreamParser.Event> awaitEvents(Predicate<List<WhatwgEventStreamParser.Event>> done,
                                                          Duration timeout) throws TimeoutException, InterruptedException {
        await(() -> done.test(parser.events()) || ended, timeout, "events");
        List<WhatwgEventStreamParser.Event> ev = events();
        if (!done.test(ev)) {
            throw new TimeoutException("stream ended before the expected events; got " + ev);
        }
        return ev;
    }

    /** Waits for at least {@code n} events. */
    public List<WhatwgEventStreamParser.Event> awaitCount(int n, Duration timeout)
            throws TimeoutException, InterruptedException {
        return awaitEvents(ev -> ev.size() >= n, timeout);
    }

    /** Waits until the server closes the stream. */
    public void awaitEnd(Duration timeout) throws TimeoutException, InterruptedException {
        await(() -> ended, timeout, "end of stream");
    }

    /** Stops reading from the socket (the server's writes then back up), or resumes. */
    public void pause(boolean pause) {
        paused = pause;
        synchronized (lock) {
            lock.notifyAll();
        }
    }

    /** Shrinks the socket's receive buffer; call right after open, before the server writes much. */
    public Socket socket() {
        return socket;
    }

    private void await(java.util.function.BooleanSupplier cond, Duration timeout, String what)
            throws TimeoutException, InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        synchronized (lock) {
            while (!cond.getAsBoolean()) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    throw new TimeoutException("timed out waiting for " + what + "; events so far: " + parser.events());
                }
                lock.wait(Math.max(1, Math.min(50, left / 1_000_000)));
            }
        }
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}

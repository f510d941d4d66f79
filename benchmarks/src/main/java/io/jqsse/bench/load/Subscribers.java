package io.jqsse.bench.load;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.netty.channel.EventLoopGroup;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The subscriber side of an invocation, used for each of its runs in turn ({@link #connect},
 * {@link #drain}, {@link #disconnect}): one {@link SubscriberPool} per run in this process, or child
 * JVMs that live through every run (so a warm-up run also compiles their read path) and each open one
 * pool per run. The children speak a line protocol: parent to child {@code CONNECT} (open a pool),
 * {@code STOP} (the last write was sent), {@code CLOSE} (close the pool); child to parent
 * {@code READY <stats json>}, {@code STATS <stats json>}, {@code CLOSED}. A child exits when its
 * standard input closes. Children exist because one process may hold at most about 20,000 open files.
 */
interface Subscribers extends AutoCloseable {

    /** Connects every subscriber of a new run; returns when all answered (or failed). */
    PoolStats connect() throws Exception;

    /** Ends the run after its last write: waits for deliveries to go quiet and reports. */
    PoolStats drain() throws Exception;

    /** Closes the run's connections (after its CPU time was read: closing 10,000 sockets is not delivery work). */
    void disconnect() throws Exception;

    @Override
    void close();

    static Subscribers of(Options o, EventLoopGroup group) throws IOException {
        return o.processes() == 1 ? new Local(o, group) : Children.start(o);
    }

    /** A pool per run in this process. */
    final class Local implements Subscribers {
        private final Options options;
        private final EventLoopGroup group;
        private SubscriberPool pool;

        Local(Options options, EventLoopGroup group) {
            this.options = options;
            this.group = group;
        }

        @Override
        public PoolStats connect() throws Exception {
            close();
            pool = new SubscriberPool(options, group);
            pool.start().get(10, TimeUnit.MINUTES);
            return pool.stats();
        }

        @Override
        public PoolStats drain() throws InterruptedException {
            pool.awaitQuiet(1000, (long) (options.drainSeconds() * 1000));
            return pool.stats();
        }

        @Override
        public void disconnect() {
            close();
        }

        @Override
        public void close() {
            if (pool != null) {
                pool.close();
                pool = null;
            }
        }
    }

    /** Child JVMs, each holding its share of the subscribers. */
    final class Children implements Subscribers {
        private static final ObjectMapper JSON = new ObjectMapper();
        private final List<Process> processes;
        private final List<BufferedReader> outputs = new ArrayList<>();

        private Children(List<Process> processes) {
            this.processes = processes;
            for (Process p : processes) {
                outputs.add(new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8)));
            }
        }

        static Children start(Options o) throws IOException {
            List<Process> ps = new ArrayList<>();
            int share = o.subscribers() / o.processes();
            int first = 0;
            for (int i = 0; i < o.processes(); i++) {
                int n = i == o.processes() - 1 ? o.subscribers() - first : share;
                List<String> cmd = new ArrayList<>(List.of(javaBinary()));
                Arrays.stream(o.clientJvmOptions().trim().split("\\s+")).filter(s -> !s.isEmpty()).forEach(cmd::add);
                cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), LoadGen.class.getName()));
                cmd.addAll(o.childArgs(n, first));
                ps.add(new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.INHERIT).start());
                first += n;
            }
            return new Children(ps);
        }

        static String javaBinary() {
            return Path.of(System.getProperty("java.home"), "bin", "java").toString();
        }

        @Override
        public PoolStats connect() throws IOException {
            tell("CONNECT");
            return collect("READY");
        }

        @Override
        public PoolStats drain() throws IOException {
            tell("STOP");
            return collect("STATS");
        }

        @Override
        public void disconnect() throws IOException {
            tell("CLOSE");
            for (BufferedReader r : outputs) {
                await(r, "CLOSED");
            }
        }

        private void tell(String line) throws IOException {
            for (Process p : processes) {
                OutputStream in = p.getOutputStream();
                in.write((line + "\n").getBytes(StandardCharsets.US_ASCII));
                in.flush();
            }
        }

        private PoolStats collect(String tag) throws IOException {
            PoolStats sum = PoolStats.empty();
            for (BufferedReader r : outputs) {
                String line = await(r, tag + " ");
                sum = sum.plus(PoolStats.fromJson(JSON.readTree(line.substring(tag.length() + 1))));
            }
            return sum;
        }

        /** Reads up to the child's next line starting with {@code prefix}. */
        private static String await(BufferedReader r, String prefix) throws IOException {
            String line;
            while ((line = r.readLine()) != null && !line.startsWith(prefix)) {
                continue;
            }
            if (line == null) {
                throw new IOException("subscriber child: exited before " + prefix.trim() + " (expected: a "
                        + prefix.trim() + " line)");
            }
            return line;
        }

        @Override
        public void close() {
            for (Process p : processes) {
                try {
                    p.getOutputStream().close();
                    if (!p.waitFor(60, TimeUnit.SECONDS)) {
                        p.destroy();
                    }
                } catch (IOException e) {
                    p.destroy();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    p.destroy();
                }
            }
        }
    }
}

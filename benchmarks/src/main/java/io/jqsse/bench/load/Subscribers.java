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
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The subscriber side of a run: one {@link SubscriberPool} in this process, or child JVMs that each
 * run one and speak a line protocol (child to parent: {@code READY <stats json>}, {@code STATS <stats json>};
 * parent to child: {@code STOP}). Children exist because one process may hold at most about 20,000
 * open files.
 */
interface Subscribers extends AutoCloseable {

    /** Connects every subscriber; returns when all answered (or failed). */
    PoolStats connect() throws Exception;

    /** Stops after the last write: waits for deliveries to go quiet, then reports. */
    PoolStats drain() throws Exception;

    @Override
    void close();

    static Subscribers of(Options o, EventLoopGroup group) throws IOException {
        return o.processes() == 1 ? new Local(new SubscriberPool(o, group), o) : Children.start(o);
    }

    /** The pool in this process. */
    final class Local implements Subscribers {
        private final SubscriberPool pool;
        private final Options options;

        Local(SubscriberPool pool, Options options) {
            this.pool = pool;
            this.options = options;
        }

        @Override
        public PoolStats connect() throws Exception {
            pool.start().get(10, TimeUnit.MINUTES);
            return pool.stats();
        }

        @Override
        public PoolStats drain() throws InterruptedException {
            pool.awaitQuiet(1000, (long) (options.drainSeconds() * 1000));
            return pool.stats();
        }

        @Override
        public void close() {
            pool.close();
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
                List<String> cmd = new ArrayList<>(List.of(javaBinary(), "-Xmx1g", "-XX:+UseParallelGC",
                        "-cp", System.getProperty("java.class.path"), LoadGen.class.getName()));
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
            return collect("READY");
        }

        @Override
        public PoolStats drain() throws IOException {
            for (Process p : processes) {
                OutputStream in = p.getOutputStream();
                in.write("STOP\n".getBytes(StandardCharsets.US_ASCII));
                in.flush();
            }
            return collect("STATS");
        }

        private PoolStats collect(String tag) throws IOException {
            PoolStats sum = PoolStats.empty();
            for (BufferedReader r : outputs) {
                String line;
                while ((line = r.readLine()) != null && !line.startsWith(tag + " ")) {
                    continue;
                }
                if (line == null) {
                    throw new IOException("subscriber child: exited before " + tag + " (expected: a " + tag + " line)");
                }
                sum = sum.plus(PoolStats.fromJson(JSON.readTree(line.substring(tag.length() + 1))));
            }
            return sum;
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

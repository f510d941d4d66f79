package io.jqsse.bench.load;

import java.net.URI;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The load generator's options, parsed from {@code --name value} pairs; every default is here.
 *
 * @param target             {@code jqsse} or {@code nchan}: which API the subscribers and publisher speak
 * @param url                the server's base URL (loopback only); ignored with {@code spawnServer}
 * @param subscribers        SSE connections to hold, over all processes
 * @param filter             the subscribe filter; {@code {i}} becomes the subscriber's index modulo {@code filterKeys}
 * @param filterKeys         distinct values of {@code {i}} in {@code filter}
 * @param writePath          the PATCH path; {@code {i}} becomes a random index below {@code writeKeys}
 * @param writeKeys          distinct values of {@code {i}} in {@code writePath}
 * @param initItems          when positive, the document is first replaced by {@code {"bench":{},"items":[...]}} with
 *                           that many items
 * @param initGroups         when positive, the document is first replaced by {@link LargeDocuments#document}'s
 *                           nested document of that many groups (1,180 are about 16 MB)
 * @param sources            subscribers bind to 127.0.0.1 .. 127.0.0.{@code sources} in turn
 * @param writesPerSecond    the publish rate; 0 publishes nothing (idle run), negative as fast as the server answers
 * @param publishers         HTTP connections the publisher uses
 * @param durationSeconds    how long to publish (or hold, when idle)
 * @param maxWrites          stop publishing after that many writes
 * @param processes          subscriber processes (each holds {@code subscribers / processes} connections); by
 *                           default one per {@value #MAX_SUBSCRIBERS_PER_PROCESS} subscribers, since one
 *                           process may hold at most 20,000 open files
 * @param spawnServer        start a {@link BenchServer} as a child process and measure it
 * @param serverJvmOptions   JVM options of that child, space separated
 * @param serverPid          the server process to read RSS from (with its child processes), 0 for none
 * @param settleSeconds      wait after the last connection before sampling idle RSS
 * @param connectConcurrency connection attempts in flight per process
 * @param drainSeconds       how long subscribers keep reading after the last write, at most
 * @param child              internal: this process is a subscriber child of a load generator
 * @param firstIndex         internal: the index of this process's first subscriber, for {@code {i}}
 * @param runs               measured runs against the same server (each connects fresh subscribers)
 * @param warmupRuns         runs before those, reported but not counted in the median
 * @param loops              event loops per subscriber process (each reads its share of the connections)
 * @param recvBuffer         bytes per socket read: a fixed receive buffer of that size, or 0 for Netty's
 *                           adaptive one
 * @param clientJvmOptions   JVM options of the subscriber child processes, space separated
 */
record Options(String target, URI url, int subscribers, String filter, int filterKeys, String writePath,
               int writeKeys, int initItems, int initGroups, int sources, double writesPerSecond, int publishers,
               double durationSeconds, long maxWrites, int processes, boolean spawnServer, String serverJvmOptions,
               long serverPid, double settleSeconds, int connectConcurrency, double drainSeconds, boolean child,
               int firstIndex, int runs, int warmupRuns, int loops, int recvBuffer, String clientJvmOptions) {

    static final String DEFAULT_URL = "http://127.0.0.1:8080";
    /** Below the 20,000 open files a process may hold, with room for the JVM's own. */
    static final int MAX_SUBSCRIBERS_PER_PROCESS = 15_000;
    /**
     * A small young generation: with the JVM's default (a share of the machine's memory) the idle RSS
     * per connection mostly measures eden pages touched by connection-setup garbage, not what a
     * connection keeps.
     */
    static final String DEFAULT_SERVER_JVM_OPTIONS = "-Xms32m -Xmx1g -Xmn16m -XX:+UseSerialGC";
    /**
     * Subscriber children allocate nothing per event, so a small fixed heap and the serial collector
     * do; a small thread stack; tiered compilation stays on (the children live through every run of an
     * invocation, so a warm-up run compiles their read path before the measured ones).
     */
    static final String DEFAULT_CLIENT_JVM_OPTIONS = "-Xms64m -Xmx512m -Xmn32m -XX:+UseSerialGC -Xss512k";
    private static final Set<String> FLAGS = Set.of("spawn-server", "child");

    static Options parse(String... args) {
        Map<String, String> m = new HashMap<>();
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            if (!a.startsWith("--")) {
                throw new IllegalArgumentException("argument: " + a + " (expected: --name value)");
            }
            String name = a.substring(2);
            if (FLAGS.contains(name)) {
                m.put(name, "true");
            } else if (i + 1 < args.length) {
                m.put(name, args[++i]);
            } else {
                throw new IllegalArgumentException(a + ": missing value (expected: " + a + " value)");
            }
        }
        Options o = new Options(
                m.getOrDefault("target", "jqsse"),
                URI.create(m.getOrDefault("url", DEFAULT_URL)),
                subscribersOf(m),
                m.getOrDefault("filter", ".bench"),
                Integer.parseInt(m.getOrDefault("filter-keys", "1")),
                m.getOrDefault("write-path", ".bench"),
                Integer.parseInt(m.getOrDefault("write-keys", "1")),
                Integer.parseInt(m.getOrDefault("init-items", "0")),
                Integer.parseInt(m.getOrDefault("init-groups", "0")),
                Integer.parseInt(m.getOrDefault("sources", "1")),
                rate(m.getOrDefault("writes-per-second", "10")),
                Integer.parseInt(m.getOrDefault("publishers", "4")),
                Double.parseDouble(m.getOrDefault("duration", "10")),
                Long.parseLong(m.getOrDefault("max-writes", "1000000")),
                m.containsKey("processes") ? Integer.parseInt(m.get("processes"))
                        : Math.max(1, (subscribersOf(m) + MAX_SUBSCRIBERS_PER_PROCESS - 1) / MAX_SUBSCRIBERS_PER_PROCESS),
                Boolean.parseBoolean(m.getOrDefault("spawn-server", "false")),
                m.getOrDefault("server-jvm-options", DEFAULT_SERVER_JVM_OPTIONS),
                Long.parseLong(m.getOrDefault("server-pid", "0")),
                Double.parseDouble(m.getOrDefault("settle", "3")),
                Integer.parseInt(m.getOrDefault("connect-concurrency", "200")),
                Double.parseDouble(m.getOrDefault("drain", "10")),
                Boolean.parseBoolean(m.getOrDefault("child", "false")),
                Integer.parseInt(m.getOrDefault("first-index", "0")),
                Integer.parseInt(m.getOrDefault("runs", "1")),
                Integer.parseInt(m.getOrDefault("warmup-runs", "0")),
                Integer.parseInt(m.getOrDefault("loops", "1")),
                Integer.parseInt(m.getOrDefault("recv-buffer", "0")),
                m.getOrDefault("client-jvm-options", DEFAULT_CLIENT_JVM_OPTIONS));
        o.validate();
        return o;
    }

    private static int subscribersOf(Map<String, String> m) {
        return Integer.parseInt(m.getOrDefault("subscribers", "100"));
    }

    private static double rate(String v) {
        return v.equals("max") ? -1 : Double.parseDouble(v);
    }

    private void validate() {
        if (!target.equals("jqsse") && !target.equals("nchan")) {
            throw new IllegalArgumentException("--target: " + target + " (expected: jqsse or nchan)");
        }
        String host = url.getHost();
        if (host == null || !(host.startsWith("127.") || host.equals("localhost"))) {
            throw new IllegalArgumentException("--url: " + url + " (expected: a loopback address, 127.0.0.0/8)");
        }
        if (sources < 1 || sources > 254) {
            throw new IllegalArgumentException("--sources: " + sources + " (expected: 1 to 254)");
        }
        if (loops < 1 || loops > 64 || recvBuffer < 0 || recvBuffer > (1 << 20)) {
            throw new IllegalArgumentException("--loops/--recv-buffer: " + loops + "/" + recvBuffer
                    + " (expected: 1 to 64, 0 to 1048576 bytes)");
        }
        if (processes < 1 || subscribers < 0 || durationSeconds <= 0 || durationSeconds > 3600) {
            throw new IllegalArgumentException("--processes/--subscribers/--duration: " + processes + "/" + subscribers
                    + "/" + durationSeconds + " (expected: at least 1, at least 0, 0 to 3600 s)");
        }
    }

    /** The same options with another URL and subscriber count, for a child or a spawned server. */
    Options with(URI newUrl, int newSubscribers) {
        return new Options(target, newUrl, newSubscribers, filter, filterKeys, writePath, writeKeys, initItems,
                initGroups, sources,
                writesPerSecond, publishers, durationSeconds, maxWrites, processes, false, serverJvmOptions, 0, settleSeconds,
                connectConcurrency, drainSeconds, child, firstIndex, runs, warmupRuns, loops, recvBuffer,
                clientJvmOptions);
    }

    /** The arguments a subscriber child gets: what its pool needs. */
    List<String> childArgs(int childSubscribers, int firstIndex) {
        List<String> a = new ArrayList<>(List.of("--child", "--target", target, "--url", url.toString(),
                "--subscribers", Integer.toString(childSubscribers), "--filter", filter,
                "--filter-keys", Integer.toString(filterKeys), "--sources", Integer.toString(sources),
                "--connect-concurrency", Integer.toString(connectConcurrency),
                "--drain", Double.toString(drainSeconds), "--first-index", Integer.toString(firstIndex),
                "--loops", Integer.toString(loops), "--recv-buffer", Integer.toString(recvBuffer)));
        return a;
    }

    int port() {
        return url.getPort() > 0 ? url.getPort() : 80;
    }
}

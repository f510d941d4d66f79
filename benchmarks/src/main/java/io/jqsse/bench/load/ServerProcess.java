package io.jqsse.bench.load;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A {@link BenchServer} child process (it stops when its standard input closes), and the RSS of any
 * process tree read from {@code /proc/<pid>/status}.
 */
final class ServerProcess implements AutoCloseable {

    /** USER_HZ: the unit of /proc CPU times, 100 on every Linux this runs on. */
    private static final long CLOCK_TICKS_PER_SECOND = 100;

    final Process process;
    final int port;
    final long pid;

    private ServerProcess(Process process, int port, long pid) {
        this.process = process;
        this.port = port;
        this.pid = pid;
    }

    static ServerProcess start(String jvmOptions) throws IOException {
        List<String> cmd = new ArrayList<>();
        cmd.add(Subscribers.Children.javaBinary());
        Arrays.stream(jvmOptions.trim().split("\\s+")).filter(s -> !s.isEmpty()).forEach(cmd::add);
        cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), BenchServer.class.getName(), "0"));
        Process p = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
        String line = out.readLine();
        if (line == null || !line.startsWith("LISTENING ")) {
            p.destroy();
            throw new IOException("bench server: printed " + line + " (expected: LISTENING <port> <pid>)");
        }
        String[] parts = line.split(" ");
        return new ServerProcess(p, Integer.parseInt(parts[1]), Long.parseLong(parts[2]));
    }

    /** VmRSS of {@code pid} and all its descendants in bytes; 0 when {@code pid} is 0 or gone. */
    static long rssBytes(long pid) {
        if (pid <= 0) {
            return 0;
        }
        return ProcessHandle.of(pid).map(h -> Stream.concat(Stream.of(h), h.descendants())
                .mapToLong(ph -> vmRssBytes(ph.pid())).sum()).orElse(0L);
    }

    /** CPU time (user + system) of {@code pid} and all its descendants, nanoseconds; 0 when {@code pid} is 0. */
    static long cpuNanos(long pid) {
        if (pid <= 0) {
            return 0;
        }
        return ProcessHandle.of(pid).map(h -> Stream.concat(Stream.of(h), h.descendants())
                .mapToLong(ph -> cpuTicks(ph.pid())).sum()).orElse(0L) * (1_000_000_000L / CLOCK_TICKS_PER_SECOND);
    }

    /** utime + stime from {@code /proc/<pid>/stat} (fields 14 and 15, after the parenthesized command). */
    private static long cpuTicks(long pid) {
        try {
            String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
            String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            return Long.parseLong(f[11]) + Long.parseLong(f[12]);
        } catch (IOException | RuntimeException e) {
            return 0;
        }
    }

    private static long vmRssBytes(long pid) {
        try {
            for (String l : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
                if (l.startsWith("VmRSS:")) {
                    return Long.parseLong(l.replaceAll("[^0-9]", "")) * 1024;
                }
            }
        } catch (IOException | RuntimeException e) {
            return 0;
        }
        return 0;
    }

    @Override
    public void close() {
        try {
            process.getOutputStream().close();
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                process.destroy();
            }
        } catch (IOException e) {
            process.destroy();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroy();
        }
    }
}

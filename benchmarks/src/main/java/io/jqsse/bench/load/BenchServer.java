package io.jqsse.bench.load;

import io.jqsse.server.JqSseServer;
import io.jqsse.server.Main;
import io.jqsse.server.ServerConfig;
import io.jqsse.store.memory.MemoryStore;

/**
 * The jq-sse process a load run measures: a memory-store server on loopback that prints
 * {@code LISTENING <port> <pid>} on standard output once bound, then runs until standard input
 * closes (so it dies with the load generator that started it). Netty's process-wide settings are
 * those of the {@code jq-sse} command ({@link Main#applyNettyDefaults()}).
 *
 * <p>Arguments: {@code [port] [ioThreads] [maxConnections]}, defaults 0 (ephemeral), 0 (one per
 * processor), 100000; the transport from {@code IO_TRANSPORT} in the environment; every other
 * setting its default.
 */
public final class BenchServer {

    private BenchServer() {
    }

    public static void main(String[] args) throws Exception {
        int port = args.length > 0 ? Integer.parseInt(args[0]) : 0;
        int ioThreads = args.length > 1 ? Integer.parseInt(args[1]) : 0;
        int maxConnections = args.length > 2 ? Integer.parseInt(args[2]) : 100_000;
        Main.applyNettyDefaults();
        ServerConfig config = ServerConfig.builder()
                .host("127.0.0.1").port(port).ioThreads(ioThreads).maxConnections(maxConnections)
                .ioTransport(Transport.serverTransport()).build();
        JqSseServer server = JqSseServer.builder().config(config).store(new MemoryStore()).build().start();
        System.out.println("LISTENING " + server.port() + " " + ProcessHandle.current().pid());
        System.out.flush();
        while (System.in.read() >= 0) {
            continue;
        }
        server.close();
    }
}

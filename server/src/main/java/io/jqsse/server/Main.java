package io.jqsse.server;

import io.jqsse.server.config.ConfigException;
import io.jqsse.server.config.ConfigLoader;
import java.net.InetAddress;
import java.net.UnknownHostException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@code jq-sse} binary: reads the configuration (environment, {@code .env}, {@code application.conf},
 * {@code -D}), starts the server, and closes it gracefully on SIGTERM. Exits with 2 when the configuration
 * is invalid, 1 when the server cannot start.
 */
public final class Main {

    private static final Logger log = LoggerFactory.getLogger(Main.class);

    static final int EXIT_INVALID_CONFIG = 2;
    static final int EXIT_START_FAILED = 1;

    private Main() {
    }

    public static void main(String[] args) {
        ServerConfig config;
        JqSseServer server;
        try {
            config = ConfigLoader.fromEnvironment();
            server = JqSseServer.builder().config(config).build();
        } catch (ConfigException | IllegalArgumentException e) {
            log.error("jq-sse: invalid configuration: {}", e.getMessage());
            System.exit(EXIT_INVALID_CONFIG);
            return;
        }
        try {
            server.start();
        } catch (RuntimeException e) {
            log.error("jq-sse: cannot start: {}", e.getMessage(), e);
            server.close();
            System.exit(EXIT_START_FAILED);
            return;
        }
        Runtime.getRuntime().addShutdownHook(new Thread(server::close, "jq-sse-shutdown"));
        log.info("jq-sse listening on {}:{} (store: {})", config.host(), server.port(), server.store().type());
        if (!isLoopback(config.host())) {
            log.warn("jq-sse is reachable beyond loopback ({}) without authentication: anyone who can connect"
                    + " can read and write the document (set AUTH_MODE, or HOST=127.0.0.1)", config.host());
        }
        server.awaitClose();
    }

    private static boolean isLoopback(String host) {
        try {
            return InetAddress.getByName(host).isLoopbackAddress();
        } catch (UnknownHostException e) {
            return false;
        }
    }
}

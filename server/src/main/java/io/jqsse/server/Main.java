package io.jqsse.server;

import io.jqsse.server.config.ConfigException;
import io.jqsse.server.config.ConfigLoader;
import io.netty.util.ResourceLeakDetector;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.function.Supplier;
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

    /** Startup failed; {@link #code} is the process exit status. */
    static final class StartupException extends RuntimeException {
        private static final long serialVersionUID = 1L;
        final int code;

        StartupException(int code, String message, Throwable cause) {
            super(message, cause);
            this.code = code;
        }
    }

    private Main() {
    }

    public static void main(String[] args) {
        applyNettyDefaults();
        JqSseServer server;
        try {
            server = start(ConfigLoader::fromEnvironment);
        } catch (StartupException e) {
            log.error("jq-sse: {}", e.getMessage());
            System.exit(e.code);
            return;
        }
        Runtime.getRuntime().addShutdownHook(new Thread(server::close, "jq-sse-shutdown"));
        server.awaitClose();
    }

    /**
     * The process-wide Netty settings of the {@code jq-sse} command, unless set with {@code -D}: buffer
     * leak detection off. Netty's default samples one buffer in 128, and every duplicate of a sampled
     * buffer records a stack trace: one sampled event fanned out to 10,000 streams costs 10,000 stack
     * traces at once, a latency spike on every stream of the loop. The tests run with paranoid
     * detection instead. Embedders decide for their own process.
     */
    public static void applyNettyDefaults() {
        if (System.getProperty("io.netty.leakDetection.level") == null) {
            ResourceLeakDetector.setLevel(ResourceLeakDetector.Level.DISABLED);
        }
    }

    /**
     * Loads the configuration, builds and starts the server, and logs where it listens.
     *
     * @throws StartupException with {@link #EXIT_INVALID_CONFIG} or {@link #EXIT_START_FAILED}
     */
    static JqSseServer start(Supplier<ServerConfig> configuration) {
        ServerConfig config;
        JqSseServer server;
        try {
            config = configuration.get();
            server = JqSseServer.builder().config(config).build();
        } catch (ConfigException | IllegalArgumentException e) {
            throw new StartupException(EXIT_INVALID_CONFIG, "invalid configuration: " + e.getMessage(), e);
        }
        try {
            server.start();
        } catch (RuntimeException e) {
            server.close();
            throw new StartupException(EXIT_START_FAILED, "cannot start: " + e.getMessage(), e);
        }
        log.info("jq-sse listening on {}:{} (store: {}, transport: {})", config.host(), server.port(),
                server.store().type(), server.transport().configName());
        if (!isLoopback(config.host())) {
            log.warn("jq-sse is reachable beyond loopback ({}) without authentication: anyone who can connect"
                    + " can read and write the document (this build has no authentication: bind HOST=127.0.0.1 or put an authenticating proxy in front)", config.host());
        }
        return server;
    }

    static boolean isLoopback(String host) {
        try {
            return InetAddress.getByName(host).isLoopbackAddress();
        } catch (UnknownHostException e) {
            return false;
        }
    }
}

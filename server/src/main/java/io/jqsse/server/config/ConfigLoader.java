package io.jqsse.server.config;

import io.jqsse.server.IoTransport;
import io.jqsse.server.ServerConfig;
import io.jqsse.server.ServerConfig.Mongo;

import java.nio.file.Path;
import java.util.Map;
import java.util.Objects;
import java.util.Properties;

import static io.jqsse.server.config.Setting.*;

/**
 * Builds a {@link ServerConfig} from the places an operator puts settings (SPEC section 5).
 *
 * <p>Sources, highest priority first:
 * <ol>
 *   <li>environment variables, by their go-sse names ({@code PORT}, {@code STORE_TYPE},
 *       {@code MONGO_URI}, ...);</li>
 *   <li>{@code -D} system properties, by the same name ({@code -DPORT=9000}) or by the HOCON key
 *       ({@code -Djqsse.port=9000}), the name winning when both are given;</li>
 *   <li>{@code .env} in the working directory ({@code KEY=VALUE} lines, {@code #} comments,
 *       optional quotes, optional {@code export} prefix);</li>
 *   <li>HOCON: the file named by {@code -Dconfig.file} (relative to the working directory) or
 *       else {@code application.conf} in the working directory, over {@code application.conf} on
 *       the class path; {@code ${?NAME}} substitutions see the environment and {@code .env};</li>
 *   <li>the {@code DEFAULT_*} constants of {@link ServerConfig}.</li>
 * </ol>
 * A value that is empty or blank counts as not set. The HOCON key of a setting is {@code jqsse.}
 * and its name in lower case with {@code _} as {@code -}, {@code MONGO_*} under
 * {@code jqsse.mongo}: {@code PORT} is {@code jqsse.port}, {@code STORE_TYPE} is
 * {@code jqsse.store-type}, {@code MONGO_URI} is {@code jqsse.mongo.uri},
 * {@code HEARTBEAT_INTERVAL_SECONDS} is {@code jqsse.heartbeat-interval-seconds}. In HOCON,
 * {@code jqsse.cors-allowed-origins} may also be a list. Unknown {@code jqsse.*} keys are logged
 * as warnings. {@code .env.example} at the repository root lists every setting with its default
 * and range.
 *
 * <p>Every value is validated; the first bad one stops loading with a {@link ConfigException}
 * naming it, e.g. {@code PORT: abc (expected: an integer from 0 to 65535)}.
 */
public final class ConfigLoader {

    private static final int MAX_PORT = 65535;
    private static final int MAX_MB = 2047;
    private static final int MAX_WATER_MARK_KB = 1024 * 1024;
    private static final int MAX_BUFFERED_MB = 1024 * 1024;

    private ConfigLoader() {
    }

    /** Loads from {@link System#getenv()}, {@link System#getProperties()} and the current directory. */
    public static ServerConfig fromEnvironment() {
        return load(System.getenv(), System.getProperties(), Path.of("").toAbsolutePath());
    }

    /**
     * Loads from the given environment and system properties, and from {@code .env} and
     * {@code application.conf} in {@code workingDir} (and {@code application.conf} on this class's
     * class path). Reads nothing else of the process: tests pass their own maps and a temporary
     * directory.
     *
     * @throws ConfigException when a value is invalid or a file cannot be read
     */
    public static ServerConfig load(Map<String, String> env, Properties systemProperties, Path workingDir) {
        return load(env, systemProperties, workingDir, ConfigLoader.class.getClassLoader());
    }

    static ServerConfig load(Map<String, String> env, Properties systemProperties, Path workingDir,
                             ClassLoader classLoader) {
        Objects.requireNonNull(env, "env");
        Objects.requireNonNull(systemProperties, "systemProperties");
        Objects.requireNonNull(workingDir, "workingDir");
        Sources sources = Sources.read(env, systemProperties, workingDir, classLoader);
        sources.warnAboutUnknownKeys();
        Values v = new Values(sources);
        ServerConfig.Builder b = ServerConfig.builder()
                .host(v.parsed(HOST, ServerConfig.DEFAULT_HOST, Formats::host, Formats.HOST_EXPECTED))
                .port(v.integer(PORT, 0, MAX_PORT, ServerConfig.DEFAULT_PORT))
                .storeType(v.parsed(STORE_TYPE, ServerConfig.DEFAULT_STORE_TYPE, Formats::storeType,
                        Formats.STORE_TYPE_EXPECTED))
                .mongo(mongo(v));
        requestBytes(v, b);
        b.maxInitialLineBytes(v.integer(MAX_URI_LENGTH, 256, 1024 * 1024, ServerConfig.DEFAULT_MAX_INITIAL_LINE_BYTES))
                .maxHeaderBytes(v.kibibytes(MAX_HEADER_SIZE_KB, 1, 1024, ServerConfig.DEFAULT_MAX_HEADER_BYTES))
                .maxConnections(v.integer(MAX_CONNECTIONS, 1, 10_000_000, ServerConfig.DEFAULT_MAX_CONNECTIONS))
                .ioThreads(v.integer(IO_THREADS, 0, 1024, ServerConfig.DEFAULT_IO_THREADS))
                .ioTransport(v.parsed(IO_TRANSPORT, ServerConfig.DEFAULT_IO_TRANSPORT, IoTransport::parse,
                        IoTransport.NAMES))
                .sseRetryMillis(v.longInteger(SSE_RETRY_MS, 0, 86_400_000, ServerConfig.DEFAULT_SSE_RETRY_MILLIS))
                .heartbeatInterval(v.seconds(HEARTBEAT_INTERVAL_SECONDS, 1, 3600,
                        ServerConfig.DEFAULT_HEARTBEAT_INTERVAL))
                .maxDeltaEvents(v.integer(MAX_DELTA_EVENTS, 1, 1_000_000, ServerConfig.DEFAULT_MAX_DELTA_EVENTS))
                .replayBufferSize(v.integer(REPLAY_BUFFER_SIZE, 0, 10_000_000, ServerConfig.DEFAULT_REPLAY_BUFFER_SIZE))
                .replayBufferBytes(v.mebibytes(REPLAY_BUFFER_MB, 0, 65_536, ServerConfig.DEFAULT_REPLAY_BUFFER_BYTES))
                .slowClientTimeout(v.seconds(SLOW_CLIENT_TIMEOUT_SECONDS, 1, 86_400,
                        ServerConfig.DEFAULT_SLOW_CLIENT_TIMEOUT))
                .corsAllowedOrigins(v.parsed(CORS_ALLOWED_ORIGINS, ServerConfig.DEFAULT_CORS_ALLOWED_ORIGINS,
                        Formats::corsOrigins, Formats.CORS_EXPECTED))
                .maxFiltersPerStream(v.integer(MAX_FILTERS_PER_STREAM, 1, 1024,
                        ServerConfig.DEFAULT_MAX_FILTERS_PER_STREAM))
                .filterTimeout(v.millis(FILTER_TIMEOUT_MS, 1, 60_000, ServerConfig.DEFAULT_FILTER_TIMEOUT))
                .maxViewBytes(v.mebibytes(MAX_VIEW_MB, 1, MAX_MB, ServerConfig.DEFAULT_MAX_VIEW_BYTES))
                .shutdownGrace(v.seconds(SHUTDOWN_GRACE_SECONDS, 0, 3600, ServerConfig.DEFAULT_SHUTDOWN_GRACE));
        waterMarks(v, b);
        return b.build();
    }

    private static void waterMarks(Values v, ServerConfig.Builder b) {
        int low = v.kibibytes(WRITE_BUFFER_LOW_WATER_MARK_KB, 1, MAX_WATER_MARK_KB,
                ServerConfig.DEFAULT_WRITE_BUFFER_LOW_WATER_MARK_BYTES);
        int high = v.kibibytes(WRITE_BUFFER_HIGH_WATER_MARK_KB, 1, MAX_WATER_MARK_KB,
                ServerConfig.DEFAULT_WRITE_BUFFER_HIGH_WATER_MARK_BYTES);
        if (low > high) {
            String lowKb = WRITE_BUFFER_LOW_WATER_MARK_KB.name() + " " + low / 1024;
            String highKb = WRITE_BUFFER_HIGH_WATER_MARK_KB.name() + " " + high / 1024;
            throw v.raw(WRITE_BUFFER_LOW_WATER_MARK_KB)
                    .map(r -> Values.invalid(r, "at most " + highKb))
                    .orElseGet(() -> Values.invalid(v.raw(WRITE_BUFFER_HIGH_WATER_MARK_KB).orElseThrow(),
                            "at least " + lowKb));
        }
        b.writeBufferLowWaterMarkBytes(low).writeBufferHighWaterMarkBytes(high);
    }

    private static void requestBytes(Values v, ServerConfig.Builder b) {
        long maxRequest = v.mebibytes(MAX_REQUEST_SIZE_MB, 1, MAX_MB, ServerConfig.DEFAULT_MAX_REQUEST_BYTES);
        long maxBuffered = v.mebibytes(MAX_BUFFERED_REQUESTS_MB, 0, MAX_BUFFERED_MB,
                ServerConfig.DEFAULT_MAX_BUFFERED_REQUEST_BYTES);
        if (maxBuffered > 0 && maxBuffered < maxRequest) {
            throw Values.invalid(v.raw(MAX_BUFFERED_REQUESTS_MB).orElseThrow(),
                    "0 or at least " + MAX_REQUEST_SIZE_MB.name() + " " + maxRequest / (1024 * 1024));
        }
        b.maxRequestBytes(maxRequest).maxBufferedRequestBytes(maxBuffered);
    }

    private static Mongo mongo(Values v) {
        String uri = v.raw(MONGO_URI).map(r -> {
            if (Formats.mongoUri(r.text()) == null) {
                throw Values.invalid(r, Formats.redactUri(r.text()), Formats.MONGO_URI_EXPECTED);
            }
            return r.text();
        }).orElse(null);
        String user = v.text(MONGO_USER, null);
        String password = v.text(MONGO_PASSWORD, null);
        if (password != null && user == null && uri == null) {
            throw Values.invalid(v.raw(MONGO_PASSWORD).orElseThrow(), "MONGO_USER set too");
        }
        return new Mongo(uri,
                v.parsed(MONGO_HOST, Mongo.DEFAULT_HOST, Formats::host, Formats.HOST_EXPECTED),
                v.integer(MONGO_PORT, 1, MAX_PORT, Mongo.DEFAULT_PORT),
                user,
                password,
                v.parsed(MONGO_AUTH_DB, Mongo.DEFAULT_AUTH_DB, Formats::database, Formats.DATABASE_EXPECTED),
                v.parsed(MONGO_DB_NAME, Mongo.DEFAULT_DB_NAME, Formats::database, Formats.DATABASE_EXPECTED),
                v.parsed(MONGO_COLLECTION, Mongo.DEFAULT_COLLECTION, Formats::collection, Formats.COLLECTION_EXPECTED),
                v.parsed(MONGO_DOCUMENT_ID, Mongo.DEFAULT_DOCUMENT_ID, Formats::documentId,
                        Formats.DOCUMENT_ID_EXPECTED),
                v.parsed(MONGO_WRITE_CONCERN, Mongo.DEFAULT_WRITE_CONCERN, Formats::writeConcern,
                        Formats.WRITE_CONCERN_EXPECTED));
    }
}

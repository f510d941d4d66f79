package io.jqsse.server.config;

import io.jqsse.server.IoTransport;
import io.jqsse.server.ServerConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.function.Function;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.params.provider.Arguments.arguments;

/** Each setting from the environment: what it accepts, how it converts, what it rejects and how it says so. */
class ConfigLoaderTest {

    @TempDir
    Path dir;

    @Test
    void nothingSetGivesTheDefaults() {
        assertEquals(ServerConfig.defaults(), load(Map.of()));
    }

    static Stream<Arguments> valid() {
        return Stream.of(
                valid("PORT=9000", ServerConfig::port, 9000),
                valid("PORT=0", ServerConfig::port, 0),
                valid("PORT=65535", ServerConfig::port, 65535),
                valid("PORT= 8081 ", ServerConfig::port, 8081),
                valid("PORT=+8082", ServerConfig::port, 8082),
                valid("PORT=", ServerConfig::port, ServerConfig.DEFAULT_PORT),
                valid("PORT=   ", ServerConfig::port, ServerConfig.DEFAULT_PORT),
                valid("HOST=127.0.0.1", ServerConfig::host, "127.0.0.1"),
                valid("HOST=::1", ServerConfig::host, "::1"),
                valid("HOST=[::1]", ServerConfig::host, "[::1]"),
                valid("HOST=jq-sse.example.com", ServerConfig::host, "jq-sse.example.com"),
                valid("STORE_TYPE=mongo", ServerConfig::storeType, "mongo"),
                valid("STORE_TYPE=Memory", ServerConfig::storeType, "memory"),
                valid("MONGO_URI=mongodb://u:p@h1:27017,h2/db?replicaSet=rs0", c -> c.mongo().uri(),
                        "mongodb://u:p@h1:27017,h2/db?replicaSet=rs0"),
                valid("MONGO_URI=mongodb+srv://cluster0.example.net", c -> c.mongo().uri(), "mongodb+srv://cluster0.example.net"),
                valid("MONGO_HOST=db.internal", c -> c.mongo().host(), "db.internal"),
                valid("MONGO_PORT=27018", c -> c.mongo().port(), 27018),
                valid("MONGO_USER=alice", c -> c.mongo().user(), "alice"),
                valid("MONGO_AUTH_DB=users", c -> c.mongo().authDb(), "users"),
                valid("MONGO_DB_NAME=jq-sse_1", c -> c.mongo().dbName(), "jq-sse_1"),
                valid("MONGO_COLLECTION=docs.v2", c -> c.mongo().collection(), "docs.v2"),
                valid("MONGO_DOCUMENT_ID=state:1", c -> c.mongo().documentId(), "state:1"),
                valid("MONGO_WRITE_CONCERN=Majority", c -> c.mongo().writeConcern(), "majority"),
                valid("MONGO_WRITE_CONCERN=acknowledged", c -> c.mongo().writeConcern(), "acknowledged"),
                valid("MONGO_WRITE_CONCERN=UNACKNOWLEDGED", c -> c.mongo().writeConcern(), "unacknowledged"),
                valid("MONGO_WRITE_CONCERN=journaled", c -> c.mongo().writeConcern(), "journaled"),
                valid("MONGO_WRITE_CONCERN=W2", c -> c.mongo().writeConcern(), "w2"),
                valid("MONGO_WRITE_CONCERN=1", c -> c.mongo().writeConcern(), "w1"),
                valid("MONGO_WRITE_CONCERN=w0", c -> c.mongo().writeConcern(), "w0"),
                valid("MONGO_WRITE_CONCERN=w50", c -> c.mongo().writeConcern(), "w50"),
                valid("MAX_REQUEST_SIZE_MB=1", ServerConfig::maxRequestBytes, 1024L * 1024),
                valid("MAX_REQUEST_SIZE_MB=2047", ServerConfig::maxRequestBytes, 2047L * 1024 * 1024),
                valid("MAX_BUFFERED_REQUESTS_MB=0", ServerConfig::maxBufferedRequestBytes, 0L),
                valid("MAX_BUFFERED_REQUESTS_MB=20", ServerConfig::maxBufferedRequestBytes, 20L * 1024 * 1024),
                valid("MAX_BUFFERED_REQUESTS_MB=1048576", ServerConfig::maxBufferedRequestBytes, 1L << 40),
                valid("MAX_URI_LENGTH=4096", ServerConfig::maxInitialLineBytes, 4096),
                valid("MAX_HEADER_SIZE_KB=32", ServerConfig::maxHeaderBytes, 32 * 1024),
                valid("MAX_CONNECTIONS=10", ServerConfig::maxConnections, 10),
                valid("IO_THREADS=4", ServerConfig::ioThreads, 4),
                valid("IO_TRANSPORT=EPOLL", ServerConfig::ioTransport, IoTransport.EPOLL),
                valid("IO_TRANSPORT=nio", ServerConfig::ioTransport, IoTransport.NIO),
                valid("IO_TRANSPORT=auto", ServerConfig::ioTransport, IoTransport.AUTO),
                valid("SSE_RETRY_MS=0", ServerConfig::sseRetryMillis, 0L),
                valid("SSE_RETRY_MS=5000", ServerConfig::sseRetryMillis, 5000L),
                valid("HEARTBEAT_INTERVAL_SECONDS=30", ServerConfig::heartbeatInterval, Duration.ofSeconds(30)),
                valid("MAX_DELTA_EVENTS=1", ServerConfig::maxDeltaEvents, 1),
                valid("REPLAY_BUFFER_SIZE=0", ServerConfig::replayBufferSize, 0),
                valid("REPLAY_BUFFER_MB=128", ServerConfig::replayBufferBytes, 128L * 1024 * 1024),
                valid("SLOW_CLIENT_TIMEOUT_SECONDS=5", ServerConfig::slowClientTimeout, Duration.ofSeconds(5)),
                valid("WRITE_BUFFER_LOW_WATER_MARK_KB=64", ServerConfig::writeBufferLowWaterMarkBytes, 64 * 1024),
                valid("WRITE_BUFFER_HIGH_WATER_MARK_KB=1024", ServerConfig::writeBufferHighWaterMarkBytes, 1024 * 1024),
                valid("CORS_ALLOWED_ORIGINS=*", ServerConfig::corsAllowedOrigins, List.of("*")),
                valid("CORS_ALLOWED_ORIGINS=https://App.Example.com, http://localhost:3000,,https://app.example.com",
                        ServerConfig::corsAllowedOrigins, List.of("https://app.example.com", "http://localhost:3000")),
                valid("MAX_FILTERS_PER_STREAM=1", ServerConfig::maxFiltersPerStream, 1),
                valid("FILTER_TIMEOUT_MS=50", ServerConfig::filterTimeout, Duration.ofMillis(50)),
                valid("MAX_VIEW_MB=1", ServerConfig::maxViewBytes, 1024L * 1024),
                valid("SHUTDOWN_GRACE_SECONDS=0", ServerConfig::shutdownGrace, Duration.ZERO));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("valid")
    void validValueIsConverted(String line, Function<ServerConfig, Object> getter, Object expected) {
        assertEquals(expected, getter.apply(load(env(line))));
    }

    @Test
    void passwordKeepsItsSpacesAndUserIsKept() {
        ServerConfig.Mongo mongo = load(Map.of("MONGO_USER", "u", "MONGO_PASSWORD", " p w ")).mongo();
        assertEquals("u", mongo.user());
        assertEquals(" p w ", mongo.password());
    }

    @Test
    void equalWaterMarksAreAccepted() {
        ServerConfig c = load(Map.of("WRITE_BUFFER_LOW_WATER_MARK_KB", "64", "WRITE_BUFFER_HIGH_WATER_MARK_KB", "64"));
        assertEquals(c.writeBufferLowWaterMarkBytes(), c.writeBufferHighWaterMarkBytes());
    }

    static Stream<Arguments> outOfRange() {
        return Stream.of(
                arguments("PORT=abc", "an integer from 0 to 65535"),
                arguments("PORT=65536", "an integer from 0 to 65535"),
                arguments("PORT=-1", "an integer from 0 to 65535"),
                arguments("PORT=80.5", "an integer from 0 to 65535"),
                arguments("PORT=0x50", "an integer from 0 to 65535"),
                arguments("PORT=99999999999999999999", "an integer from 0 to 65535"),
                arguments("MONGO_PORT=0", "an integer from 1 to 65535"),
                arguments("MAX_REQUEST_SIZE_MB=0", "an integer from 1 to 2047"),
                arguments("MAX_REQUEST_SIZE_MB=2048", "an integer from 1 to 2047"),
                arguments("MAX_REQUEST_SIZE_MB=20MB", "an integer from 1 to 2047"),
                arguments("MAX_BUFFERED_REQUESTS_MB=-1", "an integer from 0 to 1048576"),
                arguments("MAX_BUFFERED_REQUESTS_MB=1048577", "an integer from 0 to 1048576"),
                arguments("MAX_BUFFERED_REQUESTS_MB=1GB", "an integer from 0 to 1048576"),
                arguments("MAX_URI_LENGTH=100", "an integer from 256 to 1048576"),
                arguments("MAX_HEADER_SIZE_KB=0", "an integer from 1 to 1024"),
                arguments("MAX_CONNECTIONS=0", "an integer from 1 to 10000000"),
                arguments("IO_THREADS=-1", "an integer from 0 to 1024"),
                arguments("IO_TRANSPORT=kqueue", "auto, epoll or nio"),
                arguments("IO_TRANSPORT=io_uring", "auto, epoll or nio"),
                arguments("SSE_RETRY_MS=-5", "an integer from 0 to 86400000"),
                arguments("HEARTBEAT_INTERVAL_SECONDS=0", "an integer from 1 to 3600"),
                arguments("HEARTBEAT_INTERVAL_SECONDS=15s", "an integer from 1 to 3600"),
                arguments("MAX_DELTA_EVENTS=0", "an integer from 1 to 1000000"),
                arguments("REPLAY_BUFFER_SIZE=-1", "an integer from 0 to 10000000"),
                arguments("REPLAY_BUFFER_MB=x", "an integer from 0 to 65536"),
                arguments("SLOW_CLIENT_TIMEOUT_SECONDS=0", "an integer from 1 to 86400"),
                arguments("WRITE_BUFFER_LOW_WATER_MARK_KB=0", "an integer from 1 to 1048576"),
                arguments("WRITE_BUFFER_HIGH_WATER_MARK_KB=1048577", "an integer from 1 to 1048576"),
                arguments("MAX_FILTERS_PER_STREAM=0", "an integer from 1 to 1024"),
                arguments("FILTER_TIMEOUT_MS=0", "an integer from 1 to 60000"),
                arguments("MAX_VIEW_MB=0", "an integer from 1 to 2047"),
                arguments("SHUTDOWN_GRACE_SECONDS=3601", "an integer from 0 to 3600"),
                arguments("HOST=my host", Formats.HOST_EXPECTED),
                arguments("HOST=http://0.0.0.0", Formats.HOST_EXPECTED),
                arguments("STORE_TYPE=redis", "memory or mongo"),
                arguments("MONGO_HOST=a/b", Formats.HOST_EXPECTED),
                arguments("MONGO_AUTH_DB=a/b", Formats.DATABASE_EXPECTED),
                arguments("MONGO_DB_NAME=my.db", Formats.DATABASE_EXPECTED),
                arguments("MONGO_DB_NAME=" + "d".repeat(64), Formats.DATABASE_EXPECTED),
                arguments("MONGO_COLLECTION=system.users", Formats.COLLECTION_EXPECTED),
                arguments("MONGO_COLLECTION=a$b", Formats.COLLECTION_EXPECTED),
                arguments("MONGO_DOCUMENT_ID=" + "i".repeat(1025), Formats.DOCUMENT_ID_EXPECTED),
                arguments("MONGO_WRITE_CONCERN=w51", Formats.WRITE_CONCERN_EXPECTED),
                arguments("MONGO_WRITE_CONCERN=-1", Formats.WRITE_CONCERN_EXPECTED),
                arguments("MONGO_WRITE_CONCERN=safe", Formats.WRITE_CONCERN_EXPECTED),
                arguments("MONGO_URI=mongodb://", Formats.MONGO_URI_EXPECTED),
                arguments("MONGO_URI=localhost:27017", Formats.MONGO_URI_EXPECTED),
                arguments("CORS_ALLOWED_ORIGINS=https://a.example.com/", Formats.CORS_EXPECTED),
                arguments("CORS_ALLOWED_ORIGINS=a.example.com", Formats.CORS_EXPECTED),
                arguments("CORS_ALLOWED_ORIGINS=*,https://a.example.com", Formats.CORS_EXPECTED),
                arguments("CORS_ALLOWED_ORIGINS=,", Formats.CORS_EXPECTED));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("outOfRange")
    void invalidValueIsRejectedNamingTheSetting(String line, String expected) {
        String name = line.substring(0, line.indexOf('='));
        String value = line.substring(line.indexOf('=') + 1);
        ConfigException e = assertThrows(ConfigException.class, () -> load(env(line)));
        assertEquals(name + ": " + value + " (expected: " + expected + ")", e.getMessage());
        assertEquals(name, e.setting());
    }

    static Stream<Arguments> rejectedWithExactMessage() {
        return Stream.of(
                arguments(Map.of("MONGO_URI", "mysql://admin:s3cret@db:3306"),
                        "MONGO_URI: mysql://admin:***@db:3306 (expected: " + Formats.MONGO_URI_EXPECTED + ")"),
                arguments(Map.of("MONGO_URI", "mongodb://admin:s3cret@db 1"),
                        "MONGO_URI: mongodb://admin:***@db 1 (expected: " + Formats.MONGO_URI_EXPECTED + ")"),
                arguments(Map.of("MONGO_PASSWORD", "s3cret"), "MONGO_PASSWORD: *** (expected: MONGO_USER set too)"),
                arguments(Map.of("WRITE_BUFFER_LOW_WATER_MARK_KB", "128"),
                        "WRITE_BUFFER_LOW_WATER_MARK_KB: 128 (expected: at most WRITE_BUFFER_HIGH_WATER_MARK_KB 64)"),
                arguments(Map.of("WRITE_BUFFER_HIGH_WATER_MARK_KB", "16"),
                        "WRITE_BUFFER_HIGH_WATER_MARK_KB: 16 (expected: at least WRITE_BUFFER_LOW_WATER_MARK_KB 32)"),
                arguments(Map.of("WRITE_BUFFER_LOW_WATER_MARK_KB", "8", "WRITE_BUFFER_HIGH_WATER_MARK_KB", "4"),
                        "WRITE_BUFFER_LOW_WATER_MARK_KB: 8 (expected: at most WRITE_BUFFER_HIGH_WATER_MARK_KB 4)"),
                arguments(Map.of("MAX_BUFFERED_REQUESTS_MB", "10"),
                        "MAX_BUFFERED_REQUESTS_MB: 10 (expected: 0 or at least MAX_REQUEST_SIZE_MB 20)"),
                arguments(Map.of("MAX_BUFFERED_REQUESTS_MB", "4", "MAX_REQUEST_SIZE_MB", "5"),
                        "MAX_BUFFERED_REQUESTS_MB: 4 (expected: 0 or at least MAX_REQUEST_SIZE_MB 5)"));
    }

    @ParameterizedTest
    @MethodSource("rejectedWithExactMessage")
    void crossChecksAndSecretsHaveExactMessages(Map<String, String> env, String message) {
        ConfigException e = assertThrows(ConfigException.class, () -> load(env));
        assertEquals(message, e.getMessage());
        assertFalse(e.getMessage().contains("s3cret"), "secret in message");
    }

    @Test
    void aBufferBudgetOfExactlyOneLargestRequestIsAccepted() {
        ServerConfig c = load(Map.of("MAX_BUFFERED_REQUESTS_MB", "5", "MAX_REQUEST_SIZE_MB", "5"));
        assertEquals(5L * 1024 * 1024, c.bufferedRequestBudgetBytes());
    }

    @Test
    void theBufferBudgetIsReadFromItsHoconKeyInSystemProperties() {
        Properties properties = new Properties();
        properties.setProperty("jqsse.max-buffered-requests-mb", "64");
        assertEquals(64L * 1024 * 1024, load(Map.of(), properties, dir).maxBufferedRequestBytes());
    }

    @Test
    void passwordWithUriNeedsNoUser() {
        ServerConfig c = load(Map.of("MONGO_URI", "mongodb://h", "MONGO_PASSWORD", "p"));
        assertEquals("p", c.mongo().password());
    }

    private static Arguments valid(String line, Function<ServerConfig, Object> getter, Object expected) {
        return arguments(line, getter, expected);
    }

    private static Map<String, String> env(String line) {
        int eq = line.indexOf('=');
        return Map.of(line.substring(0, eq), line.substring(eq + 1));
    }

    private ServerConfig load(Map<String, String> env) {
        return load(env, new Properties(), dir);
    }

    /** Loads with a class loader that sees no application.conf, so only the given sources count. */
    static ServerConfig load(Map<String, String> env, Properties properties, Path dir) {
        return ConfigLoader.load(env, properties, dir, new URLClassLoader(new URL[0], null));
    }
}

package io.jqsse.server;

import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * Every setting of a jq-sse server, immutable, with its defaults in one place ({@code DEFAULT_*}).
 * {@link io.jqsse.server.config.ConfigLoader} builds one from the environment, {@code .env},
 * {@code application.conf} and {@code -D} properties; embedders use {@link #builder()}.
 */
public record ServerConfig(
        String host,
        int port,
        String storeType,
        Mongo mongo,
        long maxRequestBytes,
        long maxBufferedRequestBytes,
        int maxInitialLineBytes,
        int maxHeaderBytes,
        int maxConnections,
        int ioThreads,
        IoTransport ioTransport,
        long sseRetryMillis,
        Duration heartbeatInterval,
        int maxDeltaEvents,
        int replayBufferSize,
        long replayBufferBytes,
        Duration slowClientTimeout,
        int writeBufferLowWaterMarkBytes,
        int writeBufferHighWaterMarkBytes,
        List<String> corsAllowedOrigins,
        int maxFiltersPerStream,
        Duration filterTimeout,
        long maxViewBytes,
        Duration shutdownGrace) {

    public static final String DEFAULT_HOST = "0.0.0.0";
    public static final int DEFAULT_PORT = 8080;
    public static final String DEFAULT_STORE_TYPE = "memory";
    public static final long DEFAULT_MAX_REQUEST_BYTES = 20L * 1024 * 1024;
    /** 0: automatic, see {@link #bufferedRequestBudgetBytes()}. */
    public static final long DEFAULT_MAX_BUFFERED_REQUEST_BYTES = 0;
    public static final int DEFAULT_MAX_INITIAL_LINE_BYTES = 8192;
    public static final int DEFAULT_MAX_HEADER_BYTES = 16384;
    public static final int DEFAULT_MAX_CONNECTIONS = 100_000;
    /** 0: one per available processor. */
    public static final int DEFAULT_IO_THREADS = 0;
    public static final IoTransport DEFAULT_IO_TRANSPORT = IoTransport.AUTO;
    public static final long DEFAULT_SSE_RETRY_MILLIS = 2000;
    public static final Duration DEFAULT_HEARTBEAT_INTERVAL = Duration.ofSeconds(15);
    public static final int DEFAULT_MAX_DELTA_EVENTS = 64;
    public static final int DEFAULT_REPLAY_BUFFER_SIZE = 10_000;
    public static final long DEFAULT_REPLAY_BUFFER_BYTES = 64L * 1024 * 1024;
    public static final Duration DEFAULT_SLOW_CLIENT_TIMEOUT = Duration.ofSeconds(30);
    public static final int DEFAULT_WRITE_BUFFER_LOW_WATER_MARK_BYTES = 32 * 1024;
    public static final int DEFAULT_WRITE_BUFFER_HIGH_WATER_MARK_BYTES = 64 * 1024;
    public static final List<String> DEFAULT_CORS_ALLOWED_ORIGINS = List.of("*");
    public static final int DEFAULT_MAX_FILTERS_PER_STREAM = 32;
    public static final Duration DEFAULT_FILTER_TIMEOUT = Duration.ofMillis(200);
    public static final long DEFAULT_MAX_VIEW_BYTES = 32L * 1024 * 1024;
    public static final Duration DEFAULT_SHUTDOWN_GRACE = Duration.ofSeconds(5);

    /**
     * MongoDB settings (SPEC section 4). {@code uri} wins over the parts when set.
     */
    public record Mongo(String uri, String host, int port, String user, String password, String authDb,
                        String dbName, String collection, String documentId, String writeConcern) {
        public static final String DEFAULT_HOST = "localhost";
        public static final int DEFAULT_PORT = 27017;
        public static final String DEFAULT_AUTH_DB = "admin";
        public static final String DEFAULT_DB_NAME = "gosse";
        public static final String DEFAULT_COLLECTION = "kv_store";
        public static final String DEFAULT_DOCUMENT_ID = "main";
        public static final String DEFAULT_WRITE_CONCERN = "majority";

        public static Mongo defaults() {
            return new Mongo(null, DEFAULT_HOST, DEFAULT_PORT, null, null, DEFAULT_AUTH_DB, DEFAULT_DB_NAME,
                    DEFAULT_COLLECTION, DEFAULT_DOCUMENT_ID, DEFAULT_WRITE_CONCERN);
        }
    }

    public ServerConfig {
        Objects.requireNonNull(host, "host");
        Objects.requireNonNull(storeType, "storeType");
        Objects.requireNonNull(mongo, "mongo");
        Objects.requireNonNull(ioTransport, "ioTransport");
        Objects.requireNonNull(heartbeatInterval, "heartbeatInterval");
        Objects.requireNonNull(slowClientTimeout, "slowClientTimeout");
        Objects.requireNonNull(filterTimeout, "filterTimeout");
        Objects.requireNonNull(shutdownGrace, "shutdownGrace");
        corsAllowedOrigins = List.copyOf(corsAllowedOrigins);
        if (writeBufferLowWaterMarkBytes > writeBufferHighWaterMarkBytes) {
            throw new IllegalArgumentException("writeBufferLowWaterMarkBytes: " + writeBufferLowWaterMarkBytes
                    + " (expected: at most writeBufferHighWaterMarkBytes " + writeBufferHighWaterMarkBytes + ")");
        }
        if (maxBufferedRequestBytes < 0 || maxBufferedRequestBytes > 0 && maxBufferedRequestBytes < maxRequestBytes) {
            throw new IllegalArgumentException("maxBufferedRequestBytes: " + maxBufferedRequestBytes
                    + " (expected: 0 or at least maxRequestBytes " + maxRequestBytes + ")");
        }
    }

    /**
     * The bytes of request bodies that all connections together may hold while they arrive:
     * {@code maxBufferedRequestBytes}, or when that is 0 a quarter of the JVM's maximum heap, but never
     * less than {@code maxRequestBytes}, so that one largest request always fits.
     */
    public long bufferedRequestBudgetBytes() {
        if (maxBufferedRequestBytes > 0) {
            return maxBufferedRequestBytes;
        }
        return Math.max(Runtime.getRuntime().maxMemory() / 4, maxRequestBytes);
    }

    /** All defaults: port 8080 on every interface, the memory store. */
    public static ServerConfig defaults() {
        return builder().build();
    }

    public static Builder builder() {
        return new Builder();
    }

    /** A builder starting from this config. */
    public Builder toBuilder() {
        return new Builder(this);
    }

    /** Builds a {@link ServerConfig}; every setter names the setting it sets. */
    public static final class Builder {
        private String host = DEFAULT_HOST;
        private int port = DEFAULT_PORT;
        private String storeType = DEFAULT_STORE_TYPE;
        private Mongo mongo = Mongo.defaults();
        private long maxRequestBytes = DEFAULT_MAX_REQUEST_BYTES;
        private long maxBufferedRequestBytes = DEFAULT_MAX_BUFFERED_REQUEST_BYTES;
        private int maxInitialLineBytes = DEFAULT_MAX_INITIAL_LINE_BYTES;
        private int maxHeaderBytes = DEFAULT_MAX_HEADER_BYTES;
        private int maxConnections = DEFAULT_MAX_CONNECTIONS;
        private int ioThreads = DEFAULT_IO_THREADS;
        private IoTransport ioTransport = DEFAULT_IO_TRANSPORT;
        private long sseRetryMillis = DEFAULT_SSE_RETRY_MILLIS;
        private Duration heartbeatInterval = DEFAULT_HEARTBEAT_INTERVAL;
        private int maxDeltaEvents = DEFAULT_MAX_DELTA_EVENTS;
        private int replayBufferSize = DEFAULT_REPLAY_BUFFER_SIZE;
        private long replayBufferBytes = DEFAULT_REPLAY_BUFFER_BYTES;
        private Duration slowClientTimeout = DEFAULT_SLOW_CLIENT_TIMEOUT;
        private int writeBufferLowWaterMarkBytes = DEFAULT_WRITE_BUFFER_LOW_WATER_MARK_BYTES;
        private int writeBufferHighWaterMarkBytes = DEFAULT_WRITE_BUFFER_HIGH_WATER_MARK_BYTES;
        private List<String> corsAllowedOrigins = DEFAULT_CORS_ALLOWED_ORIGINS;
        private int maxFiltersPerStream = DEFAULT_MAX_FILTERS_PER_STREAM;
        private Duration filterTimeout = DEFAULT_FILTER_TIMEOUT;
        private long maxViewBytes = DEFAULT_MAX_VIEW_BYTES;
        private Duration shutdownGrace = DEFAULT_SHUTDOWN_GRACE;

        private Builder() {
        }

        private Builder(ServerConfig c) {
            host = c.host; port = c.port; storeType = c.storeType; mongo = c.mongo;
            maxRequestBytes = c.maxRequestBytes; maxBufferedRequestBytes = c.maxBufferedRequestBytes;
            maxInitialLineBytes = c.maxInitialLineBytes;
            maxHeaderBytes = c.maxHeaderBytes; maxConnections = c.maxConnections; ioThreads = c.ioThreads;
            ioTransport = c.ioTransport;
            sseRetryMillis = c.sseRetryMillis; heartbeatInterval = c.heartbeatInterval;
            maxDeltaEvents = c.maxDeltaEvents; replayBufferSize = c.replayBufferSize;
            replayBufferBytes = c.replayBufferBytes; slowClientTimeout = c.slowClientTimeout;
            writeBufferLowWaterMarkBytes = c.writeBufferLowWaterMarkBytes;
            writeBufferHighWaterMarkBytes = c.writeBufferHighWaterMarkBytes;
            corsAllowedOrigins = c.corsAllowedOrigins; maxFiltersPerStream = c.maxFiltersPerStream;
            filterTimeout = c.filterTimeout; maxViewBytes = c.maxViewBytes; shutdownGrace = c.shutdownGrace;
        }

        /** {@code HOST}. */
        public Builder host(String v) { host = v; return this; }
        /** {@code PORT}; 0 binds an ephemeral port. */
        public Builder port(int v) { port = v; return this; }
        /** {@code STORE_TYPE}: memory or mongo. */
        public Builder storeType(String v) { storeType = v; return this; }
        /** The {@code MONGO_*} settings. */
        public Builder mongo(Mongo v) { mongo = v; return this; }
        /** {@code MAX_REQUEST_SIZE_MB}, in bytes. */
        public Builder maxRequestBytes(long v) { maxRequestBytes = v; return this; }
        /**
         * {@code MAX_BUFFERED_REQUESTS_MB}, in bytes: request bodies of all connections together while they
         * arrive; more get 503 {@code server_busy}. 0 for a quarter of the heap, 0 or at least
         * {@code maxRequestBytes}.
         */
        public Builder maxBufferedRequestBytes(long v) { maxBufferedRequestBytes = v; return this; }
        /** {@code MAX_URI_LENGTH}: longer request lines get 414. */
        public Builder maxInitialLineBytes(int v) { maxInitialLineBytes = v; return this; }
        /** {@code MAX_HEADER_SIZE_KB}, in bytes: larger header blocks get 431. */
        public Builder maxHeaderBytes(int v) { maxHeaderBytes = v; return this; }
        /** {@code MAX_CONNECTIONS}: more get 503 {@code too_many_connections}. */
        public Builder maxConnections(int v) { maxConnections = v; return this; }
        /** {@code IO_THREADS}: event loops; 0 for one per processor. */
        public Builder ioThreads(int v) { ioThreads = v; return this; }
        /** {@code IO_TRANSPORT}: the event loops' transport (see {@link IoTransport}). */
        public Builder ioTransport(IoTransport v) { ioTransport = v; return this; }
        /** {@code SSE_RETRY_MS}. */
        public Builder sseRetryMillis(long v) { sseRetryMillis = v; return this; }
        /** {@code HEARTBEAT_INTERVAL_SECONDS}. */
        public Builder heartbeatInterval(Duration v) { heartbeatInterval = v; return this; }
        /** {@code MAX_DELTA_EVENTS}. */
        public Builder maxDeltaEvents(int v) { maxDeltaEvents = v; return this; }
        /** {@code REPLAY_BUFFER_SIZE}, in changes. */
        public Builder replayBufferSize(int v) { replayBufferSize = v; return this; }
        /** {@code REPLAY_BUFFER_MB}, in bytes. */
        public Builder replayBufferBytes(long v) { replayBufferBytes = v; return this; }
        /** {@code SLOW_CLIENT_TIMEOUT_SECONDS}. */
        public Builder slowClientTimeout(Duration v) { slowClientTimeout = v; return this; }
        /** {@code WRITE_BUFFER_LOW_WATER_MARK_KB}, in bytes. */
        public Builder writeBufferLowWaterMarkBytes(int v) { writeBufferLowWaterMarkBytes = v; return this; }
        /** {@code WRITE_BUFFER_HIGH_WATER_MARK_KB}, in bytes. */
        public Builder writeBufferHighWaterMarkBytes(int v) { writeBufferHighWaterMarkBytes = v; return this; }
        /** {@code CORS_ALLOWED_ORIGINS}: {@code *} or a list of origins. */
        public Builder corsAllowedOrigins(List<String> v) { corsAllowedOrigins = v; return this; }
        /** {@code MAX_FILTERS_PER_STREAM}. */
        public Builder maxFiltersPerStream(int v) { maxFiltersPerStream = v; return this; }
        /** {@code FILTER_TIMEOUT_MS}: the time one evaluation of a filter may take. */
        public Builder filterTimeout(Duration v) { filterTimeout = v; return this; }
        /** {@code MAX_VIEW_MB}, in bytes: the largest output of one filter evaluation. */
        public Builder maxViewBytes(long v) { maxViewBytes = v; return this; }
        /** {@code SHUTDOWN_GRACE_SECONDS}. */
        public Builder shutdownGrace(Duration v) { shutdownGrace = v; return this; }

        public ServerConfig build() {
            return new ServerConfig(host, port, storeType, mongo, maxRequestBytes, maxBufferedRequestBytes,
                    maxInitialLineBytes,
                    maxHeaderBytes, maxConnections, ioThreads, ioTransport, sseRetryMillis, heartbeatInterval, maxDeltaEvents,
                    replayBufferSize, replayBufferBytes, slowClientTimeout, writeBufferLowWaterMarkBytes,
                    writeBufferHighWaterMarkBytes, corsAllowedOrigins, maxFiltersPerStream, filterTimeout,
                    maxViewBytes, shutdownGrace);
        }
    }
}

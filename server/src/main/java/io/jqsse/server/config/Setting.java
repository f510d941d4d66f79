package io.jqsse.server.config;

import java.util.Locale;

/**
 * Every setting {@link ConfigLoader} reads, by its environment name (the go-sse names are kept).
 * The HOCON key is derived from the name: {@code jqsse.} and the name in lower case with {@code _}
 * as {@code -}, except that {@code MONGO_*} settings live under {@code jqsse.mongo}:
 * {@code STORE_TYPE} is {@code jqsse.store-type}, {@code MONGO_AUTH_DB} is
 * {@code jqsse.mongo.auth-db}.
 */
enum Setting {
    PORT, HOST, STORE_TYPE,
    MONGO_URI, MONGO_HOST, MONGO_PORT, MONGO_USER, MONGO_PASSWORD, MONGO_AUTH_DB, MONGO_DB_NAME,
    MONGO_COLLECTION, MONGO_DOCUMENT_ID, MONGO_WRITE_CONCERN,
    MAX_REQUEST_SIZE_MB, MAX_BUFFERED_REQUESTS_MB, MAX_URI_LENGTH, MAX_HEADER_SIZE_KB, MAX_CONNECTIONS, IO_THREADS,
    IO_TRANSPORT,
    SSE_RETRY_MS, HEARTBEAT_INTERVAL_SECONDS, MAX_DELTA_EVENTS, REPLAY_BUFFER_SIZE, REPLAY_BUFFER_MB,
    SLOW_CLIENT_TIMEOUT_SECONDS, WRITE_BUFFER_LOW_WATER_MARK_KB, WRITE_BUFFER_HIGH_WATER_MARK_KB,
    CORS_ALLOWED_ORIGINS, MAX_FILTERS_PER_STREAM, FILTER_TIMEOUT_MS, MAX_VIEW_MB, SHUTDOWN_GRACE_SECONDS;

    static final String HOCON_ROOT = "jqsse";
    private static final String MONGO_PREFIX = "MONGO_";

    private final String hoconKey;

    Setting() {
        String n = name();
        String key = n.startsWith(MONGO_PREFIX) ? "mongo." + n.substring(MONGO_PREFIX.length()) : n;
        hoconKey = HOCON_ROOT + "." + key.toLowerCase(Locale.ROOT).replace('_', '-');
    }

    /** The HOCON key, such as {@code jqsse.mongo.auth-db}. */
    String hoconKey() {
        return hoconKey;
    }

    /** Whether the value is a secret that messages and logs must not show. */
    boolean secret() {
        return this == MONGO_PASSWORD;
    }
}

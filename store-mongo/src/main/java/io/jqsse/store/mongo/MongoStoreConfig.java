package io.jqsse.store.mongo;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * How to reach the MongoDB document and how to treat it. Immutable; build it with {@link #builder()}.
 *
 * <p>The connection is {@code uri} when given ({@code MONGO_URI}), else a connection string made of
 * {@code host}, {@code port}, {@code user}, {@code password} and {@code authDb} (the {@code MONGO_HOST}
 * ... variables), with user and password URL-encoded as RFC 3986 requires.
 *
 * @param uri              a {@code mongodb://} or {@code mongodb+srv://} connection string, or null
 * @param host             used when {@code uri} is null
 * @param port             used when {@code uri} is null
 * @param user             null for no authentication
 * @param password         with {@code user}
 * @param authDb           the authentication database of {@code user}, null for the driver's default
 * @param dbName           {@code MONGO_DB_NAME}
 * @param collection       {@code MONGO_COLLECTION}
 * @param documentId       {@code MONGO_DOCUMENT_ID}, the {@code _id} of the one document
 * @param writeConcern     {@code MONGO_WRITE_CONCERN}: {@code majority}, a number of nodes, or a
 *                         driver constant name such as {@code acknowledged} or {@code journaled}
 * @param maxDocumentBytes the largest stored document, in BSON bytes
 * @param probeTimeout     how long start() waits for its probe write to come back on the change stream
 * @param replicaTimeout   how long a write waits for the change stream to deliver it before the
 *                         replica is reloaded instead
 */
public record MongoStoreConfig(String uri, String host, int port, String user, String password, String authDb,
                               String dbName, String collection, String documentId, String writeConcern,
                               long maxDocumentBytes, Duration probeTimeout, Duration replicaTimeout) {

    public static final String DEFAULT_HOST = "localhost";
    public static final int DEFAULT_PORT = 27017;
    public static final String DEFAULT_DB_NAME = "gosse";
    public static final String DEFAULT_COLLECTION = "kv_store";
    public static final String DEFAULT_DOCUMENT_ID = "main";
    public static final String DEFAULT_WRITE_CONCERN = "majority";
    /** MongoDB's BSON document limit. */
    public static final long DEFAULT_MAX_DOCUMENT_BYTES = 16L * 1024 * 1024;
    public static final Duration DEFAULT_PROBE_TIMEOUT = Duration.ofSeconds(10);
    public static final Duration DEFAULT_REPLICA_TIMEOUT = Duration.ofSeconds(5);

    private static final Pattern WRITE_CONCERN = Pattern.compile(
            "majority|[0-9]{1,3}|(?i:acknowledged|unacknowledged|journaled|w1|w2|w3)");
    private static final Pattern DB_NAME = Pattern.compile("[^/\\\\. \"$*<>:|?]{1,63}");

    public MongoStoreConfig {
        if (uri != null && !uri.startsWith("mongodb://") && !uri.startsWith("mongodb+srv://")) {
            throw invalid("uri", redact(uri), "a mongodb:// or mongodb+srv:// connection string");
        }
        if (uri == null) {
            require("host", host, host != null && !host.isBlank() && !host.contains("/"), "a host name");
            require("port", port, port > 0 && port < 65536, "1..65535");
            require("password", password == null ? null : "***", user != null || password == null,
                    "no password without a user");
        }
        require("dbName", dbName, dbName != null && DB_NAME.matcher(dbName).matches(),
                "1..63 characters, none of /\\. \"$*<>:|?");
        require("collection", collection, collection != null && !collection.isEmpty()
                && !collection.startsWith("system.") && !collection.contains("$") && collection.indexOf('\0') < 0,
                "a non-empty name without $, not system.*");
        require("documentId", documentId, documentId != null && !documentId.isEmpty(), "a non-empty string");
        require("writeConcern", writeConcern, writeConcern != null && WRITE_CONCERN.matcher(writeConcern).matches(),
                "majority, a number of nodes, acknowledged, unacknowledged, journaled, w1, w2 or w3");
        require("maxDocumentBytes", maxDocumentBytes, maxDocumentBytes > 0
                && maxDocumentBytes <= DEFAULT_MAX_DOCUMENT_BYTES, "1.." + DEFAULT_MAX_DOCUMENT_BYTES);
        require("probeTimeout", probeTimeout, probeTimeout != null && !probeTimeout.isNegative()
                && !probeTimeout.isZero(), "a positive duration");
        require("replicaTimeout", replicaTimeout, replicaTimeout != null && !replicaTimeout.isNegative()
                && !replicaTimeout.isZero(), "a positive duration");
    }

    public static Builder builder() {
        return new Builder();
    }

    /** A builder starting from this config. */
    public Builder toBuilder() {
        return new Builder().uri(uri).host(host).port(port).user(user).password(password).authDb(authDb)
                .dbName(dbName).collection(collection).documentId(documentId).writeConcern(writeConcern)
                .maxDocumentBytes(maxDocumentBytes).probeTimeout(probeTimeout).replicaTimeout(replicaTimeout);
    }

    /** The connection string the driver gets: {@code uri}, or one built from the parts. */
    public String connectionString() {
        if (uri != null) {
            return uri;
        }
        StringBuilder sb = new StringBuilder("mongodb://");
        if (user != null) {
            sb.append(encode(user));
            if (password != null) {
                sb.append(':').append(encode(password));
            }
            sb.append('@');
        }
        sb.append(host.contains(":") && !host.startsWith("[") ? "[" + host + "]" : host).append(':').append(port);
        sb.append('/');
        if (user != null && authDb != null) {
            sb.append("?authSource=").append(encode(authDb));
        }
        return sb.toString();
    }

    /** The connection string with any password replaced by {@code ***}, for messages and logs. */
    public String redactedConnectionString() {
        return redact(connectionString());
    }

    @Override
    public String toString() {
        return "MongoStoreConfig[" + redactedConnectionString() + ", " + dbName + "." + collection
                + ", _id=" + documentId + ", w=" + writeConcern + ", maxDocumentBytes=" + maxDocumentBytes + "]";
    }

    static String redact(String connectionString) {
        return connectionString.replaceFirst("^(mongodb(?:\\+srv)?://[^:@/]*):[^@/]*@", "$1:***@");
    }

    private static String encode(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
    }

    private static void require(String name, Object value, boolean ok, String expected) {
        if (!ok) {
            throw invalid(name, value, expected);
        }
    }

    private static IllegalArgumentException invalid(String name, Object value, String expected) {
        return new IllegalArgumentException(name + ": " + value + " (expected: " + expected + ")");
    }

    /** Builds a {@link MongoStoreConfig}; every setting starts at its {@code DEFAULT_*}. */
    public static final class Builder {
        private String uri;
        private String host = DEFAULT_HOST;
        private int port = DEFAULT_PORT;
        private String user;
        private String password;
        private String authDb;
        private String dbName = DEFAULT_DB_NAME;
        private String collection = DEFAULT_COLLECTION;
        private String documentId = DEFAULT_DOCUMENT_ID;
        private String writeConcern = DEFAULT_WRITE_CONCERN;
        private long maxDocumentBytes = DEFAULT_MAX_DOCUMENT_BYTES;
        private Duration probeTimeout = DEFAULT_PROBE_TIMEOUT;
        private Duration replicaTimeout = DEFAULT_REPLICA_TIMEOUT;

        private Builder() {
        }

        /** The full connection string; blank means "use the parts". */
        public Builder uri(String uri) {
            this.uri = uri == null || uri.isBlank() ? null : uri.trim();
            return this;
        }

        public Builder host(String host) {
            this.host = host;
            return this;
        }

        public Builder port(int port) {
            this.port = port;
            return this;
        }

        /** Blank means no authentication. */
        public Builder user(String user) {
            this.user = user == null || user.isEmpty() ? null : user;
            return this;
        }

        public Builder password(String password) {
            this.password = password == null || password.isEmpty() ? null : password;
            return this;
        }

        public Builder authDb(String authDb) {
            this.authDb = authDb == null || authDb.isBlank() ? null : authDb;
            return this;
        }

        public Builder dbName(String dbName) {
            this.dbName = dbName;
            return this;
        }

        public Builder collection(String collection) {
            this.collection = collection;
            return this;
        }

        public Builder documentId(String documentId) {
            this.documentId = documentId;
            return this;
        }

        public Builder writeConcern(String writeConcern) {
            this.writeConcern = writeConcern;
            return this;
        }

        public Builder maxDocumentBytes(long maxDocumentBytes) {
            this.maxDocumentBytes = maxDocumentBytes;
            return this;
        }

        public Builder probeTimeout(Duration probeTimeout) {
            this.probeTimeout = Objects.requireNonNull(probeTimeout, "probeTimeout");
            return this;
        }

        public Builder replicaTimeout(Duration replicaTimeout) {
            this.replicaTimeout = Objects.requireNonNull(replicaTimeout, "replicaTimeout");
            return this;
        }

        /** @throws IllegalArgumentException naming the first invalid setting */
        public MongoStoreConfig build() {
            return new MongoStoreConfig(uri, host, port, user, password, authDb, dbName, collection, documentId,
                    writeConcern, maxDocumentBytes, probeTimeout, replicaTimeout);
        }
    }
}

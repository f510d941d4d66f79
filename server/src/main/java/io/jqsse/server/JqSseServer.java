package io.jqsse.server;

import io.jqsse.jq.FilterCompiler;
import io.jqsse.jq.FilterLimits;
import io.jqsse.server.config.ConfigLoader;
import io.jqsse.server.internal.http.HttpApi;
import io.jqsse.server.internal.http.HttpChannelInitializer;
import io.jqsse.server.internal.stream.StreamEngine;
import io.jqsse.server.internal.stream.Transports;
import io.jqsse.store.DocumentStore;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.net.InetSocketAddress;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A jq-sse server: one document store, its HTTP API and its event streams.
 *
 * <pre>{@code
 * JqSseServer server = JqSseServer.builder().config(config).build().start(); // blocks until bound
 * int port = server.port();
 * server.close();                                                            // graceful
 * }</pre>
 *
 * <p>To mount the API on another Netty application, call {@link #startWithoutListening()} and give
 * {@link #newChannelInitializer()} to that application's {@code ServerBootstrap}. Thread-safe.
 */
public final class JqSseServer implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(JqSseServer.class);

    private final ServerConfig config;
    private final DocumentStore store;
    private final StreamEngine engine;
    private final HttpApi api;
    private final CompletableFuture<Void> closed = new CompletableFuture<>();
    private EventLoopGroup bossGroup;
    /** Serves requests: REST calls, and every connection until it becomes an event stream. */
    private EventLoopGroup workerGroup;
    /** Writes the event streams, so that fan-out never delays a request (see StreamEngine#streamLoops). */
    private EventLoopGroup streamGroup;
    private Channel serverChannel;
    /** The transport {@link #start()} resolved {@code IO_TRANSPORT} to; null before. */
    private IoTransport transport;
    private boolean started;
    private boolean closing;

    private JqSseServer(ServerConfig config, DocumentStore store) {
        this.config = config;
        this.store = store;
        FilterCompiler compiler = new FilterCompiler(new FilterLimits(config.filterTimeout().toMillis(),
                config.maxViewBytes(), FilterLimits.DEFAULT_MAX_STEPS));
        this.engine = new StreamEngine(config, store, compiler);
        this.api = new HttpApi(config, store, compiler, engine);
    }

    public static Builder builder() {
        return new Builder();
    }

    /**
     * go-sse's {@code server.Run(":8080")}: starts a server with the configuration from the environment
     * on {@code address} ({@code host:port}, {@code :port} for every interface) and blocks until it is
     * closed by the JVM's shutdown (SIGTERM, Ctrl-C).
     */
    public static void run(String address) {
        ServerConfig config = withAddress(ConfigLoader.fromEnvironment(), address);
        JqSseServer server = builder().config(config).build().start();
        Runtime.getRuntime().addShutdownHook(new Thread(server::close, "jq-sse-shutdown"));
        server.awaitClose();
    }

    /** {@code config} with the host and port of {@code address} ({@code host:port}, or {@code :port}). */
    static ServerConfig withAddress(ServerConfig config, String address) {
        int colon = address.lastIndexOf(':');
        String host = colon <= 0 ? ServerConfig.DEFAULT_HOST : address.substring(0, colon);
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        }
        try {
            int port = Integer.parseInt(address.substring(colon + 1));
            if (colon < 0 || port < 0 || port > 65535) {
                throw new NumberFormatException(address);
            }
            return config.toBuilder().host(host).port(port).build();
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("address: " + address + " (expected: host:port or :port)", e);
        }
    }

    /**
     * Starts the store and the stream engine without binding a port, for {@link #newChannelInitializer()}.
     * Blocks until the store has started.
     *
     * @throws IllegalStateException when the store cannot start (the message says why)
     */
    public synchronized JqSseServer startWithoutListening() {
        if (started) {
            throw new IllegalStateException("server: already started (expected: start once)");
        }
        started = true;
        try {
            store.start().toCompletableFuture().get();
        } catch (ExecutionException e) {
            store.close();
            throw new IllegalStateException("store: " + store.type() + " failed to start: "
                    + e.getCause().getMessage(), e.getCause());
        } catch (InterruptedException e) {
            store.close();
            Thread.currentThread().interrupt();
            throw new IllegalStateException("store: " + store.type() + " start interrupted", e);
        }
        engine.start();
        return this;
    }

    /**
     * Starts the store and the engine and binds {@code HOST}:{@code PORT}; blocks until bound.
     *
     * @return this server, for {@link #port()}
     * @throws IllegalStateException when {@code IO_TRANSPORT} is not available here (before anything starts),
     *         or the store cannot start, or the port cannot be bound (the server is then closed)
     */
    public synchronized JqSseServer start() {
        IoTransport resolved = Transports.resolve(config.ioTransport());
        startWithoutListening();
        try {
            serverChannel = bind(resolved);
        } catch (RuntimeException | Error e) {
            close();
            throw e;
        }
        transport = resolved;
        return this;
    }

    /** Makes the event loops on {@code resolved} and binds {@code HOST}:{@code PORT}; blocks until bound. */
    private Channel bind(IoTransport resolved) {
        IoHandlerFactory io = Transports.ioHandlers(resolved);
        int threads = config.ioThreads() > 0 ? config.ioThreads() : Runtime.getRuntime().availableProcessors();
        bossGroup = new MultiThreadIoEventLoopGroup(1, new DefaultThreadFactory("jq-sse-accept"), io);
        workerGroup = new MultiThreadIoEventLoopGroup(Math.max(1, threads / 2), new DefaultThreadFactory("jq-sse-http"), io);
        streamGroup = new MultiThreadIoEventLoopGroup(threads, new DefaultThreadFactory("jq-sse-stream"), io);
        engine.streamLoops(streamGroup);
        ServerBootstrap bootstrap = new ServerBootstrap()
                .group(bossGroup, workerGroup)
                .channel(Transports.serverChannel(resolved))
                .option(ChannelOption.SO_BACKLOG, 1024)
                .childOption(ChannelOption.TCP_NODELAY, true)
                .childOption(ChannelOption.WRITE_BUFFER_WATER_MARK, new WriteBufferWaterMark(
                        config.writeBufferLowWaterMarkBytes(), config.writeBufferHighWaterMarkBytes()))
                .childHandler(newChannelInitializer());
        ChannelFuture bound = bootstrap.bind(config.host(), config.port()).awaitUninterruptibly();
        if (!bound.isSuccess()) {
            throw new IllegalStateException("address: " + config.host() + ":" + config.port()
                    + " (expected: a free port to bind): " + bound.cause().getMessage(), bound.cause());
        }
        log.debug("bound {} with {} {} event loops", bound.channel().localAddress(), threads, resolved.configName());
        return bound.channel();
    }

    /**
     * A new initializer that builds jq-sse's HTTP pipeline on a channel (see {@link HttpChannelInitializer}):
     * give it to any {@code ServerBootstrap.childHandler}. All initializers of one server share its store,
     * engine and connection limit.
     */
    public ChannelInitializer<Channel> newChannelInitializer() {
        return new HttpChannelInitializer(api);
    }

    /** The bound port (the ephemeral one when {@code PORT} is 0); -1 before {@link #start()}. */
    public synchronized int port() {
        return serverChannel == null ? -1 : ((InetSocketAddress) serverChannel.localAddress()).getPort();
    }

    /**
     * The transport of this server's event loops: {@code IO_TRANSPORT} with {@code auto} resolved;
     * null before {@link #start()} and for {@link #startWithoutListening()}, whose loops are the embedder's.
     */
    public synchronized IoTransport transport() {
        return transport;
    }

    /** The store this server serves. */
    public DocumentStore store() {
        return store;
    }

    /** Blocks until {@link #close()} has finished. */
    public void awaitClose() {
        closed.join();
    }

    /**
     * Stops accepting connections, lets writes in flight finish, sends every stream its final comment and
     * closes it, closes the store and stops the event loops, within about {@code SHUTDOWN_GRACE_SECONDS}.
     * Idempotent; blocks until done.
     */
    @Override
    public void close() {
        synchronized (this) {
            if (closing) {
                closed.join();
                return;
            }
            closing = true;
        }
        try {
            shutdown();
        } finally {
            closed.complete(null);
        }
    }

    private void shutdown() {
        long graceMillis = config.shutdownGrace().toMillis();
        if (serverChannel != null) {
            serverChannel.close().syncUninterruptibly();
        }
        try {
            api.awaitWrites(config.shutdownGrace());
            engine.shutdown(config.shutdownGrace()).toCompletableFuture().get(graceMillis + 1000, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException | TimeoutException e) {
            log.warn("streams did not shut down cleanly within {} ms", graceMillis, e);
        }
        engine.close();
        for (EventLoopGroup group : new EventLoopGroup[] {workerGroup, bossGroup, streamGroup}) {
            if (group != null) { // a start that failed part-way made only some
                group.shutdownGracefully(0, graceMillis, TimeUnit.MILLISECONDS).syncUninterruptibly();
            }
        }
        store.close();
    }

    /** Builds a {@link JqSseServer}. */
    public static final class Builder {
        private ServerConfig config = ServerConfig.defaults();
        private DocumentStore store;

        private Builder() {
        }

        /** The settings; {@link ServerConfig#defaults()} when not called. */
        public Builder config(ServerConfig config) {
            this.config = Objects.requireNonNull(config, "config");
            return this;
        }

        /** The store to serve; when not called, one is made from {@code STORE_TYPE}. The server closes it. */
        public Builder store(DocumentStore store) {
            this.store = Objects.requireNonNull(store, "store");
            return this;
        }

        /** @throws IllegalArgumentException when {@code STORE_TYPE} names no store this build has */
        public JqSseServer build() {
            return new JqSseServer(config, store != null ? store : Stores.fromConfig(config));
        }
    }
}

package io.jqsse.server;

import io.jqsse.store.ChangeListener;
import io.jqsse.store.Commit;
import io.jqsse.store.DocumentStore;
import io.jqsse.store.Snapshot;
import io.jqsse.store.StoreHealth;
import io.jqsse.store.Write;
import io.jqsse.store.memory.MemoryStore;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Supplier;

/** A memory store whose health and write failures a test controls, standing in for a MongoDB that is down. */
final class FaultyStore implements DocumentStore {

    private final DocumentStore delegate = new MemoryStore();
    private volatile StoreHealth health = StoreHealth.OK;
    private volatile Supplier<RuntimeException> writeFailure;

    /** From now on, {@link #health()} reports {@code health} and every write fails with {@code failure}. */
    void fail(StoreHealth health, Supplier<RuntimeException> failure) {
        this.health = health;
        this.writeFailure = failure;
    }

    @Override
    public String type() {
        return "faulty";
    }

    @Override
    public CompletionStage<Void> start() {
        return delegate.start();
    }

    @Override
    public Snapshot snapshot() {
        return delegate.snapshot();
    }

    @Override
    public CompletionStage<Commit> write(Write write, long expectedRev) {
        Supplier<RuntimeException> failure = writeFailure;
        if (failure != null) {
            return CompletableFuture.failedFuture(failure.get());
        }
        return delegate.write(write, expectedRev);
    }

    @Override
    public Snapshot subscribe(ChangeListener listener) {
        return delegate.subscribe(listener);
    }

    @Override
    public StoreHealth health() {
        return health;
    }

    @Override
    public long maxDocumentBytes() {
        return delegate.maxDocumentBytes();
    }

    @Override
    public void close() {
        delegate.close();
    }
}

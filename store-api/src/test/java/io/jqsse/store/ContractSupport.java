package io.jqsse.store;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.IntFunction;

/**
 * Helpers of {@link DocumentStoreContract}, usable by stores' own tests too: waits on stages with a
 * deadline, and compares documents with numbers equal by value (RFC 6902 section 4.6), so a store may
 * hand back {@code 1} as an int or a long.
 */
public abstract class ContractSupport {

    /** The deadline of every single wait. */
    protected static final Duration DEADLINE = Duration.ofSeconds(10);

    /** Numbers compare by value, everything else by Jackson's equality; only zero is meaningful. */
    protected static final Comparator<JsonNode> JSON_EQUALITY = (a, b) -> {
        if (a.isNumber() && b.isNumber()) {
            return a.decimalValue().compareTo(b.decimalValue()) == 0 ? 0 : 1;
        }
        return a.equals(b) ? 0 : 1;
    };

    private static final ObjectMapper MAPPER = new ObjectMapper();

    /** The store under test, started. */
    protected DocumentStore store;

    /** The stage's value, failing the test when it fails or does not complete within the deadline. */
    protected static <T> T await(CompletionStage<T> stage) {
        return await(stage, DEADLINE);
    }

    private static <T> T await(CompletionStage<T> stage, Duration deadline) {
        try {
            return stage.toCompletableFuture().get(deadline.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            throw new AssertionError("stage failed: " + e.getCause(), e.getCause());
        } catch (InterruptedException | TimeoutException e) {
            throw new AssertionError("stage not complete within " + deadline, e);
        }
    }

    /** The {@link StoreException} the stage fails with, failing the test when it succeeds. */
    protected static StoreException failure(CompletionStage<?> stage) {
        try {
            Object value = stage.toCompletableFuture().get(DEADLINE.toMillis(), TimeUnit.MILLISECONDS);
            throw new AssertionError("stage succeeded with " + value + " (expected: a StoreException)");
        } catch (ExecutionException e) {
            if (e.getCause() instanceof StoreException s) {
                return s;
            }
            throw new AssertionError("failure: " + e.getCause() + " (expected: a StoreException)", e.getCause());
        } catch (InterruptedException | TimeoutException e) {
            throw new AssertionError("stage not complete within " + DEADLINE, e);
        }
    }

    /** Commits {@code write} on {@link #store} without precondition. */
    protected Commit commit(Write write) {
        return await(store.write(write, DocumentStore.ANY_REV));
    }

    protected static void assertJsonEquals(JsonNode expected, JsonNode actual) {
        assertTrue(expected.equals(JSON_EQUALITY, actual), "expected: " + expected + " but was: " + actual);
    }

    /**
     * Runs {@code task(t)} for t in 0..threads-1 on as many threads, released together, and returns
     * the concatenation of their results; fails when one fails or the deadline passes.
     */
    protected static <T> List<T> runConcurrently(int threads, IntFunction<List<T>> task) {
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            CountDownLatch go = new CountDownLatch(1);
            List<CompletableFuture<List<T>>> futures = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                int id = t;
                futures.add(CompletableFuture.supplyAsync(() -> {
                    try {
                        go.await();
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        throw new IllegalStateException(e);
                    }
                    return task.apply(id);
                }, pool));
            }
            go.countDown();
            List<T> all = new ArrayList<>();
            for (CompletableFuture<List<T>> f : futures) {
                all.addAll(await(f, DEADLINE.multipliedBy(3)));
            }
            return all;
        } finally {
            pool.shutdownNow();
        }
    }

    protected static JsonNode json(String text) {
        try {
            return MAPPER.readTree(text);
        } catch (Exception e) {
            fail(text, e);
            return null;
        }
    }
}

package io.jqsse.store.mongo;

import static io.jqsse.store.mongo.ChangeEvents.json;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.jqsse.store.Change;
import io.jqsse.store.DocumentStore;
import io.jqsse.store.RecordingListener;
import io.jqsse.store.Write;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Two stores on one MongoDB document: the store that did not make a write publishes the same change
 * for it as the one that did (its write descriptor says what the write was), except that a merge or
 * patch is published without its patch document.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class CrossInstanceChangeTest {

    private static final Duration DEADLINE = Duration.ofSeconds(20);

    private MongoFixture mongo;
    private MongoStore writer;
    private MongoStore other;
    private final RecordingListener written = new RecordingListener(DEADLINE);
    private final RecordingListener seen = new RecordingListener(DEADLINE);

    @BeforeAll
    void startTwoStores() throws Exception {
        mongo = MongoFixture.start();
        writer = new MongoStore(mongo.config().build());
        writer.start().toCompletableFuture().get(DEADLINE.toMillis(), TimeUnit.MILLISECONDS);
        other = new MongoStore(mongo.sameDocument().build());
        other.start().toCompletableFuture().get(DEADLINE.toMillis(), TimeUnit.MILLISECONDS);
        writer.subscribe(written);
        other.subscribe(seen);
    }

    @AfterAll
    void closeEverything() {
        try (MongoFixture m = mongo; MongoStore a = writer; MongoStore b = other) {
            assertEquals(0, seen.pending(), "changes seen but not written");
        }
    }

    /** A change without its commit time, which each store takes from its own clock. */
    record Published(String epoch, long rev, Object before, Object after, List<?> touched, Write write,
                     boolean reset, long sizeBytes) {
        static Published of(Change c, boolean withWrite) {
            return new Published(c.epoch(), c.rev(), c.before(), c.after(), c.touched(), withWrite ? c.write() : null,
                    c.reset(), c.sizeBytes());
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("io.jqsse.store.mongo.WriteDescriptorTest#writes")
    void storeThatDidNotMakeAWritePublishesTheSameChangeAsTheStoreThatDid(String name, Write write) throws Exception {
        for (Write w : List.of(new Write.Replace(json(WriteDescriptorTest.BASE)), write)) {
            writer.write(w, DocumentStore.ANY_REV).toCompletableFuture().get(DEADLINE.toMillis(), TimeUnit.MILLISECONDS);
            boolean withWrite = !(w instanceof Write.Merge || w instanceof Write.Patch);
            Change mine = written.next();
            Change theirs = seen.next();
            assertEquals(Published.of(mine, withWrite), Published.of(theirs, true), name);
        }
    }
}

package io.jqsse.store;

import static org.junit.jupiter.api.Assertions.fail;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/** A {@link ChangeListener} for tests: records changes and hands them out with a deadline. */
public final class RecordingListener implements ChangeListener {

    private final BlockingQueue<Change> changes = new LinkedBlockingQueue<>();
    private final Duration deadline;

    public RecordingListener(Duration deadline) {
        this.deadline = deadline;
    }

    @Override
    public void onChange(Change change) {
        changes.add(change);
    }

    /** The next change, waiting at most the deadline; fails the test when none arrives. */
    public Change next() {
        try {
            Change change = changes.poll(deadline.toMillis(), TimeUnit.MILLISECONDS);
            if (change == null) {
                fail("no change within " + deadline);
            }
            return change;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted while waiting for a change", e);
        }
    }

    /** The next {@code n} changes. */
    public List<Change> next(int n) {
        List<Change> result = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            result.add(next());
        }
        return result;
    }

    /** Changes received but not yet taken. */
    public int pending() {
        return changes.size();
    }
}

package io.jqsse.bench.jmh;

import io.netty.util.concurrent.Future;
import java.time.Duration;

/** Waits on Netty futures with a deadline, so that no harness step can hang a benchmark run. */
final class Bounded {

    static final Duration DEADLINE = Duration.ofSeconds(120);

    private Bounded() {
    }

    /**
     * Waits for {@code f} at most {@link #DEADLINE}.
     *
     * @throws IllegalStateException when it is not done by then, or failed
     */
    static <F extends Future<?>> F await(F f, String what) {
        if (!f.awaitUninterruptibly(DEADLINE.toMillis())) {
            throw new IllegalStateException(what + ": not done after " + DEADLINE + " (expected: done)");
        }
        if (!f.isSuccess()) {
            throw new IllegalStateException(what + ": " + f.cause() + " (expected: success)", f.cause());
        }
        return f;
    }
}

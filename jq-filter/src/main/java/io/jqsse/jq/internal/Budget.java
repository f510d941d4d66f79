package io.jqsse.jq.internal;

import com.fasterxml.jackson.databind.JsonNode;
import io.jqsse.jq.FilterLimits;
import java.util.IdentityHashMap;
import java.util.Iterator;
import java.util.Map;

/**
 * The work allowance of one evaluation on one thread: steps counted by the guarded runtime, a
 * deadline checked every few steps, and size bounds on values built along the way.
 *
 * <p>Opened with {@link #open} on the evaluating thread and closed when the evaluation ends
 * (try-with-resources); the guarded builtins and operators find it through a thread-local, because
 * jackson-jq gives them no per-evaluation context. Code running without an open budget is not
 * bounded.
 */
public final class Budget implements AutoCloseable {

    private static final ThreadLocal<Budget> CURRENT = new ThreadLocal<>();
    private static final int CLOCK_EVERY_STEPS = 256;

    private final FilterLimits limits;
    private final long deadlineNanos;
    private final Budget previous;
    private long steps;
    private int sinceClock;
    private Map<JsonNode, Long> logicalSizes;

    private Budget(FilterLimits limits, Budget previous) {
        this.limits = limits;
        this.previous = previous;
        this.deadlineNanos = System.nanoTime() + limits.maxEvalMillis() * 1_000_000L;
    }

    /** Opens a budget for an evaluation starting now on this thread. */
    public static Budget open(FilterLimits limits) {
        Budget budget = new Budget(limits, CURRENT.get());
        CURRENT.set(budget);
        return budget;
    }

    @Override
    public void close() {
        if (previous == null) {
            CURRENT.remove();
        } else {
            CURRENT.set(previous);
        }
    }

    /** Counts {@code n} steps of the current evaluation, if any. */
    static void step(long n) {
        Budget budget = CURRENT.get();
        if (budget != null) {
            budget.count(n);
        }
    }

    /**
     * Fails the current evaluation, if any, when it is past its deadline: called around work that
     * one step does not measure (a Java builtin's call, an operator on a large value, serialization).
     */
    static void checkDeadline() {
        Budget budget = CURRENT.get();
        if (budget != null && System.nanoTime() - budget.deadlineNanos > 0) {
            throw budget.timeExceeded();
        }
    }

    /** Steps left before the current evaluation's step bound, or {@link Long#MAX_VALUE} outside one. */
    static long remainingSteps() {
        Budget budget = CURRENT.get();
        return budget == null ? Long.MAX_VALUE : budget.limits.maxSteps() - budget.steps;
    }

    /** Fails when {@code value} is larger than any value the current evaluation may build. */
    static void checkValue(JsonNode value) {
        Budget budget = CURRENT.get();
        if (budget == null || value == null) {
            return;
        }
        if (value.isTextual()) {
            budget.checkBytes(value.textValue().length());
        } else if (value.isContainerNode()) {
            budget.checkElements(value.size());
        }
    }

    /** The limits of the current evaluation, or null outside one. */
    static FilterLimits currentLimits() {
        Budget budget = CURRENT.get();
        return budget == null ? null : budget.limits;
    }

    void count(long n) {
        steps += n;
        if (steps > limits.maxSteps()) {
            throw new BudgetExceededException("steps: more than " + limits.maxSteps()
                    + " (expected: at most maxSteps " + limits.maxSteps() + ")");
        }
        sinceClock += (int) Math.min(n, CLOCK_EVERY_STEPS);
        if (sinceClock >= CLOCK_EVERY_STEPS) {
            sinceClock = 0;
            if (System.nanoTime() - deadlineNanos > 0) {
                throw timeExceeded();
            }
        }
    }

    /**
     * Fails when a value built by the filter has more nodes plus string characters, counting shared
     * subtrees once per occurrence, than its serialization could fit in the output bound: repeated
     * {@code [., .]} builds a small value that deep equality, {@code contains} or sorting would walk
     * exponentially, and {@code [range(1000) | $long]} one that string interpolation, {@code @csv} or
     * {@code @base64} would turn into gigabytes.
     */
    static void checkConstructed(JsonNode value) {
        Budget budget = CURRENT.get();
        if (budget != null && value != null && value.isContainerNode()) {
            if (budget.logicalSizes == null) {
                budget.logicalSizes = new IdentityHashMap<>();
            }
            budget.checkLogicalSize(budget.logicalSize(value));
        }
    }

    /**
     * {@link #checkConstructed} for {@code result = lhs + rhs} on two arrays or two objects, computed
     * from the operands' sizes (known from when they were built) instead of walking the result: a
     * {@code reduce} adding one element at a time stays linear in counted steps.
     */
    static void checkSum(JsonNode lhs, JsonNode rhs, JsonNode result) {
        Budget budget = CURRENT.get();
        if (budget == null || result == null || !result.isContainerNode()) {
            return;
        }
        if (!lhs.isContainerNode() || !rhs.isContainerNode() || result == lhs || result == rhs) {
            checkConstructed(result);
            return;
        }
        if (budget.logicalSizes == null) {
            budget.logicalSizes = new IdentityHashMap<>();
        }
        long nodes = budget.logicalSize(lhs) + budget.logicalSize(rhs) - 1;
        if (result.isObject()) {
            for (Iterator<String> keys = rhs.fieldNames(); keys.hasNext(); ) {
                JsonNode replaced = lhs.get(keys.next());
                if (replaced != null) {
                    nodes -= budget.logicalSize(replaced);
                }
            }
        }
        budget.logicalSizes.put(result, nodes);
        budget.checkLogicalSize(nodes);
    }

    private void checkLogicalSize(long size) {
        if (size > limits.maxOutputBytes()) {
            throw new BudgetExceededException("size: " + size + " nodes and characters (expected: at most maxOutputBytes "
                    + limits.maxOutputBytes() + ")");
        }
    }

    /** Nodes plus string characters, shared subtrees once per occurrence: about the serialized size. */
    private long logicalSize(JsonNode node) {
        if (node.isTextual()) {
            return 1L + node.textValue().length();
        }
        if (!node.isContainerNode() || node.isEmpty()) {
            return 1;
        }
        Long known = logicalSizes.get(node);
        if (known != null) {
            return known;
        }
        long total = 1;
        for (Iterator<JsonNode> it = node.elements(); it.hasNext() && total <= limits.maxOutputBytes(); ) {
            total += logicalSize(it.next());
            count(1);
        }
        logicalSizes.put(node, total);
        return total;
    }

    /** Nanoseconds left before the deadline, at least 1. */
    long remainingNanos() {
        return Math.max(1, deadlineNanos - System.nanoTime());
    }

    /** Fails the evaluation for running past its deadline. */
    BudgetExceededException timeExceeded() {
        return new BudgetExceededException("time: more than " + limits.maxEvalMillis()
                + " ms (expected: at most maxEvalMillis " + limits.maxEvalMillis() + ")");
    }

    void checkBytes(long bytes) {
        if (bytes > limits.maxOutputBytes()) {
            throw new BudgetExceededException("size: " + bytes + " bytes (expected: at most maxOutputBytes "
                    + limits.maxOutputBytes() + ")");
        }
    }

    void checkElements(long elements) {
        if (elements > limits.maxSteps()) {
            throw new BudgetExceededException("size: " + elements + " elements (expected: at most maxSteps "
                    + limits.maxSteps() + ")");
        }
    }

    /** The current evaluation's budget, or null outside one. */
    static Budget current() {
        return CURRENT.get();
    }
}

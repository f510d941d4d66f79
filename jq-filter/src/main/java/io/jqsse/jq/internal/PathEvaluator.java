package io.jqsse.jq.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.NullNode;
import io.jqsse.jq.Location;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import net.thisptr.jackson.jq.exception.JsonQueryException;

/**
 * Names the locations of parsed path steps in a document, in jq {@code path(f)} order, leniently:
 * indexing or iterating a value of the wrong type names nothing, an absent key or index names
 * nothing, and a select condition that fails with a jq error counts as false. Runs within the
 * thread's open {@link Budget}: every visited value counts a step, and a bound hit anywhere, select
 * conditions included, fails the whole walk with {@link BudgetExceededException} (a silently false
 * condition would make the view wrong).
 */
public final class PathEvaluator {

    private final List<PathStep> steps;

    public PathEvaluator(List<PathStep> steps) {
        this.steps = steps;
    }

    /**
     * Gives {@code sink} every location, in document order.
     *
     * @throws BudgetExceededException when the walk or a select condition exceeds the open budget
     */
    public void locations(JsonNode document, Consumer<Location> sink) {
        walk(0, document, new ArrayList<>(), sink);
    }

    private void walk(int i, JsonNode node, List<Object> path, Consumer<Location> sink) {
        Budget.step(1);
        if (i == steps.size()) {
            sink.accept(new Location(path, node));
            return;
        }
        PathStep step = steps.get(i);
        if (step instanceof PathStep.Key key) {
            JsonNode child = node.isObject() ? node.get(key.name()) : null;
            if (child != null) {
                descend(i, child, path, key.name(), sink);
            }
        } else if (step instanceof PathStep.Index index) {
            int at = index.index() < 0 ? node.size() + index.index() : index.index();
            if (node.isArray() && at >= 0 && at < node.size()) {
                descend(i, node.get(at), path, at, sink);
            }
        } else if (step instanceof PathStep.Iterate) {
            iterate(i, node, path, sink, null);
        } else if (step instanceof PathStep.Match match) {
            iterate(i, node, path, sink, match);
        } else if (step instanceof PathStep.Select select) {
            if (truthy(select, node)) {
                walk(i + 1, node, path, sink);
            }
        } else {
            recurse(i, node, path, sink);
        }
    }

    private void descend(int i, JsonNode child, List<Object> path, Object segment, Consumer<Location> sink) {
        path.add(segment);
        walk(i + 1, child, path, sink);
        path.remove(path.size() - 1);
    }

    private void iterate(int i, JsonNode node, List<Object> path, Consumer<Location> sink, PathStep.Match match) {
        if (node.isArray()) {
            for (int k = 0; k < node.size(); k++) {
                if (match == null || matches(match, node.get(k))) {
                    descend(i, node.get(k), path, k, sink);
                }
            }
        } else if (node.isObject()) {
            for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                if (match == null || matches(match, e.getValue())) {
                    descend(i, e.getValue(), path, e.getKey(), sink);
                }
            }
        }
    }

    private void recurse(int i, JsonNode node, List<Object> path, Consumer<Location> sink) {
        walk(i + 1, node, path, sink);
        if (node.isArray()) {
            for (int k = 0; k < node.size(); k++) {
                path.add(k);
                recurse(i, node.get(k), path, sink);
                path.remove(path.size() - 1);
            }
        } else if (node.isObject()) {
            for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                path.add(e.getKey());
                recurse(i, e.getValue(), path, sink);
                path.remove(path.size() - 1);
            }
        }
    }

    /** go-sse semantics: {@code (.key|tostring) == value}; on a non-object, non-null element: false. */
    static boolean matches(PathStep.Match match, JsonNode element) {
        JsonNode v;
        if (element.isObject()) {
            v = element.get(match.key());
        } else if (element.isNull()) {
            v = null;
        } else {
            return false;
        }
        String s = v == null || v.isNull() ? "null" : v.isTextual() ? v.textValue() : v.toString();
        return s.equals(match.value());
    }

    private static boolean truthy(PathStep.Select select, JsonNode node) {
        boolean[] result = {false};
        try {
            JqEngine.run(select.query(), node, out -> {
                Budget.step(1);
                if (!out.isNull() && !(out.isBoolean() && !out.booleanValue())) {
                    result[0] = true;
                }
            });
        } catch (BudgetExceededException e) {
            throw e;
        } catch (StackOverflowError e) {
            throw new BudgetExceededException("depth: select(" + select.condition()
                    + ") (expected: an evaluation nesting less deeply)");
        } catch (JsonQueryException | RuntimeException e) {
            return false;
        }
        return result[0];
    }

    /**
     * The singular view of key/index steps: the value or {@link NullNode} when absent, and the path
     * resolved as far as it can be ({@code null} when a negative index meets no array).
     */
    public static Location resolve(List<PathStep> steps, JsonNode document) {
        JsonNode node = document;
        List<Object> path = new ArrayList<>(steps.size());
        for (PathStep step : steps) {
            if (step instanceof PathStep.Key key) {
                path.add(key.name());
                node = node != null && node.isObject() ? node.get(key.name()) : null;
            } else {
                int index = ((PathStep.Index) step).index();
                if (index < 0) {
                    if (node == null || !node.isArray() || node.size() + index < 0) {
                        return null;
                    }
                    index = node.size() + index;
                }
                path.add(index);
                node = node != null && node.isArray() ? node.get(index) : null;
            }
        }
        return new Location(path, node == null ? NullNode.getInstance() : node);
    }
}

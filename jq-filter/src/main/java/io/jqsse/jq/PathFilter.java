package io.jqsse.jq;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.NullNode;
import io.jqsse.jq.internal.BoundedJson;
import io.jqsse.jq.internal.Budget;
import io.jqsse.jq.internal.BudgetExceededException;
import io.jqsse.jq.internal.JqEngine;
import io.jqsse.jq.internal.PathEvaluator;
import io.jqsse.jq.internal.PathStep;
import java.util.ArrayList;
import java.util.List;

/**
 * A filter whose results are document locations (jq {@code path(f)} works on it): paths, {@code []},
 * {@code [*]}, {@code [key=value]}, {@code ..} and {@code select(...)} joined by pipes.
 *
 * <p>Evaluation is lenient like jq's {@code ?}: indexing or iterating a value of the wrong type, or an
 * absent key or index, names nothing; a select condition that fails with a jq error is false; a
 * select condition with several outputs keeps the value once if any is truthy.
 *
 * <p>Evaluation is bounded by {@link FilterLimits}: every visited value counts a step, select
 * conditions run within the same time and step budget, and the view's serialized size is bounded
 * by {@link FilterLimits#maxOutputBytes()}. A bound hit anywhere, a select condition included, fails
 * the whole call with {@link FilterEvaluationException}: never a partial or silently wrong result.
 */
public final class PathFilter implements Filter {

    private final String text;
    private final List<PathStep> steps;
    private final boolean singular;
    private final Footprint footprint;
    private final FilterLimits limits;
    private final PathEvaluator evaluator;

    PathFilter(String text, List<PathStep> steps, FilterLimits limits) {
        this.text = text;
        this.steps = steps;
        this.limits = limits;
        this.singular = steps.stream().allMatch(s -> s instanceof PathStep.Key || s instanceof PathStep.Index);
        this.footprint = footprintOf(steps);
        this.evaluator = new PathEvaluator(steps);
    }

    @Override
    public String text() {
        return text;
    }

    @Override
    public Footprint footprint() {
        return footprint;
    }

    /** True when the filter names at most one location: a plain path of keys and indices. */
    public boolean singular() {
        return singular;
    }

    /**
     * Every location the filter names in {@code document}, in document order.
     *
     * @throws FilterEvaluationException when a bound of {@link FilterLimits} is hit (steps or time,
     *                                   in the walk or in a select condition)
     */
    public List<Location> locations(JsonNode document) {
        List<Location> out = new ArrayList<>();
        Budget budget = Budget.open(limits);
        try {
            evaluator.locations(document, out::add);
        } catch (BudgetExceededException e) {
            throw new FilterEvaluationException("filter: " + text + " exceeded its limits: " + e.getMessage(), e);
        } finally {
            budget.close();
        }
        return out;
    }

    /**
     * The view of {@code document} (see {@link View}).
     *
     * @throws FilterEvaluationException when a bound of {@link FilterLimits} is hit, including a view
     *                                   whose serialization is larger than {@code maxOutputBytes}
     */
    @Override
    public View view(JsonNode document) {
        View view;
        if (singular) {
            Location at = PathEvaluator.resolve(steps, document);
            view = at == null ? new View(NullNode.getInstance(), List.of())
                    : new View(at.value(), List.of(at.path()));
        } else {
            List<Location> locations = locations(document);
            ArrayNode values = JsonNodeFactory.instance.arrayNode(locations.size());
            List<List<Object>> paths = new ArrayList<>(locations.size());
            for (Location location : locations) {
                values.add(location.value());
                paths.add(location.path());
            }
            view = new View(values, paths);
        }
        checkSize(view.value());
        return view;
    }

    /** Serializes into a counter that stops at the bound: cheap even for a view sharing subtrees. */
    private void checkSize(JsonNode value) {
        long max = limits.maxOutputBytes();
        try {
            BoundedJson.size(JqEngine.mapper(), value, max);
        } catch (BudgetExceededException e) {
            throw new FilterEvaluationException("view: more than " + max + " bytes (expected: at most maxOutputBytes "
                    + max + ", filter: " + text + ")", e);
        }
    }

    static Footprint footprintOf(List<PathStep> steps) {
        List<List<Object>> patterns = new ArrayList<>();
        List<Object> prefix = new ArrayList<>();
        for (PathStep step : steps) {
            if (step instanceof PathStep.Key key) {
                prefix.add(key.name());
            } else if (step instanceof PathStep.Index index) {
                prefix.add(index.index() < 0 ? Footprint.ANY : (Object) index.index());
            } else if (step instanceof PathStep.Iterate) {
                prefix.add(Footprint.ANY);
            } else if (step instanceof PathStep.Match match) {
                List<Object> condition = new ArrayList<>(prefix);
                condition.add(Footprint.ANY);
                condition.add(match.key());
                patterns.add(condition);
                prefix.add(Footprint.ANY);
            } else {
                break;
            }
        }
        patterns.add(prefix);
        return Footprint.of(patterns);
    }

    @Override
    public String toString() {
        return text;
    }
}

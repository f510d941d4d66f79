package io.jqsse.jq;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import io.jqsse.jq.internal.BoundedJson;
import io.jqsse.jq.internal.Budget;
import io.jqsse.jq.internal.BudgetExceededException;
import io.jqsse.jq.internal.JqEngine;
import java.util.ArrayList;
import java.util.List;
import net.thisptr.jackson.jq.JsonQuery;
import net.thisptr.jackson.jq.exception.JsonQueryException;

/**
 * Any filter that is not a {@link PathFilter}: a full jq expression run by jackson-jq. Its view is its
 * output: the output itself when there is exactly one, otherwise the array of outputs ({@code []} for
 * none). Evaluation is bounded by {@link FilterLimits}. Its footprint is everything, except for a
 * filter {@code P | rest} whose head {@code P} is a path: then it is {@code P}'s footprint.
 */
public final class ComputedFilter implements Filter {

    private final String text;
    private final JsonQuery query;
    private final Footprint footprint;
    private final FilterLimits limits;

    ComputedFilter(String text, JsonQuery query, Footprint footprint, FilterLimits limits) {
        this.text = text;
        this.query = query;
        this.footprint = footprint;
        this.limits = limits;
    }

    @Override
    public String text() {
        return text;
    }

    @Override
    public Footprint footprint() {
        return footprint;
    }

    @Override
    public View view(JsonNode document) {
        return new View(evaluate(document), null);
    }

    /**
     * The view of {@code document}; never mutates it.
     *
     * @throws FilterEvaluationException on a jq error, or when a limit is exceeded
     */
    public JsonNode evaluate(JsonNode document) {
        List<JsonNode> outputs = new ArrayList<>();
        Budget budget = Budget.open(limits);
        try {
            JqEngine.run(query, document, out -> outputs.add(out));
            JsonNode view = outputs.size() == 1 ? outputs.get(0) : array(outputs);
            BoundedJson.size(JqEngine.mapper(), view, limits.maxOutputBytes());
            return view;
        } catch (JsonQueryException e) {
            throw new FilterEvaluationException("filter: " + text + " (expected: an evaluation without error, got: "
                    + e.getMessage() + ")", e);
        } catch (BudgetExceededException e) {
            throw new FilterEvaluationException("filter: " + text + " exceeded its limits: " + e.getMessage(), e);
        } catch (StackOverflowError e) {
            throw new FilterEvaluationException("filter: " + text + " (expected: an evaluation nesting less deeply)");
        } catch (RuntimeException e) {
            throw new FilterEvaluationException("filter: " + text + " (expected: an evaluation without error, got: "
                    + e + ")", e);
        } finally {
            budget.close();
        }
    }

    private static ArrayNode array(List<JsonNode> outputs) {
        ArrayNode array = JsonNodeFactory.instance.arrayNode(outputs.size());
        array.addAll(outputs);
        return array;
    }

    @Override
    public String toString() {
        return text;
    }
}

package io.jqsse.jq;

import io.jqsse.jq.internal.JqEngine;
import io.jqsse.jq.internal.JqParseException;
import io.jqsse.jq.internal.PathParser;
import io.jqsse.jq.internal.PathStep;
import io.jqsse.jq.internal.TextScanner;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import net.thisptr.jackson.jq.JsonQuery;

/**
 * Compiles filter texts into shared {@link Filter}s: a text that parses as a path (see
 * {@link PathFilter}) becomes a path filter, anything else is compiled by jackson-jq as a
 * {@link ComputedFilter} (after rewriting the go-sse forms {@code [*]} and {@code [key=value]}).
 * Syntax errors, unknown functions and refused functions fail here, never at evaluation.
 *
 * <p>Thread-safe. Each distinct text is compiled once and shared (a bounded LRU cache of
 * {@link #DEFAULT_CACHE_ENTRIES} entries).
 */
public final class FilterCompiler {

    public static final int DEFAULT_CACHE_ENTRIES = 10_000;

    private final FilterLimits limits;
    private final Map<String, Filter> cache;

    public FilterCompiler(FilterLimits limits) {
        this.limits = Objects.requireNonNull(limits, "limits");
        this.cache = new LinkedHashMap<>(256, 0.75f, true) {
            private static final long serialVersionUID = 1L;

            @Override
            protected boolean removeEldestEntry(Map.Entry<String, Filter> eldest) {
                return size() > DEFAULT_CACHE_ENTRIES;
            }
        };
    }

    /** The limits every filter of this compiler evaluates within. */
    public FilterLimits limits() {
        return limits;
    }

    /**
     * The filter of {@code text}, compiled once per distinct text.
     *
     * @throws FilterSyntaxException for a syntax error (with its position), an unknown function, or a
     *                               function refused because it could run unbounded
     */
    public Filter compile(String text) {
        Objects.requireNonNull(text, "text");
        synchronized (cache) {
            Filter cached = cache.get(text);
            if (cached != null) {
                return cached;
            }
        }
        Filter filter = compileUncached(text);
        synchronized (cache) {
            Filter raced = cache.putIfAbsent(text, filter);
            return raced == null ? filter : raced;
        }
    }

    private Filter compileUncached(String text) {
        if (text.isBlank()) {
            throw new FilterSyntaxException("filter: \"" + text + "\" (expected: a jq filter at position 0)", 0);
        }
        PathParser.Result path = PathParser.parse(text, true);
        if (path.ok()) {
            return new PathFilter(text, path.steps(), limits);
        }
        String jq = TextScanner.rewriteGoSseForms(text);
        try {
            JsonQuery query = JqEngine.compile(jq, text, 0);
            return new ComputedFilter(text, query, computedFootprint(text), limits);
        } catch (JqParseException jqError) {
            boolean pathLike = text.strip().startsWith(".") && path.errorPosition() > 0;
            if (pathLike && path.errorPosition() >= jqError.position()) {
                throw new FilterSyntaxException("filter: " + text + " (expected: " + path.expected() + " at position "
                        + path.errorPosition() + ")", path.errorPosition());
            }
            throw jqError;
        }
    }

    /**
     * {@code P | rest} with {@code P} a path reads only what {@code P} reads: after the pipe {@code .} is
     * a location of {@code P}, and no variable or input can reach back to the document. Anything else
     * may read everything.
     */
    private static Footprint computedFootprint(String text) {
        int pipe = TextScanner.firstTopLevelPipe(text);
        if (pipe < 0) {
            return Footprint.everything();
        }
        PathParser.Result head = PathParser.parse(text.substring(0, pipe), false);
        return head.ok() ? PathFilter.footprintOf(head.steps()) : Footprint.everything();
    }

    /**
     * Splits a {@code filter=} query value on top-level commas only (not inside {@code ()}, {@code []},
     * <code>{}</code> or strings); trims the parts and drops empty ones.
     */
    public static List<String> splitTopLevel(String value) {
        return TextScanner.splitTopLevel(value);
    }

    /**
     * Parses a concrete write path into segments: String keys and Integer indices (negative counts from
     * the end, for the store to resolve). {@code .} gives the empty list.
     *
     * @throws FilterSyntaxException when it does not parse, or is not concrete ("write paths must be
     *                               concrete": no {@code []}, {@code [*]}, {@code [k=v]}, {@code select},
     *                               {@code ..} or computed part)
     */
    public static List<Object> parseWritePath(String text) {
        Objects.requireNonNull(text, "text");
        PathParser.Result result = PathParser.parse(text, false);
        if (!result.ok()) {
            boolean jq = !text.isBlank() && compilesAsJq(text);
            String expected = jq ? "write paths must be concrete, got a computed part at position " + result.errorPosition()
                    : result.expected() + " at position " + result.errorPosition();
            throw new FilterSyntaxException("path: " + text + " (expected: " + expected + ")", result.errorPosition());
        }
        List<Object> segments = new ArrayList<>(result.steps().size());
        for (PathStep step : result.steps()) {
            if (step instanceof PathStep.Key key) {
                segments.add(key.name());
            } else if (step instanceof PathStep.Index index) {
                segments.add(index.index());
            } else {
                throw new FilterSyntaxException("path: " + text + " (expected: write paths must be concrete, got "
                        + describe(step) + " at position " + step.position() + ")", step.position());
            }
        }
        return List.copyOf(segments);
    }

    private static boolean compilesAsJq(String text) {
        try {
            JqEngine.compile(TextScanner.rewriteGoSseForms(text), text, 0);
            return true;
        } catch (JqParseException e) {
            return false;
        } catch (FilterSyntaxException e) {
            return true;
        }
    }

    private static String describe(PathStep step) {
        if (step instanceof PathStep.Iterate) {
            return "an iteration []";
        } else if (step instanceof PathStep.Match) {
            return "a [key=value] condition";
        } else if (step instanceof PathStep.Select) {
            return "a select";
        }
        return "a recursion ..";
    }
}

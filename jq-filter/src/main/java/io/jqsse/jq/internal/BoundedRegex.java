package io.jqsse.jq.internal;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import net.thisptr.jackson.jq.Expression;
import net.thisptr.jackson.jq.Function;
import net.thisptr.jackson.jq.PathOutput;
import net.thisptr.jackson.jq.Scope;
import net.thisptr.jackson.jq.Version;
import net.thisptr.jackson.jq.exception.JsonQueryException;
import net.thisptr.jackson.jq.internal.misc.OnigUtils;
import org.joni.Matcher;
import org.joni.Option;
import org.joni.exception.TimeoutException;

/**
 * Guards jackson-jq's regex builtins ({@code _match_impl/3} behind {@code test}, {@code match},
 * {@code capture}, {@code scan}, {@code splits}; {@code _sub_impl/3} behind {@code sub}, {@code gsub})
 * against catastrophic backtracking: jackson-jq searches with joni's non-interruptible
 * {@code search}, so before delegating, the same searches run here with joni's timeout set to the
 * evaluation's remaining time. A regex that would run past the deadline fails the evaluation; one
 * that finishes is then run again by jackson-jq for its result (at most twice the work).
 */
final class BoundedRegex implements Function {

    private final Function delegate;
    private final int flagsArgument;

    private BoundedRegex(Function delegate, int flagsArgument) {
        this.delegate = delegate;
        this.flagsArgument = flagsArgument;
    }

    /** Guards {@code _match_impl(re; flags; test)}. */
    static Function match(Function delegate) {
        return new BoundedRegex(delegate, 1);
    }

    /** Guards {@code _sub_impl(re; replacement; flags)}. */
    static Function sub(Function delegate) {
        return new BoundedRegex(delegate, 2);
    }

    @Override
    public void apply(Scope scope, List<Expression> args, JsonNode in, net.thisptr.jackson.jq.path.Path path,
                      PathOutput output, Version version) throws JsonQueryException {
        Budget.step(1);
        Budget budget = Budget.current();
        if (budget != null && in.isTextual()) {
            byte[] bytes = in.textValue().getBytes(StandardCharsets.UTF_8);
            for (JsonNode regex : values(args.get(0), scope, in)) {
                for (JsonNode flags : values(args.get(flagsArgument), scope, in)) {
                    if (regex.isTextual() && (flags.isTextual() || flags.isNull())) {
                        rehearse(budget, new OnigUtils.Pattern(regex.textValue(), flags.isNull() ? null : flags.textValue()),
                                bytes);
                    }
                }
            }
        }
        delegate.apply(scope, args, in, path, output, version);
    }

    private static List<JsonNode> values(Expression e, Scope scope, JsonNode in) throws JsonQueryException {
        List<JsonNode> out = new ArrayList<>(1);
        e.apply(scope, in, out::add);
        return out;
    }

    /** Runs the searches jackson-jq will run, within the remaining time. */
    private static void rehearse(Budget budget, OnigUtils.Pattern pattern, byte[] bytes) {
        Matcher m = pattern.regex.matcher(bytes, 0, bytes.length, budget.remainingNanos());
        int offset = 0;
        try {
            do {
                budget.count(1);
                if (m.searchInterruptible(offset, bytes.length, Option.NONE) < 0) {
                    return;
                }
                offset = m.getEnd() == offset ? offset + 1 : m.getEnd();
            } while (pattern.global && offset < bytes.length);
        } catch (InterruptedException e) {
            if (!(e instanceof TimeoutException)) {
                Thread.currentThread().interrupt();
            }
            throw budget.timeExceeded();
        }
    }
}

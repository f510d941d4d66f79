package io.jqsse.jq.internal;

import com.fasterxml.jackson.databind.node.NullNode;
import io.jqsse.jq.FilterSyntaxException;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.Type;
import java.util.Collections;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import net.thisptr.jackson.jq.Expression;
import net.thisptr.jackson.jq.Scope;
import net.thisptr.jackson.jq.internal.operators.BinaryOperator;
import net.thisptr.jackson.jq.internal.tree.FormattingFilter;
import net.thisptr.jackson.jq.internal.tree.FunctionCall;
import net.thisptr.jackson.jq.internal.tree.FunctionDefinition;
import net.thisptr.jackson.jq.internal.tree.ImportStatement;
import net.thisptr.jackson.jq.internal.tree.ModuleDirective;
import net.thisptr.jackson.jq.internal.tree.VariableAccess;
import net.thisptr.jackson.jq.exception.JsonQueryException;
import net.thisptr.jackson.jq.internal.tree.matcher.matchers.ObjectMatcher;
import net.thisptr.jackson.jq.internal.tree.matcher.matchers.ValueMatcher;

/**
 * Checks and instruments a freshly compiled jackson-jq expression tree before it is shared.
 *
 * <p>jackson-jq resolves functions only when a call runs, so this walk resolves every call against
 * the builtin scope now (an unknown function fails at compile time, not in the middle of a stream),
 * refuses constructs that could run unbounded or read outside the document ({@link #REFUSED},
 * {@code def}, {@code import}), and wraps expression nodes in {@link GuardedExpression} and binary
 * operators in {@link GuardedOperator}. jackson-jq exposes no visitor, so the walk reads the tree's
 * fields reflectively.
 */
final class JqGuard {

    /** Refused functions, by name/arity, with the reason given to the client. */
    static final Map<String, String> REFUSED = Map.ofEntries(
            Map.entry("input/0", "reads outside the document"),
            Map.entry("inputs/0", "reads outside the document"),
            Map.entry("input_filename/0", "reads outside the document"),
            Map.entry("input_line_number/0", "reads outside the document"),
            Map.entry("debug/0", "writes to the server's output"),
            Map.entry("debug/1", "writes to the server's output"),
            Map.entry("debug_scope/0", "writes to the server's output"),
            Map.entry("stderr/0", "writes to the server's output"),
            Map.entry("env/0", "reads the server's environment"),
            Map.entry("get_search_list/0", "reads the server's environment"),
            Map.entry("halt/0", "stops the process"),
            Map.entry("halt_error/0", "stops the process"),
            Map.entry("halt_error/1", "stops the process"),
            Map.entry("repeat/1", "can run unbounded"),
            Map.entry("while/2", "can run unbounded"),
            Map.entry("until/2", "can run unbounded"),
            Map.entry("recurse/1", "can run unbounded (use recurse or ..)"),
            Map.entry("recurse/2", "can run unbounded (use recurse or ..)"));

    private static final Set<String> REFUSED_VARIABLES = Set.of("__loc__", "ENV", "__prog_args");

    private final String text;
    private final String shown;
    private final Scope scope;
    private final boolean trusted;
    private final Set<Object> seen = Collections.newSetFromMap(new IdentityHashMap<>());
    private final Set<String> bound = new HashSet<>();
    private final Set<String> used = new LinkedHashSet<>();
    private boolean lenientVariables;

    private JqGuard(String text, String shown, Scope scope, boolean trusted) {
        this.text = text;
        this.shown = shown;
        this.scope = scope;
        this.trusted = trusted;
    }

    /**
     * Checks and instruments {@code root}, compiled from {@code text}; errors show {@code shown}.
     *
     * @throws FilterSyntaxException for an unknown or refused function or construct
     */
    static Expression guard(Expression root, String text, String shown, Scope scope) {
        JqGuard guard = new JqGuard(text, shown, scope, false);
        guard.visit(root);
        guard.checkVariables();
        return GuardedExpression.wrap(root);
    }

    /**
     * Instruments the body of a builtin that jackson-jq defines in jq itself ({@code map},
     * {@code flatten}, {@code walk}, ...) like a client filter, without the refusals: the body is
     * trusted (it may {@code def}), but every node and operator in it counts steps and checks sizes.
     */
    static Expression instrument(Expression body) {
        JqGuard guard = new JqGuard("", "", null, true);
        guard.visit(body);
        return GuardedExpression.wrap(body);
    }

    private void visit(Object node) {
        if (node == null || node instanceof Enum || !seen.add(node)) {
            return;
        }
        if (!trusted) {
            check(node);
        }
        for (Class<?> c = node.getClass(); c != null && c.getName().startsWith("net.thisptr."); c = c.getSuperclass()) {
            for (Field field : c.getDeclaredFields()) {
                if (!Modifier.isStatic(field.getModifiers()) && !field.getType().isPrimitive()) {
                    visitField(node, field);
                }
            }
        }
    }

    private void check(Object node) {
        if (node instanceof FunctionCall) {
            checkCall(node);
        } else if (node instanceof FunctionDefinition) {
            throw refuse("def", "function definitions are not allowed");
        } else if (node instanceof ImportStatement || node instanceof ModuleDirective) {
            throw refuse("import", "modules are not allowed");
        } else if (node instanceof VariableAccess) {
            String name = (String) read(node, VariableAccess.class, "name");
            if (REFUSED_VARIABLES.contains(name) || read(node, VariableAccess.class, "moduleName") != null) {
                throw refuse("$" + name, "$" + name + " is not allowed");
            }
            used.add(name);
        } else if (node instanceof ValueMatcher) {
            bound.add((String) read(node, ValueMatcher.class, "name"));
        } else if (node instanceof ObjectMatcher.FieldMatcher && (Boolean) read(node, ObjectMatcher.FieldMatcher.class, "dollar")) {
            bindObjectShorthand((Expression) read(node, ObjectMatcher.FieldMatcher.class, "name"));
        } else if (node instanceof FormattingFilter) {
            String name = (String) read(node, FormattingFilter.class, "name");
            String format = name.startsWith("@") ? name : "@" + name;
            if (scope.getFunction(format, 0) == null) {
                throw refuse(format, "a known format, got " + format);
            }
        }
    }

    /** {@code as {$name}} binds {@code $name}; jackson-jq keeps the name as a constant expression. */
    private void bindObjectShorthand(Expression name) {
        try {
            name.apply(Scope.newChildScope(scope), NullNode.getInstance(), value -> bound.add(value.asText()));
        } catch (JsonQueryException | RuntimeException e) {
            lenientVariables = true;
        }
    }

    /**
     * jackson-jq looks variables up only when they are read: a variable that no {@code as} pattern
     * binds anywhere in the filter fails here instead. (One bound elsewhere in the filter but out of
     * scope still fails at evaluation.)
     */
    private void checkVariables() {
        for (String name : used) {
            if (!lenientVariables && !bound.contains(name)) {
                throw refuse("$" + name, "a bound variable, got $" + name);
            }
        }
    }

    private void checkCall(Object call) {
        String name = (String) read(call, FunctionCall.class, "name");
        List<?> args = (List<?>) read(call, FunctionCall.class, "args");
        Object module = read(call, FunctionCall.class, "moduleName");
        String key = name + "/" + args.size();
        if (module != null) {
            throw refuse(String.valueOf(module), "modules are not allowed, got " + module + "::" + key);
        }
        String reason = REFUSED.get(key);
        if (reason != null) {
            throw refuse(name, key + " is refused: it " + reason);
        }
        if (scope.getFunction(name, args.size()) == null) {
            throw refuse(name, "a known function, got " + key);
        }
    }

    private void visitField(Object node, Field field) {
        try {
            field.setAccessible(true);
            Object value = field.get(node);
            if (value == null) {
                return;
            }
            if (value instanceof BinaryOperator && !(value instanceof GuardedOperator)) {
                field.set(node, new GuardedOperator((BinaryOperator) value));
            } else if (value instanceof Expression) {
                visit(value);
                if (field.getType() == Expression.class) {
                    field.set(node, GuardedExpression.wrap((Expression) value));
                }
            } else if (value instanceof List) {
                visitList((List<?>) value, holdsExpressions(field));
            } else if (value instanceof Map) {
                ((Map<?, ?>) value).values().forEach(this::visit);
            } else if (value instanceof Object[]) {
                for (Object element : (Object[]) value) {
                    visit(element);
                }
            } else if (value.getClass().getName().startsWith("net.thisptr.")) {
                visit(value);
            }
        } catch (ReflectiveOperationException | RuntimeException e) {
            if (e instanceof FilterSyntaxException) {
                throw (FilterSyntaxException) e;
            }
            throw new IllegalStateException("jackson-jq tree: " + node.getClass().getName() + "." + field.getName()
                    + " (expected: a readable field)", e);
        }
    }

    @SuppressWarnings("unchecked")
    private void visitList(List<?> list, boolean holdsExpressions) {
        for (int i = 0; i < list.size(); i++) {
            Object element = list.get(i);
            visit(element);
            if (holdsExpressions && element instanceof Expression && !(element instanceof GuardedExpression)) {
                try {
                    ((List<Object>) list).set(i, GuardedExpression.wrap((Expression) element));
                } catch (UnsupportedOperationException immutable) {
                    return;
                }
            }
        }
    }

    private static boolean holdsExpressions(Field field) {
        Type type = field.getGenericType();
        return type instanceof ParameterizedType
                && ((ParameterizedType) type).getActualTypeArguments()[0] == Expression.class;
    }

    private static Object read(Object node, Class<?> owner, String name) {
        try {
            Field field = owner.getDeclaredField(name);
            field.setAccessible(true);
            return field.get(node);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("jackson-jq tree: " + owner.getName() + "." + name
                    + " (expected: a readable field)", e);
        }
    }

    private FilterSyntaxException refuse(String token, String expected) {
        int position = Math.max(0, TokenFinder.find(text, token));
        return new FilterSyntaxException("filter: " + shown + " (expected: " + expected + " at position "
                + position + ")", position);
    }
}

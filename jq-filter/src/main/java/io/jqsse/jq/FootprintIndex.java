package io.jqsse.jq;

import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;

/**
 * An index of values (filter groups, for the fan-out engine) by {@link Footprint}: which values can a
 * write touching a concrete path affect, without scanning them all. A trie over pattern segments in
 * which {@link Footprint#ANY} is a child that matches every segment.
 *
 * <p>Not thread-safe: one owner thread adds, removes and queries.
 *
 * @param <G> the indexed values (compared with {@code equals})
 */
public final class FootprintIndex<G> {

    private final Node<G> root = new Node<>();
    private final Map<G, Integer> registrations = new HashMap<>();

    /** Adds {@code value} under every pattern of {@code footprint}; adding it again counts again. */
    public void add(Footprint footprint, G value) {
        for (List<Object> pattern : footprint.patterns()) {
            Node<G> node = root;
            for (Object segment : pattern) {
                node = node.child(segment);
            }
            node.values.merge(value, 1, Integer::sum);
        }
        registrations.merge(value, 1, Integer::sum);
    }

    /** Undoes one {@link #add} of the same footprint and value; a no-op when there is none. */
    public void remove(Footprint footprint, G value) {
        Integer count = registrations.get(value);
        if (count == null) {
            return;
        }
        for (List<Object> pattern : footprint.patterns()) {
            remove(root, pattern, 0, value);
        }
        if (count == 1) {
            registrations.remove(value);
        } else {
            registrations.put(value, count - 1);
        }
    }

    /** The number of distinct values held. */
    public int size() {
        return registrations.size();
    }

    /**
     * Gives {@code sink} each value whose footprint {@link Footprint#mayBeAffectedBy may be affected by}
     * a write touching {@code touched}, each at most once per call.
     */
    public void forEachAffected(List<Object> touched, Consumer<G> sink) {
        Set<G> seen = new HashSet<>();
        visit(root, touched, 0, seen, sink);
    }

    private void visit(Node<G> node, List<Object> touched, int depth, Set<G> seen, Consumer<G> sink) {
        if (depth == touched.size()) {
            emitSubtree(node, seen, sink);
            return;
        }
        emit(node, seen, sink);
        Node<G> exact = node.children == null ? null : node.children.get(touched.get(depth));
        if (exact != null) {
            visit(exact, touched, depth + 1, seen, sink);
        }
        if (node.any != null) {
            visit(node.any, touched, depth + 1, seen, sink);
        }
    }

    private void emitSubtree(Node<G> node, Set<G> seen, Consumer<G> sink) {
        emit(node, seen, sink);
        if (node.children != null) {
            for (Node<G> child : node.children.values()) {
                emitSubtree(child, seen, sink);
            }
        }
        if (node.any != null) {
            emitSubtree(node.any, seen, sink);
        }
    }

    private void emit(Node<G> node, Set<G> seen, Consumer<G> sink) {
        for (G value : node.values.keySet()) {
            if (seen.add(value)) {
                sink.accept(value);
            }
        }
    }

    private boolean remove(Node<G> node, List<Object> pattern, int depth, G value) {
        if (depth == pattern.size()) {
            Integer count = node.values.get(value);
            if (count != null) {
                if (count == 1) {
                    node.values.remove(value);
                } else {
                    node.values.put(value, count - 1);
                }
            }
        } else {
            Object segment = pattern.get(depth);
            Node<G> child = segment == Footprint.ANY ? node.any
                    : node.children == null ? null : node.children.get(segment);
            if (child != null && remove(child, pattern, depth + 1, value)) {
                if (segment == Footprint.ANY) {
                    node.any = null;
                } else {
                    node.children.remove(segment);
                    if (node.children.isEmpty()) {
                        node.children = null;
                    }
                }
            }
        }
        return node.isEmpty();
    }

    private static final class Node<G> {
        final Map<G, Integer> values = new HashMap<>(2);
        Map<Object, Node<G>> children;
        Node<G> any;

        Node<G> child(Object segment) {
            if (segment == Footprint.ANY) {
                if (any == null) {
                    any = new Node<>();
                }
                return any;
            }
            if (children == null) {
                children = new HashMap<>(4);
            }
            return children.computeIfAbsent(segment, s -> new Node<>());
        }

        boolean isEmpty() {
            return values.isEmpty() && children == null && any == null;
        }
    }
}

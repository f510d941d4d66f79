package io.jqsse.store;

import com.fasterxml.jackson.databind.JsonNode;
import java.math.BigInteger;
import java.util.ArrayDeque;
import java.util.Iterator;
import java.util.Map;

/**
 * The compact JSON size of a tree without serializing it, as Jackson's default UTF-8 generator
 * writes it: exact for strings (UTF-8 bytes plus the escapes RFC 8259 section 7 requires; Jackson
 * 2.18 escapes each half of a surrogate pair as a six-character escape unless
 * {@code COMBINE_UNICODE_SURROGATES_IN_UTF8} is on, so this counts 6 bytes per half, an upper
 * bound), booleans, null and integers; a close estimate for floating point and big numbers.
 * Iterative, so deep trees cannot overflow the stack. The one home of these rules:
 * {@link Measured.Builder} sums the same per-node terms ({@link #scalar}, {@link #key},
 * {@link #container}) while a reader builds a tree.
 */
final class SizeEstimate {

    /** Digits Jackson writes for a double in the worst case, e.g. {@code -1.2345678901234567E-300}. */
    private static final int DOUBLE_DIGITS = 24;
    private static final byte[] ASCII = asciiBytes();

    private SizeEstimate() {
    }

    static long of(JsonNode root) {
        return of(root, null);
    }

    /** The size of {@code root}, taking {@code known}'s size for the subtree that is its tree (by identity). */
    static long of(JsonNode root, Measured known) {
        JsonNode knownTree = known == null ? null : known.tree();
        long knownBytes = known == null ? 0 : known.bytes();
        if (root == knownTree) {
            return knownBytes;
        }
        long total = 0;
        ArrayDeque<Iterator<?>> stack = new ArrayDeque<>();
        total += enter(root, stack);
        while (!stack.isEmpty()) {
            Iterator<?> it = stack.peek();
            if (!it.hasNext()) {
                stack.pop();
                continue;
            }
            Object next = it.next();
            JsonNode child;
            if (next instanceof Map.Entry<?, ?> field) {
                total += key((String) field.getKey());
                child = (JsonNode) field.getValue();
            } else {
                child = (JsonNode) next;
            }
            total += child == knownTree ? knownBytes : enter(child, stack);
        }
        return total;
    }

    /** The size of {@code node} itself (brackets and commas for a container, pushed to walk its children). */
    private static long enter(JsonNode node, ArrayDeque<Iterator<?>> stack) {
        if (node.isContainerNode()) {
            int n = node.size();
            if (n > 0) {
                stack.push(node.isObject() ? node.fields() : node.elements());
            }
            return container(n);
        }
        return scalar(node);
    }

    /** A container's own bytes: its brackets and the commas between its {@code members}. */
    static long container(int members) {
        return 2 + Math.max(0, members - 1);
    }

    /** An object member's bytes besides its value: the key as a string literal and the colon. */
    static long key(String key) {
        return string(key) + 1;
    }

    /** A node that is not a container. */
    static long scalar(JsonNode node) {
        switch (node.getNodeType()) {
            case STRING:
                return string(node.textValue());
            case BOOLEAN:
                return node.booleanValue() ? 4 : 5;
            case NUMBER:
                return number(node);
            case BINARY:
                return 2 + (((long) node.asText().length() + 2) / 3) * 4;
            default:
                return 4;
        }
    }

    private static long number(JsonNode node) {
        if (node.isIntegralNumber()) {
            if (node.canConvertToLong()) {
                return digits(node.longValue());
            }
            BigInteger big = node.bigIntegerValue();
            return (long) (big.bitLength() * 0.30103) + 2;
        }
        if (node.isBigDecimal()) {
            return node.decimalValue().precision() + 8L;
        }
        return decimal(node.doubleValue());
    }

    /** The length of the shortest decimal with at most 15 fraction digits equal to {@code d}, or a bound. */
    private static int decimal(double d) {
        int integral = digits((long) d) + (d < 0 && (long) d == 0 ? 1 : 0);
        double scaled = d;
        for (int fraction = 1; fraction <= 15 && Math.abs(scaled) < 1e15; fraction++) {
            scaled *= 10;
            if (scaled == Math.rint(scaled)) {
                return integral + 1 + (d == Math.rint(d) ? 1 : fraction);
            }
        }
        return DOUBLE_DIGITS;
    }

    /** The characters of {@code v} in decimal, sign included: a ladder of comparisons, no division. */
    static int digits(long v) {
        if (v < 0) {
            return v == Long.MIN_VALUE ? 20 : 1 + digits(-v);
        }
        if (v < 100_000_000L) {
            if (v < 10_000L) {
                return v < 100L ? (v < 10L ? 1 : 2) : (v < 1_000L ? 3 : 4);
            }
            return v < 1_000_000L ? (v < 100_000L ? 5 : 6) : (v < 10_000_000L ? 7 : 8);
        }
        int n = 9;
        for (long bound = 1_000_000_000L; n < 19 && v >= bound; bound *= 10) {
            n++;
        }
        return n;
    }

    /** A JSON string literal's UTF-8 size, quotes included. */
    static long string(String s) {
        long n = 2;
        for (int i = 0, length = s.length(); i < length; i++) {
            char c = s.charAt(i);
            if (c < 0x80) {
                n += ASCII[c];
            } else if (c < 0x800) {
                n += 2;
            } else if (Character.isSurrogate(c)) {
                n += 6;
            } else {
                n += 3;
            }
        }
        return n;
    }

    /**
     * The bytes Jackson writes for each ASCII character inside a string: two for the RFC 8259 short
     * escapes ({@code \" \\ \b \f \n \r \t}), six for any other control character (a backslash,
     * {@code u} and four hex digits), one for the rest: one load per character instead of a chain of
     * comparisons.
     */
    private static byte[] asciiBytes() {
        byte[] table = new byte[0x80];
        for (int c = 0; c < table.length; c++) {
            table[c] = (byte) (c < 0x20 ? 6 : 1);
        }
        for (char c : new char[] {'"', '\\', '\b', '\f', '\n', '\r', '\t'}) {
            table[c] = 2;
        }
        return table;
    }
}

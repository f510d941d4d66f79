package io.jqsse.jq.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Lexical helpers over jq text that only need to know where string literals (with their
 * {@code \(...)} interpolations) and brackets are.
 */
public final class TextScanner {

    private static final Pattern MATCH_FORM =
            Pattern.compile("\\[\\s*([A-Za-z0-9_\\-]+|\"(?:[^\"\\\\]|\\\\.)*\")\\s*=(?!=)\\s*(\"(?:[^\"\\\\]|\\\\.)*\"|[^\\]\\[=\"|(){}]*?)\\s*]");

    private TextScanner() {
    }

    /**
     * The index just after the string literal starting at {@code start} (a {@code "}), skipping
     * escapes and interpolations; {@code text.length()} when it is not closed.
     */
    public static int skipString(String text, int start) {
        int i = start + 1;
        while (i < text.length()) {
            char c = text.charAt(i);
            if (c == '"') {
                return i + 1;
            }
            if (c == '\\' && i + 1 < text.length()) {
                if (text.charAt(i + 1) == '(') {
                    i = skipBalanced(text, i + 1);
                    continue;
                }
                i += 2;
                continue;
            }
            i++;
        }
        return text.length();
    }

    /**
     * The index just after the bracket that closes the one at {@code open} ({@code (}, {@code [} or
     * <code>{</code>); {@code text.length()} when it is not closed.
     */
    public static int skipBalanced(String text, int open) {
        int depth = 0;
        int i = open;
        while (i < text.length()) {
            char c = text.charAt(i);
            if (c == '"') {
                i = skipString(text, i);
                continue;
            }
            if (c == '(' || c == '[' || c == '{') {
                depth++;
            } else if (c == ')' || c == ']' || c == '}') {
                depth--;
                if (depth == 0) {
                    return i + 1;
                }
            }
            i++;
        }
        return text.length();
    }

    /** Splits on commas outside brackets, braces, parentheses and strings; trims; drops empty parts. */
    public static List<String> splitTopLevel(String value) {
        List<String> parts = new ArrayList<>();
        int depth = 0;
        int start = 0;
        int i = 0;
        while (i < value.length()) {
            char c = value.charAt(i);
            if (c == '"') {
                i = skipString(value, i);
                continue;
            }
            if (c == '(' || c == '[' || c == '{') {
                depth++;
            } else if (c == ')' || c == ']' || c == '}') {
                depth = Math.max(0, depth - 1);
            } else if (c == ',' && depth == 0) {
                addTrimmed(parts, value.substring(start, i));
                start = i + 1;
            }
            i++;
        }
        addTrimmed(parts, value.substring(start));
        return parts;
    }

    /**
     * The index of the first pipe {@code |} (not the update-assignment {@code |=}) outside brackets,
     * braces, parentheses and strings, or -1.
     */
    public static int firstTopLevelPipe(String text) {
        int depth = 0;
        int i = 0;
        while (i < text.length()) {
            char c = text.charAt(i);
            if (c == '"') {
                i = skipString(text, i);
                continue;
            }
            if (c == '(' || c == '[' || c == '{') {
                depth++;
            } else if (c == ')' || c == ']' || c == '}') {
                depth--;
            } else if (c == '|' && depth == 0 && !text.startsWith("|=", i)) {
                return i;
            }
            i++;
        }
        return -1;
    }

    private static void addTrimmed(List<String> parts, String part) {
        String trimmed = part.strip();
        if (!trimmed.isEmpty()) {
            parts.add(trimmed);
        }
    }

    /**
     * Rewrites the go-sse forms outside string literals into plain jq: {@code [*]} into {@code []}, and
     * {@code TERM[key=value]REST} into {@code (TERM[] | select((.key|tostring) == "value") | .REST)}.
     */
    public static String rewriteGoSseForms(String text) {
        String current = text;
        for (int guard = 0; guard < 1000; guard++) {
            String next = rewriteFirst(current);
            if (next == null) {
                return current;
            }
            current = next;
        }
        return current;
    }

    private static String rewriteFirst(String text) {
        int i = 0;
        while (i < text.length()) {
            char c = text.charAt(i);
            if (c == '"') {
                i = skipString(text, i);
                continue;
            }
            if (c == '[') {
                String star = starAt(text, i);
                if (star != null) {
                    return star;
                }
                Matcher m = MATCH_FORM.matcher(text).region(i, text.length());
                if (m.lookingAt()) {
                    int termStart = termStart(text, i);
                    if (termStart < i) {
                        return rewriteMatch(text, termStart, i, m);
                    }
                }
            }
            i++;
        }
        return null;
    }

    private static String starAt(String text, int open) {
        int j = open + 1;
        while (j < text.length() && Character.isWhitespace(text.charAt(j))) {
            j++;
        }
        if (j >= text.length() || text.charAt(j) != '*') {
            return null;
        }
        int k = j + 1;
        while (k < text.length() && Character.isWhitespace(text.charAt(k))) {
            k++;
        }
        if (k >= text.length() || text.charAt(k) != ']') {
            return null;
        }
        return text.substring(0, open) + "[]" + text.substring(k + 1);
    }

    private static String rewriteMatch(String text, int termStart, int open, Matcher m) {
        String key = m.group(1);
        String raw = m.group(2).strip();
        String value = raw.startsWith("\"") ? raw : com.fasterxml.jackson.databind.node.TextNode.valueOf(raw).toString();
        int restEnd = suffixEnd(text, m.end());
        String rest = text.substring(m.end(), restEnd);
        String restPipe = rest.isEmpty() ? "" : rest.startsWith(".") ? " | " + rest : " | ." + rest;
        return text.substring(0, termStart) + "(" + text.substring(termStart, open) + "[] | select((."
                + key + "|tostring) == " + value + ")" + restPipe + ")" + text.substring(restEnd);
    }

    /** Where the postfix term that ends just before {@code end} begins. */
    static int termStart(String text, int end) {
        int i = end;
        while (i > 0) {
            char c = text.charAt(i - 1);
            if (Character.isLetterOrDigit(c) || c == '_' || c == '.' || c == '$' || c == '?') {
                i--;
            } else if (c == ']' || c == ')' || c == '"') {
                int open = matchingOpen(text, i - 1);
                if (open < 0) {
                    return i;
                }
                i = open;
            } else {
                return i;
            }
        }
        return i;
    }

    private static int matchingOpen(String text, int close) {
        char closer = text.charAt(close);
        if (closer == '"') {
            for (int j = close - 1; j >= 0; j--) {
                if (text.charAt(j) == '"' && skipString(text, j) == close + 1) {
                    return j;
                }
            }
            return -1;
        }
        for (int j = close - 1; j >= 0; j--) {
            char c = text.charAt(j);
            if ((c == '[' || c == '(') && skipBalanced(text, j) == close + 1) {
                return j;
            }
        }
        return -1;
    }

    /** The end of the postfix suffixes ({@code .key}, {@code ."key"}, {@code [..]}, {@code ?}) at {@code start}. */
    static int suffixEnd(String text, int start) {
        int i = start;
        while (i < text.length()) {
            char c = text.charAt(i);
            if (c == '?') {
                i++;
            } else if (c == '[') {
                i = skipBalanced(text, i);
            } else if (c == '.' && i + 1 < text.length() && text.charAt(i + 1) == '"') {
                i = skipString(text, i + 1);
            } else if (c == '.' && i + 1 < text.length() && isIdentStart(text.charAt(i + 1))) {
                i += 2;
                while (i < text.length() && isIdentPart(text.charAt(i))) {
                    i++;
                }
            } else {
                return i;
            }
        }
        return i;
    }

    static boolean isIdentStart(char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_';
    }

    static boolean isIdentPart(char c) {
        return isIdentStart(c) || (c >= '0' && c <= '9');
    }
}

package io.jqsse.jq.internal;

import java.util.ArrayList;
import java.util.List;

/**
 * Parses the path-filter subset of jq: a pipeline of paths ({@code .}, {@code .key}, {@code ."key"},
 * {@code .["key"]}, {@code [n]}, {@code []}, {@code [*]}, {@code [key=value]}, {@code ?}, {@code ..})
 * and {@code select(COND)} terms. Anything else is left to jackson-jq as a computed filter.
 */
public final class PathParser {

    /** Either the steps, or where and why the text is not a path filter. */
    public record Result(List<PathStep> steps, int errorPosition, String expected) {
        public boolean ok() {
            return steps != null;
        }
    }

    private final String text;
    private final boolean allowSelect;
    private final List<PathStep> steps = new ArrayList<>();
    private int pos;

    private PathParser(String text, boolean allowSelect) {
        this.text = text;
        this.allowSelect = allowSelect;
    }

    /**
     * Parses {@code text}; {@code select} conditions are compiled only when {@code allowSelect}.
     *
     * @throws io.jqsse.jq.FilterSyntaxException when a select condition does not compile
     */
    public static Result parse(String text, boolean allowSelect) {
        PathParser parser = new PathParser(text, allowSelect);
        try {
            parser.pipeline();
            return new Result(List.copyOf(parser.steps), -1, null);
        } catch (Mismatch m) {
            return new Result(null, m.position, m.expected);
        }
    }

    private void pipeline() {
        skipWs();
        term();
        skipWs();
        while (peek('|')) {
            pos++;
            skipWs();
            term();
            skipWs();
        }
        if (pos < text.length()) {
            throw new Mismatch(pos, "'|' or the end of the path");
        }
    }

    private void term() {
        if (text.startsWith("select", pos) && !identPartAt(pos + 6)) {
            select();
        } else if (text.startsWith("..", pos)) {
            steps.add(new PathStep.Recurse(pos));
            pos += 2;
            while (peek('[') || peek('?')) {
                suffix();
            }
        } else if (peek('.')) {
            int start = pos;
            pos++;
            if (pos < text.length() && TextScanner.isIdentStart(text.charAt(pos))) {
                steps.add(new PathStep.Key(identifier(), start));
            } else if (peek('"')) {
                steps.add(new PathStep.Key(string(), start));
            } else if (peek('[')) {
                bracket();
            }
            suffixes();
        } else {
            throw new Mismatch(pos, "'.'");
        }
    }

    private void suffixes() {
        while (pos < text.length()) {
            char c = text.charAt(pos);
            if (c == '.' && pos + 1 < text.length() && text.charAt(pos + 1) != '.') {
                int start = pos;
                pos++;
                if (TextScanner.isIdentStart(text.charAt(pos))) {
                    steps.add(new PathStep.Key(identifier(), start));
                } else if (peek('"')) {
                    steps.add(new PathStep.Key(string(), start));
                } else if (peek('[')) {
                    bracket();
                } else {
                    throw new Mismatch(pos, "a key after '.'");
                }
            } else if (c == '[' || c == '?') {
                suffix();
            } else {
                return;
            }
        }
    }

    private void suffix() {
        if (peek('?')) {
            pos++;
        } else {
            bracket();
        }
    }

    private void bracket() {
        int start = pos;
        pos++;
        skipWs();
        if (peek(']')) {
            pos++;
            steps.add(new PathStep.Iterate(start));
        } else if (peek('*')) {
            pos++;
            closeBracket();
            steps.add(new PathStep.Iterate(start));
        } else if (peek('"')) {
            String key = string();
            skipWs();
            if (peek('=') && !text.startsWith("==", pos)) {
                pos++;
                steps.add(new PathStep.Match(key, matchValue(), start));
            } else {
                closeBracket();
                steps.add(new PathStep.Key(key, start));
            }
        } else if (peek('-') || digitAt(pos)) {
            steps.add(new PathStep.Index(integer(), start));
            closeBracket();
        } else if (pos < text.length() && matchKeyChar(text.charAt(pos))) {
            int keyStart = pos;
            while (pos < text.length() && matchKeyChar(text.charAt(pos))) {
                pos++;
            }
            String key = text.substring(keyStart, pos);
            skipWs();
            if (!peek('=') || text.startsWith("==", pos)) {
                throw new Mismatch(pos, "'=' in [key=value]");
            }
            pos++;
            steps.add(new PathStep.Match(key, matchValue(), start));
        } else {
            throw new Mismatch(pos, "']'");
        }
    }

    private String matchValue() {
        skipWs();
        String value;
        if (peek('"')) {
            value = string();
        } else {
            int start = pos;
            while (pos < text.length() && "][=\"|(){}".indexOf(text.charAt(pos)) < 0) {
                pos++;
            }
            value = text.substring(start, pos).strip();
        }
        closeBracket();
        return value;
    }

    private void closeBracket() {
        skipWs();
        if (!peek(']')) {
            throw new Mismatch(pos, "']'");
        }
        pos++;
    }

    private void select() {
        int start = pos;
        pos += 6;
        skipWs();
        if (!peek('(')) {
            throw new Mismatch(pos, "'(' after select");
        }
        int end = TextScanner.skipBalanced(text, pos);
        if (end > text.length() || text.charAt(end - 1) != ')') {
            throw new Mismatch(text.length(), "')'");
        }
        String condition = text.substring(pos + 1, end - 1);
        if (!allowSelect) {
            steps.add(new PathStep.Select(condition, null, start));
        } else {
            String rewritten = TextScanner.rewriteGoSseForms(condition);
            int offset = rewritten.equals(condition) ? pos + 1 : start;
            steps.add(new PathStep.Select(condition, JqEngine.compile(rewritten, text, offset), start));
        }
        pos = end;
    }

    private String identifier() {
        int start = pos;
        while (identPartAt(pos)) {
            pos++;
        }
        return text.substring(start, pos);
    }

    private String string() {
        StringBuilder sb = new StringBuilder();
        pos++;
        while (pos < text.length()) {
            char c = text.charAt(pos++);
            if (c == '"') {
                return sb.toString();
            }
            if (c != '\\') {
                sb.append(c);
                continue;
            }
            if (pos >= text.length()) {
                break;
            }
            char e = text.charAt(pos++);
            switch (e) {
                case '"', '\\', '/' -> sb.append(e);
                case 'b' -> sb.append('\b');
                case 'f' -> sb.append('\f');
                case 'n' -> sb.append('\n');
                case 'r' -> sb.append('\r');
                case 't' -> sb.append('\t');
                case 'u' -> sb.append(unicodeEscape());
                default -> throw new Mismatch(pos - 2, "a JSON string escape");
            }
        }
        throw new Mismatch(text.length(), "'\"'");
    }

    private char unicodeEscape() {
        if (pos + 4 > text.length()) {
            throw new Mismatch(pos, "four hex digits");
        }
        try {
            char c = (char) Integer.parseInt(text.substring(pos, pos + 4), 16);
            pos += 4;
            return c;
        } catch (NumberFormatException e) {
            throw new Mismatch(pos, "four hex digits");
        }
    }

    private int integer() {
        int start = pos;
        if (peek('-')) {
            pos++;
        }
        while (digitAt(pos)) {
            pos++;
        }
        try {
            return Integer.parseInt(text.substring(start, pos));
        } catch (NumberFormatException e) {
            throw new Mismatch(start, "an integer index");
        }
    }

    private static boolean matchKeyChar(char c) {
        return TextScanner.isIdentPart(c) || c == '-';
    }

    private boolean identPartAt(int i) {
        return i < text.length() && TextScanner.isIdentPart(text.charAt(i));
    }

    private boolean digitAt(int i) {
        return i < text.length() && text.charAt(i) >= '0' && text.charAt(i) <= '9';
    }

    private boolean peek(char c) {
        return pos < text.length() && text.charAt(pos) == c;
    }

    private void skipWs() {
        while (pos < text.length() && Character.isWhitespace(text.charAt(pos))) {
            pos++;
        }
    }

    private static final class Mismatch extends RuntimeException {
        private static final long serialVersionUID = 1L;
        final int position;
        final String expected;

        Mismatch(int position, String expected) {
            super(expected, null, false, false);
            this.position = position;
            this.expected = expected;
        }
    }
}

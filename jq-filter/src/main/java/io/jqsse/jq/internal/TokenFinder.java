package io.jqsse.jq.internal;

/** Finds where a name occurs in jq text as a token of its own, outside string literals. */
final class TokenFinder {

    private TokenFinder() {
    }

    /** The offset of the first standalone occurrence of {@code token}, or -1. */
    static int find(String text, String token) {
        int i = 0;
        while (i < text.length()) {
            char c = text.charAt(i);
            if (c == '"') {
                int end = TextScanner.skipString(text, i);
                int inner = findInInterpolations(text, i, end, token);
                if (inner >= 0) {
                    return inner;
                }
                i = end;
                continue;
            }
            if (text.startsWith(token, i) && standalone(text, i, token)) {
                return i;
            }
            i++;
        }
        return -1;
    }

    private static int findInInterpolations(String text, int start, int end, String token) {
        int open = text.indexOf("\\(", start);
        while (open >= 0 && open < end) {
            int close = TextScanner.skipBalanced(text, open + 1);
            int found = find(text.substring(open + 2, Math.max(open + 2, close - 1)), token);
            if (found >= 0) {
                return open + 2 + found;
            }
            open = text.indexOf("\\(", close);
        }
        return -1;
    }

    private static boolean standalone(String text, int at, String token) {
        char first = token.charAt(0);
        boolean word = TextScanner.isIdentPart(first);
        if (at > 0) {
            char before = text.charAt(at - 1);
            if (word && (TextScanner.isIdentPart(before) || before == '.' || before == '$' || before == '@')) {
                return false;
            }
        }
        int after = at + token.length();
        return !(after < text.length() && TextScanner.isIdentPart(text.charAt(after)));
    }
}

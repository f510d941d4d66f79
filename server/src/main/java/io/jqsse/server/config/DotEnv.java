package io.jqsse.server.config;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Reads a {@code .env} file the way docker compose and the dotenv libraries do: {@code KEY=VALUE}
 * lines; blank lines and lines starting with {@code #} are skipped; an optional {@code export }
 * prefix; a value in double quotes (with {@code \n}, {@code \r}, {@code \t}, {@code \"} and
 * {@code \\} escapes), in single quotes (literal), or bare (trimmed, ending at a {@code #} that
 * follows whitespace). A later line for the same key wins. There is no variable expansion.
 */
final class DotEnv {

    /** One value and the line it was read from. */
    record Entry(String value, int line) {
    }

    private static final Pattern KEY = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");

    private DotEnv() {
    }

    /** The entries of {@code file}, an empty map when it does not exist. */
    static Map<String, Entry> read(Path file) {
        if (!Files.isRegularFile(file)) {
            return Map.of();
        }
        try {
            return parse(file.toString(), Files.readAllLines(file, StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new ConfigException(file.toString(), file + ": " + e + " (expected: a readable UTF-8 file)", e);
        }
    }

    /** Parses lines; {@code name} (the file) starts every error message. */
    static Map<String, Entry> parse(String name, List<String> lines) {
        Map<String, Entry> entries = new LinkedHashMap<>();
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i);
            if (i == 0 && line.startsWith("\uFEFF")) {
                line = line.substring(1);
            }
            line = line.strip();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            String where = name + ":" + (i + 1);
            if (line.startsWith("export ") || line.startsWith("export\t")) {
                line = line.substring("export".length()).strip();
            }
            int eq = line.indexOf('=');
            String key = eq < 0 ? line : line.substring(0, eq).strip();
            if (eq < 0 || !KEY.matcher(key).matches()) {
                throw new ConfigException(name, where + ": " + key + " (expected: KEY=VALUE with KEY like PORT)");
            }
            entries.put(key, new Entry(value(where, key, line.substring(eq + 1).strip()), i + 1));
        }
        return entries;
    }

    private static String value(String where, String key, String raw) {
        if (raw.startsWith("\"")) {
            return doubleQuoted(where, key, raw);
        }
        if (raw.startsWith("'")) {
            int close = raw.indexOf('\'', 1);
            if (close < 0) {
                throw unterminated(where, key, '\'');
            }
            checkTrailing(where, key, raw.substring(close + 1));
            return raw.substring(1, close);
        }
        for (int i = 1; i < raw.length(); i++) {
            if (raw.charAt(i) == '#' && Character.isWhitespace(raw.charAt(i - 1))) {
                return raw.substring(0, i).strip();
            }
        }
        return raw;
    }

    private static String doubleQuoted(String where, String key, String raw) {
        StringBuilder sb = new StringBuilder(raw.length());
        for (int i = 1; i < raw.length(); i++) {
            char c = raw.charAt(i);
            if (c == '"') {
                checkTrailing(where, key, raw.substring(i + 1));
                return sb.toString();
            }
            if (c == '\\' && i + 1 < raw.length()) {
                char next = raw.charAt(++i);
                switch (next) {
                    case 'n' -> sb.append('\n');
                    case 'r' -> sb.append('\r');
                    case 't' -> sb.append('\t');
                    case '"', '\\' -> sb.append(next);
                    default -> sb.append('\\').append(next);
                }
            } else {
                sb.append(c);
            }
        }
        throw unterminated(where, key, '"');
    }

    private static void checkTrailing(String where, String key, String rest) {
        String trimmed = rest.strip();
        if (!trimmed.isEmpty() && !trimmed.startsWith("#")) {
            throw new ConfigException(key, where + ": " + key + " (expected: only a # comment after the closing quote)");
        }
    }

    private static ConfigException unterminated(String where, String key, char quote) {
        return new ConfigException(key, where + ": " + key + " (expected: a closing " + quote + " on the same line)");
    }
}

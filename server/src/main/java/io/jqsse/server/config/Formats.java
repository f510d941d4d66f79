package io.jqsse.server.config;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * The formats of the settings that are not plain numbers. Each parser returns the normalized value,
 * or null when it rejects the text; the matching {@code *_EXPECTED} constant says what it accepts.
 */
final class Formats {

    static final String HOST_EXPECTED = "a host name or an IP address, such as 0.0.0.0 or ::1";
    static final String STORE_TYPE_EXPECTED = "memory or mongo";
    static final String MONGO_URI_EXPECTED = "a connection string starting with mongodb:// or mongodb+srv://";
    static final String DATABASE_EXPECTED = "a MongoDB database name: 1 to 63 characters, none of /\\. \"$*<>:|?";
    static final String COLLECTION_EXPECTED = "a MongoDB collection name: 1 to 255 characters, no $, not system.*";
    static final String DOCUMENT_ID_EXPECTED = "1 to 1024 characters";
    static final String WRITE_CONCERN_EXPECTED =
            "majority, acknowledged, unacknowledged, journaled, or w<n> / <n> with n from 0 to 50";
    static final String CORS_EXPECTED =
            "* or a comma-separated list of origins such as https://example.com,http://localhost:3000";

    private static final Pattern HOST = Pattern.compile("[A-Za-z0-9._%:\\[\\]-]+");
    private static final Pattern WRITE_CONCERN_COUNT = Pattern.compile("w?([0-9]{1,2})");
    /** An origin as browsers send it (RFC 6454 section 6.2): scheme "://" host [":" port], nothing else. */
    private static final Pattern ORIGIN = Pattern.compile("[a-z][a-z0-9+.-]*://[^/?#@\\s,]+");
    private static final String DATABASE_FORBIDDEN = "/\\. \"$*<>:|?\0";
    private static final int MAX_DATABASE_LENGTH = 63;
    private static final int MAX_COLLECTION_LENGTH = 255;
    private static final int MAX_DOCUMENT_ID_LENGTH = 1024;
    private static final int MAX_WRITE_COUNT = 50;

    private Formats() {
    }

    static String host(String text) {
        return HOST.matcher(text).matches() ? text : null;
    }

    static String storeType(String text) {
        String lower = text.toLowerCase(Locale.ROOT);
        return lower.equals("memory") || lower.equals("mongo") ? lower : null;
    }

    static String mongoUri(String text) {
        for (String scheme : new String[] {"mongodb://", "mongodb+srv://"}) {
            if (text.startsWith(scheme) && text.length() > scheme.length() && text.chars().noneMatch(Character::isWhitespace)) {
                return text;
            }
        }
        return null;
    }

    /** {@code uri} with the password of its user info replaced by {@code ***}, for messages. */
    static String redactUri(String uri) {
        int scheme = uri.indexOf("://");
        int start = scheme < 0 ? 0 : scheme + 3;
        int at = uri.lastIndexOf('@');
        if (at < start) {
            return uri;
        }
        int colon = uri.indexOf(':', start);
        if (colon < 0 || colon > at) {
            return uri;
        }
        return uri.substring(0, colon + 1) + "***" + uri.substring(at);
    }

    static String database(String text) {
        if (text.length() > MAX_DATABASE_LENGTH) {
            return null;
        }
        for (int i = 0; i < text.length(); i++) {
            if (DATABASE_FORBIDDEN.indexOf(text.charAt(i)) >= 0) {
                return null;
            }
        }
        return text;
    }

    static String collection(String text) {
        boolean ok = text.length() <= MAX_COLLECTION_LENGTH && text.indexOf('$') < 0 && text.indexOf('\0') < 0
                && !text.startsWith("system.");
        return ok ? text : null;
    }

    static String documentId(String text) {
        return text.length() <= MAX_DOCUMENT_ID_LENGTH ? text : null;
    }

    /**
     * The write concern in canonical form: {@code majority}, {@code acknowledged},
     * {@code unacknowledged}, {@code journaled}, or {@code w<n>} (a bare number {@code n} is
     * {@code w<n>}).
     */
    static String writeConcern(String text) {
        String lower = text.toLowerCase(Locale.ROOT);
        switch (lower) {
            case "majority", "acknowledged", "unacknowledged", "journaled" -> {
                return lower;
            }
            default -> {
                var m = WRITE_CONCERN_COUNT.matcher(lower);
                return m.matches() && Integer.parseInt(m.group(1)) <= MAX_WRITE_COUNT
                        ? "w" + Integer.parseInt(m.group(1)) : null;
            }
        }
    }

    /** {@code [*]}, or the listed origins in lower case; {@code *} cannot be mixed with origins. */
    static List<String> corsOrigins(String text) {
        if (text.equals("*")) {
            return List.of("*");
        }
        List<String> origins = new ArrayList<>();
        for (String part : text.split(",", -1)) {
            String origin = part.strip().toLowerCase(Locale.ROOT);
            if (origin.isEmpty()) {
                continue;
            }
            if (!ORIGIN.matcher(origin).matches()) {
                return null;
            }
            if (!origins.contains(origin)) {
                origins.add(origin);
            }
        }
        return origins.isEmpty() ? null : List.copyOf(origins);
    }
}

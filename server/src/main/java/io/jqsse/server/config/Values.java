package io.jqsse.server.config;

import io.jqsse.server.config.Sources.Raw;

import java.time.Duration;
import java.util.Optional;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * Typed, validated reads of settings: each returns the default when no source sets the setting and
 * throws a {@link ConfigException} naming it when the value is not acceptable.
 */
final class Values {

    private static final Pattern INTEGER = Pattern.compile("[+-]?[0-9]{1,18}");
    private static final long KIB = 1024;
    private static final long MIB = 1024 * 1024;

    private final Sources sources;

    Values(Sources sources) {
        this.sources = sources;
    }

    /** The raw value of {@code setting}, when a source sets it. */
    Optional<Raw> raw(Setting setting) {
        return sources.find(setting);
    }

    /** Whether some source sets {@code setting}. */
    boolean isSet(Setting setting) {
        return raw(setting).isPresent();
    }

    String text(Setting setting, String defaultValue) {
        return raw(setting).map(Raw::text).orElse(defaultValue);
    }

    /**
     * The value {@code parse} makes of the text, or the default; {@code parse} returns null for text
     * it rejects, and {@code expected} says what it accepts.
     */
    <T> T parsed(Setting setting, T defaultValue, Function<String, T> parse, String expected) {
        return raw(setting).map(r -> {
            T value = parse.apply(r.text());
            if (value == null) {
                throw invalid(r, expected);
            }
            return value;
        }).orElse(defaultValue);
    }

    int integer(Setting setting, int min, int max, int defaultValue) {
        return raw(setting).map(r -> (int) parseLong(r, min, max)).orElse(defaultValue);
    }

    long longInteger(Setting setting, long min, long max, long defaultValue) {
        return raw(setting).map(r -> parseLong(r, min, max)).orElse(defaultValue);
    }

    /** A {@code _KB} setting, in bytes. */
    int kibibytes(Setting setting, int minKb, int maxKb, int defaultBytes) {
        return raw(setting).map(r -> Math.toIntExact(parseLong(r, minKb, maxKb) * KIB)).orElse(defaultBytes);
    }

    /** A {@code _MB} setting, in bytes. */
    long mebibytes(Setting setting, int minMb, int maxMb, long defaultBytes) {
        return raw(setting).map(r -> parseLong(r, minMb, maxMb) * MIB).orElse(defaultBytes);
    }

    Duration seconds(Setting setting, long min, long max, Duration defaultValue) {
        return raw(setting).map(r -> Duration.ofSeconds(parseLong(r, min, max))).orElse(defaultValue);
    }

    Duration millis(Setting setting, long min, long max, Duration defaultValue) {
        return raw(setting).map(r -> Duration.ofMillis(parseLong(r, min, max))).orElse(defaultValue);
    }

    /** The error for {@code raw}, showing its value (or {@code ***} for a secret). */
    static ConfigException invalid(Raw raw, String expected) {
        return invalid(raw, raw.shown(), expected);
    }

    /** The error for {@code raw}, showing {@code shown} as its value. */
    static ConfigException invalid(Raw raw, String shown, String expected) {
        String from = raw.origin() == null ? "" : ", from " + raw.origin();
        return new ConfigException(raw.name(), raw.name() + ": " + shown + " (expected: " + expected + ")" + from);
    }

    private static long parseLong(Raw raw, long min, long max) {
        String expected = "an integer from " + min + " to " + max;
        if (!INTEGER.matcher(raw.text()).matches()) {
            throw invalid(raw, expected);
        }
        long value = Long.parseLong(raw.text());
        if (value < min || value > max) {
            throw invalid(raw, expected);
        }
        return value;
    }
}

package io.jqsse.server.config;

/**
 * A setting that is missing, malformed or out of range, or a configuration file that cannot be
 * read. The message is worded {@code "NAME: value (expected: ...)"}, naming the setting as the
 * operator wrote it, and tells where the value came from when that was not the environment.
 * Secrets are never part of the message.
 */
public final class ConfigException extends RuntimeException {

    private final String setting;

    ConfigException(String setting, String message) {
        super(message);
        this.setting = setting;
    }

    ConfigException(String setting, String message, Throwable cause) {
        super(message, cause);
        this.setting = setting;
    }

    /**
     * The setting at fault as it was written ({@code PORT}, {@code jqsse.port}), or the file that
     * could not be read.
     */
    public String setting() {
        return setting;
    }
}

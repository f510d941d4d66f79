/**
 * Loading a {@link io.jqsse.server.ServerConfig} from the places an operator puts settings: the
 * environment (go-sse names such as {@code PORT}), {@code -D} system properties, a {@code .env}
 * file and a HOCON {@code application.conf}, every value validated at start with an error that
 * names the setting. {@link io.jqsse.server.config.ConfigLoader} documents the sources, their order
 * and the mapping of names to HOCON keys.
 */
package io.jqsse.server.config;

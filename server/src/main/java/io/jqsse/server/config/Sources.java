package io.jqsse.server.config;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigParseOptions;
import com.typesafe.config.ConfigResolveOptions;
import com.typesafe.config.ConfigValue;
import com.typesafe.config.ConfigValueType;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * The four places a setting can come from, asked in priority order: the environment, system
 * properties (the environment name, then the HOCON key), the {@code .env} file, HOCON (a file given
 * by {@code -Dconfig.file} or {@code application.conf} in the working directory, falling back to
 * {@code application.conf} on the class path). A value that is empty or only whitespace counts as
 * not set, so an empty {@code PORT=} falls through to the next source.
 */
final class Sources {

    /** A setting's text as found: the name it was found under and, unless it was the environment, where. */
    record Raw(Setting setting, String name, String text, String origin) {
        /** The value as messages may show it. */
        String shown() {
            return setting.secret() ? "***" : text;
        }
    }

    private static final Logger log = LoggerFactory.getLogger(Sources.class);
    private static final String APPLICATION_CONF = "application.conf";
    private static final Pattern ENV_NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");

    private final Map<String, String> env;
    private final Properties systemProperties;
    private final Path dotEnvFile;
    private final Map<String, DotEnv.Entry> dotEnv;
    private final Config hocon;

    private Sources(Map<String, String> env, Properties systemProperties, Path dotEnvFile,
                    Map<String, DotEnv.Entry> dotEnv, Config hocon) {
        this.env = env;
        this.systemProperties = systemProperties;
        this.dotEnvFile = dotEnvFile;
        this.dotEnv = dotEnv;
        this.hocon = hocon;
    }

    static Sources read(Map<String, String> env, Properties systemProperties, Path workingDir, ClassLoader classLoader) {
        Path dotEnvFile = workingDir.resolve(".env");
        Map<String, DotEnv.Entry> dotEnv = DotEnv.read(dotEnvFile);
        Config hocon = readHocon(env, dotEnv, systemProperties, workingDir, classLoader);
        return new Sources(env, systemProperties, dotEnvFile, dotEnv, hocon);
    }

    /** The value of {@code setting} from the first source that sets it. */
    Optional<Raw> find(Setting setting) {
        String name = setting.name();
        String key = setting.hoconKey();
        String value = clean(setting, env.get(name));
        if (value != null) {
            return Optional.of(new Raw(setting, name, value, null));
        }
        value = clean(setting, systemProperties.getProperty(name));
        if (value != null) {
            return Optional.of(new Raw(setting, name, value, "system property -D" + name));
        }
        value = clean(setting, systemProperties.getProperty(key));
        if (value != null) {
            return Optional.of(new Raw(setting, key, value, "system property -D" + key));
        }
        DotEnv.Entry entry = dotEnv.get(name);
        value = entry == null ? null : clean(setting, entry.value());
        if (value != null) {
            return Optional.of(new Raw(setting, name, value, dotEnvFile + ":" + entry.line()));
        }
        return fromHocon(setting);
    }

    /** Logs a warning for each {@code jqsse.*} key in HOCON or system properties that is no setting. */
    void warnAboutUnknownKeys() {
        Set<String> known = EnumSet.allOf(Setting.class).stream().map(Setting::hoconKey)
                .collect(Collectors.toCollection(TreeSet::new));
        for (String property : systemProperties.stringPropertyNames()) {
            if (property.startsWith(Setting.HOCON_ROOT + ".") && !known.contains(property)) {
                log.warn("{}: unknown setting in system properties, ignored (expected: one of {})", property, known);
            }
        }
        if (hocon.hasPath(Setting.HOCON_ROOT) && hocon.getValue(Setting.HOCON_ROOT).valueType() == ConfigValueType.OBJECT) {
            for (Map.Entry<String, ConfigValue> e : hocon.getConfig(Setting.HOCON_ROOT).entrySet()) {
                String key = Setting.HOCON_ROOT + "." + e.getKey();
                if (!known.contains(key)) {
                    log.warn("{}: unknown setting in {}, ignored (expected: one of {})", key,
                            e.getValue().origin().description(), known);
                }
            }
        }
    }

    private Optional<Raw> fromHocon(Setting setting) {
        String key = setting.hoconKey();
        if (!hocon.hasPath(key)) {
            return Optional.empty();
        }
        ConfigValue value = hocon.getValue(key);
        String origin = value.origin().description();
        String text = switch (value.valueType()) {
            case LIST -> ((List<?>) value.unwrapped()).stream().map(String::valueOf).collect(Collectors.joining(","));
            case OBJECT -> throw new ConfigException(key, key + ": an object (expected: a single value), from " + origin);
            default -> String.valueOf(value.unwrapped());
        };
        text = clean(setting, text);
        return text == null ? Optional.empty() : Optional.of(new Raw(setting, key, text, origin));
    }

    private static String clean(Setting setting, String value) {
        if (value == null || value.isBlank()) {
            return null;
        }
        return setting.secret() ? value : value.strip();
    }

    private static Config readHocon(Map<String, String> env, Map<String, DotEnv.Entry> dotEnv,
                                    Properties systemProperties, Path workingDir, ClassLoader classLoader) {
        String configFile = systemProperties.getProperty("config.file");
        Path file = configFile != null ? workingDir.resolve(configFile) : workingDir.resolve(APPLICATION_CONF);
        if (configFile != null && !Files.isRegularFile(file)) {
            throw new ConfigException("config.file", "config.file: " + file + " (expected: an existing HOCON file)");
        }
        try {
            Config fromFile = ConfigFactory.parseFile(file.toFile(), ConfigParseOptions.defaults().setAllowMissing(true));
            Config fromClassPath = ConfigFactory.parseResources(classLoader, APPLICATION_CONF);
            return fromFile.withFallback(fromClassPath)
                    .withFallback(ConfigFactory.parseMap(substitutionVariables(env, dotEnv), "environment"))
                    .resolve(ConfigResolveOptions.defaults().setUseSystemEnvironment(false));
        } catch (com.typesafe.config.ConfigException e) {
            String where = e.origin() != null ? e.origin().description() : APPLICATION_CONF;
            throw new ConfigException(APPLICATION_CONF, where + ": " + e.getMessage() + " (expected: valid HOCON)", e);
        }
    }

    /** What {@code ${?NAME}} in HOCON may refer to: the environment over {@code .env}. */
    private static Map<String, String> substitutionVariables(Map<String, String> env, Map<String, DotEnv.Entry> dotEnv) {
        Map<String, String> variables = new HashMap<>();
        dotEnv.forEach((k, v) -> variables.put(k, v.value()));
        env.forEach((k, v) -> {
            if (ENV_NAME.matcher(k).matches() && v != null) {
                variables.put(k, v);
            }
        });
        return variables;
    }
}

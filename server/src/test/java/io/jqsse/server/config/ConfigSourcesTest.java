package io.jqsse.server.config;

import io.jqsse.server.ServerConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.io.IOException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Where settings come from and which source wins: environment over {@code -D} (name, then HOCON
 * key) over {@code .env} over {@code application.conf} (working directory, then class path) over
 * the defaults. Everything happens in temporary directories with maps standing in for the process.
 */
class ConfigSourcesTest {

    @TempDir
    Path dir;
    @TempDir
    Path classPathDir;

    /** Layers 1 to 6: class path conf, working-dir conf, .env, -D HOCON key, -D name, environment. */
    @ParameterizedTest(name = "layers up to {0} give port {1}")
    @CsvSource({"0, 8080", "1, 1001", "2, 1002", "3, 1003", "4, 1004", "5, 1005", "6, 1006"})
    void higherSourceWinsOverLower(int layers, int expectedPort) throws IOException {
        Map<String, String> env = new HashMap<>();
        Properties properties = new Properties();
        if (layers >= 1) {
            write(classPathDir.resolve("application.conf"), "jqsse.port = 1001");
        }
        if (layers >= 2) {
            write(dir.resolve("application.conf"), "jqsse { port = 1002 }");
        }
        if (layers >= 3) {
            write(dir.resolve(".env"), "PORT=1003");
        }
        if (layers >= 4) {
            properties.setProperty("jqsse.port", "1004");
        }
        if (layers >= 5) {
            properties.setProperty("PORT", "1005");
        }
        if (layers >= 6) {
            env.put("PORT", "1006");
        }
        assertEquals(expectedPort, load(env, properties).port());
    }

    @Test
    void sourcesMixSettingBySetting() throws IOException {
        write(dir.resolve("application.conf"), "jqsse { port = 1, host = \"127.0.0.1\", store-type = mongo }");
        write(dir.resolve(".env"), "PORT=2\nMONGO_DB_NAME=fromdotenv");
        ServerConfig c = load(Map.of("PORT", "3"), new Properties());
        assertEquals(3, c.port());
        assertEquals("127.0.0.1", c.host());
        assertEquals("mongo", c.storeType());
        assertEquals("fromdotenv", c.mongo().dbName());
    }

    @Test
    void emptyEnvironmentValueFallsThroughToDotEnv() throws IOException {
        write(dir.resolve(".env"), "PORT=9001");
        assertEquals(9001, load(Map.of("PORT", ""), new Properties()).port());
    }

    @Test
    void hoconKeysFollowTheDocumentedMapping() throws IOException {
        write(dir.resolve("application.conf"), """
                jqsse {
                  store-type = mongo
                  heartbeat-interval-seconds = 20
                  max-request-size-mb = 5
                  max-buffered-requests-mb = 40
                  write-buffer-high-water-mark-kb = 128
                  cors-allowed-origins = ["https://a.example.com", "https://b.example.com"]
                  mongo {
                    uri = "mongodb://h1,h2/?replicaSet=rs0"
                    auth-db = users
                    db-name = jq
                    document-id = doc
                    write-concern = w2
                  }
                }
                """);
        ServerConfig c = load(Map.of(), new Properties());
        assertEquals("mongo", c.storeType());
        assertEquals(20, c.heartbeatInterval().toSeconds());
        assertEquals(5L * 1024 * 1024, c.maxRequestBytes());
        assertEquals(40L * 1024 * 1024, c.maxBufferedRequestBytes());
        assertEquals(128 * 1024, c.writeBufferHighWaterMarkBytes());
        assertEquals(List.of("https://a.example.com", "https://b.example.com"), c.corsAllowedOrigins());
        assertEquals(new ServerConfig.Mongo("mongodb://h1,h2/?replicaSet=rs0", "localhost", 27017, null, null,
                "users", "jq", "kv_store", "doc", "w2"), c.mongo());
    }

    @Test
    void hoconSubstitutionSeesTheGivenEnvironmentAndDotEnvOnly() throws IOException {
        write(dir.resolve("application.conf"), "jqsse.port = ${?APP_PORT}\njqsse.host = ${?APP_HOST}");
        write(dir.resolve(".env"), "APP_HOST=127.0.0.2");
        ServerConfig c = load(Map.of("APP_PORT", "7070"), new Properties());
        assertEquals(7070, c.port());
        assertEquals("127.0.0.2", c.host());
    }

    @Test
    void configFilePropertyReplacesTheWorkingDirectoryFile() throws IOException {
        write(dir.resolve("application.conf"), "jqsse.port = 1");
        write(dir.resolve("conf/prod.conf"), "jqsse.port = 2");
        Properties properties = new Properties();
        properties.setProperty("config.file", "conf/prod.conf");
        assertEquals(2, load(Map.of(), properties).port());
    }

    @Test
    void missingConfigFileIsAnError() {
        Properties properties = new Properties();
        properties.setProperty("config.file", "nope.conf");
        ConfigException e = assertThrows(ConfigException.class, () -> load(Map.of(), properties));
        assertEquals("config.file: " + dir.resolve("nope.conf") + " (expected: an existing HOCON file)", e.getMessage());
    }

    @Test
    void errorFromDotEnvSaysWhichLine() throws IOException {
        write(dir.resolve(".env"), "# comment\nPORT=abc");
        ConfigException e = assertThrows(ConfigException.class, () -> load(Map.of(), new Properties()));
        assertEquals("PORT: abc (expected: an integer from 0 to 65535), from " + dir.resolve(".env") + ":2",
                e.getMessage());
    }

    @Test
    void errorFromSystemPropertyNamesTheKeyGiven() {
        Properties properties = new Properties();
        properties.setProperty("jqsse.store-type", "redis");
        ConfigException e = assertThrows(ConfigException.class, () -> load(Map.of(), properties));
        assertEquals("jqsse.store-type: redis (expected: memory or mongo), from system property -Djqsse.store-type",
                e.getMessage());
        assertEquals("jqsse.store-type", e.setting());
    }

    @Test
    void errorFromHoconNamesTheKeyAndFile() throws IOException {
        write(dir.resolve("application.conf"), "\njqsse.mongo.port = 70000");
        ConfigException e = assertThrows(ConfigException.class, () -> load(Map.of(), new Properties()));
        assertTrue(e.getMessage().startsWith("jqsse.mongo.port: 70000 (expected: an integer from 1 to 65535), from "),
                e.getMessage());
        assertTrue(e.getMessage().contains("application.conf") && e.getMessage().endsWith(": 2"), e.getMessage());
    }

    @Test
    void hoconNumberThatIsNotAnIntegerIsRejected() throws IOException {
        write(dir.resolve("application.conf"), "jqsse.port = 80.5");
        ConfigException e = assertThrows(ConfigException.class, () -> load(Map.of(), new Properties()));
        assertTrue(e.getMessage().startsWith("jqsse.port: 80.5 (expected: an integer from 0 to 65535)"), e.getMessage());
    }

    @Test
    void hoconObjectWhereAValueBelongsIsRejected() throws IOException {
        write(dir.resolve("application.conf"), "jqsse.port { value = 1 }");
        ConfigException e = assertThrows(ConfigException.class, () -> load(Map.of(), new Properties()));
        assertTrue(e.getMessage().startsWith("jqsse.port: an object (expected: a single value)"), e.getMessage());
    }

    @Test
    void invalidHoconSyntaxIsAnError() throws IOException {
        write(dir.resolve("application.conf"), "jqsse { port = ");
        ConfigException e = assertThrows(ConfigException.class, () -> load(Map.of(), new Properties()));
        assertEquals("application.conf", e.setting());
        assertTrue(e.getMessage().endsWith("(expected: valid HOCON)"), e.getMessage());
    }

    @Test
    void unknownHoconKeysAreIgnored() throws IOException {
        write(dir.resolve("application.conf"), "jqsse { prot = 1, port = 2 }\nakka.loglevel = INFO");
        Properties properties = new Properties();
        properties.setProperty("jqsse.hots", "x");
        assertEquals(2, load(Map.of(), properties).port());
    }

    @Test
    void environmentNamesWithOddCharactersDoNotBreakHocon() throws IOException {
        write(dir.resolve("application.conf"), "jqsse.port = 3");
        Map<String, String> env = Map.of("npm_config_a-b", "1", "=C:", "x", "a.b", "2", "ProgramFiles(x86)", "y");
        assertEquals(3, load(env, new Properties()).port());
    }

    private ServerConfig load(Map<String, String> env, Properties properties) {
        try (URLClassLoader classPath = new URLClassLoader(new URL[] {classPathDir.toUri().toURL()}, null)) {
            return ConfigLoader.load(env, properties, dir, classPath);
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    private static void write(Path file, String text) throws IOException {
        Files.createDirectories(file.getParent());
        Files.writeString(file, text, StandardCharsets.UTF_8);
    }
}

package io.jqsse.server.config;

import io.jqsse.server.ServerConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code .env.example} at the repository root documents every setting with its default. */
class EnvExampleTest {

    /** Surefire runs in the module directory; the file is one level up. */
    private static final Path EXAMPLE = Path.of("..", ".env.example");

    @TempDir
    Path dir;

    @Test
    void copyingTheExampleGivesTheDefaults() throws IOException {
        Files.copy(EXAMPLE, dir.resolve(".env"));
        assertEquals(ServerConfig.defaults(), ConfigLoaderTest.load(Map.of(), new Properties(), dir));
    }

    @Test
    void everySettingIsListedWithACommentAbove() throws IOException {
        List<String> lines = Files.readAllLines(EXAMPLE, StandardCharsets.UTF_8);
        for (Setting setting : EnumSet.allOf(Setting.class)) {
            Pattern assignment = Pattern.compile("(# )?" + setting.name() + "=.*");
            int at = -1;
            for (int i = 0; i < lines.size(); i++) {
                if (assignment.matcher(lines.get(i)).matches()) {
                    at = i;
                }
            }
            assertTrue(at > 0, setting + " missing from .env.example");
            assertTrue(lines.get(at - 1).startsWith("#"), setting + " has no comment line above it");
        }
    }
}

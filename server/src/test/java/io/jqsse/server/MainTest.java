package io.jqsse.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jqsse.server.config.ConfigLoader;
import java.nio.file.Path;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MainTest {

    @TempDir
    Path dir;

    @Test
    void invalidConfigurationStopsWithExitCodeTwoNamingTheSetting() {
        Main.StartupException e = assertThrows(Main.StartupException.class,
                () -> Main.start(() -> ConfigLoader.load(Map.of("PORT", "eighty"), new Properties(), dir)));
        assertEquals(Main.EXIT_INVALID_CONFIG, e.code);
        assertTrue(e.getMessage().contains("PORT"), e.getMessage());
    }

    @Test
    void unknownStoreTypeStopsWithExitCodeTwo() {
        Main.StartupException e = assertThrows(Main.StartupException.class,
                () -> Main.start(() -> ServerConfig.builder().storeType("redis").build()));
        assertEquals(Main.EXIT_INVALID_CONFIG, e.code);
        assertTrue(e.getMessage().contains("storeType: redis"), e.getMessage());
    }

    @Test
    void portInUseStopsWithExitCodeOne() {
        try (JqSseServer first = Main.start(() -> ServerConfig.builder().host("127.0.0.1").port(0).build())) {
            Main.StartupException e = assertThrows(Main.StartupException.class,
                    () -> Main.start(() -> ServerConfig.builder().host("127.0.0.1").port(first.port()).build()));
            assertEquals(Main.EXIT_START_FAILED, e.code);
        }
    }

    @Test
    void loopbackHostsAreRecognisedForTheAuthenticationWarning() {
        assertTrue(Main.isLoopback("127.0.0.1"));
        assertTrue(Main.isLoopback("localhost"));
        assertFalse(Main.isLoopback("0.0.0.0"));
    }
}

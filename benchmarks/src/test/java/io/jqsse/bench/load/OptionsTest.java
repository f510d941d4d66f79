package io.jqsse.bench.load;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.Test;

class OptionsTest {

    static Stream<Arguments> badOptions() {
        return Stream.of(
                Arguments.of(new String[] {"--target", "redis"}, "--target: redis (expected: jqsse or nchan)"),
                Arguments.of(new String[] {"--url", "http://10.0.0.1:8080"}, "(expected: a loopback address"),
                Arguments.of(new String[] {"--sources", "300"}, "--sources: 300 (expected: 1 to 254)"),
                Arguments.of(new String[] {"--duration", "0"}, "(expected: at least 1, at least 0, 0 to 3600 s)"),
                Arguments.of(new String[] {"subscribers"}, "argument: subscribers (expected: --name value)"),
                Arguments.of(new String[] {"--subscribers"}, "--subscribers: missing value"));
    }

    @ParameterizedTest
    @MethodSource("badOptions")
    void badOptionsAreRefusedWithTheNameAndWhatWasExpected(String[] args, String message) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Options.parse(args));
        assertTrue(e.getMessage().contains(message), e.getMessage());
    }

    @Test
    void maxMeansAsFastAsTheServerAnswers() {
        assertEquals(-1, Options.parse("--writes-per-second", "max").writesPerSecond());
    }

    @Test
    void subscribersAreSpreadOverEnoughProcessesForTheOpenFileLimit() {
        assertEquals(1, Options.parse("--subscribers", "15000").processes());
        assertEquals(2, Options.parse("--subscribers", "15001").processes());
        assertEquals(7, Options.parse("--subscribers", "100000").processes());
        assertEquals(3, Options.parse("--subscribers", "100", "--processes", "3").processes());
    }

    @Test
    void childArgumentsCarryTheShareAndTheFirstIndex() {
        Options child = Options.parse(Options.parse("--subscribers", "100", "--filter", ".a[{i}]", "--filter-keys", "7")
                .childArgs(40, 60).toArray(new String[0]));
        assertTrue(child.child());
        assertEquals(40, child.subscribers());
        assertEquals(60, child.firstIndex());
        assertEquals(".a[{i}]", child.filter());
        assertEquals(7, child.filterKeys());
    }

    @Test
    void childArgumentsCarryTheReadSettings() {
        Options child = Options.parse(Options.parse("--loops", "3", "--recv-buffer", "2048").childArgs(10, 0)
                .toArray(new String[0]));
        assertEquals(3, child.loops());
        assertEquals(2048, child.recvBuffer());
    }

    @Test
    void readSettingsOutsideTheirRangeAreRefused() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Options.parse("--loops", "0"));
        assertEquals("--loops/--recv-buffer: 0/0 (expected: 1 to 64, 0 to 1048576 bytes)", e.getMessage());
    }
}

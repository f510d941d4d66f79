package io.jqsse.server.config;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.params.provider.Arguments.arguments;

/** The {@code .env} dialect: each case is file text and the values it gives, or the error it gives. */
class DotEnvTest {

    static Stream<Arguments> files() {
        return Stream.of(
                arguments("PORT=8080", Map.of("PORT", "8080")),
                arguments("# comment\n\n  \nPORT=1\n#HOST=x", Map.of("PORT", "1")),
                arguments("export PORT=2\nexport\tHOST=h", Map.of("PORT", "2", "HOST", "h")),
                arguments("PORT = 3 ", Map.of("PORT", "3")),
                arguments("A=\"quoted # not a comment\"", Map.of("A", "quoted # not a comment")),
                arguments("A='single $X \\n'", Map.of("A", "single $X \\n")),
                arguments("A=\"esc \\\"q\\\" \\\\ \\n\\t\\x\"", Map.of("A", "esc \"q\" \\ \n\t\\x")),
                arguments("A=\"  spaced  \"  # trailing comment", Map.of("A", "  spaced  ")),
                arguments("A=bare value # comment", Map.of("A", "bare value")),
                arguments("A=pass#word", Map.of("A", "pass#word")),
                arguments("A=mongodb://u:p@h/db?a=b&c=d", Map.of("A", "mongodb://u:p@h/db?a=b&c=d")),
                arguments("A=", Map.of("A", "")),
                arguments("A=\"\"", Map.of("A", "")),
                arguments("A=1\nA=2", Map.of("A", "2")),
                arguments("\uFEFFPORT=4\r\nHOST=h\r\n", Map.of("PORT", "4", "HOST", "h")));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("files")
    void fileGivesValues(String text, Map<String, String> expected) {
        Map<String, String> values = DotEnv.parse(".env", List.of(text.split("\r?\n", -1))).entrySet().stream()
                .collect(Collectors.toMap(Map.Entry::getKey, e -> e.getValue().value()));
        assertEquals(expected, values);
    }

    static Stream<Arguments> badFiles() {
        return Stream.of(
                arguments("PORT", ".env:1: PORT (expected: KEY=VALUE with KEY like PORT)"),
                arguments("# ok\n1PORT=2", ".env:2: 1PORT (expected: KEY=VALUE with KEY like PORT)"),
                arguments("MY-KEY=1", ".env:1: MY-KEY (expected: KEY=VALUE with KEY like PORT)"),
                arguments("=1", ".env:1:  (expected: KEY=VALUE with KEY like PORT)"),
                arguments("MONGO_PASSWORD=\"s3cret", ".env:1: MONGO_PASSWORD (expected: a closing \" on the same line)"),
                arguments("A='x", ".env:1: A (expected: a closing ' on the same line)"),
                arguments("A=\"x\" y", ".env:1: A (expected: only a # comment after the closing quote)"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badFiles")
    void malformedLineIsRejectedWithItsLineNumber(String text, String message) {
        ConfigException e = assertThrows(ConfigException.class, () -> DotEnv.parse(".env", List.of(text.split("\n"))));
        assertEquals(message, e.getMessage());
    }
}

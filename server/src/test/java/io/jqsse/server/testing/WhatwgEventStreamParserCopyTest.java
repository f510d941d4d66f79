package io.jqsse.server.testing;

import io.jqsse.server.testing.WhatwgEventStreamParser.Event;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The server's copy of the parser is the codec's, tested there; this keeps the two from drifting. */
class WhatwgEventStreamParserCopyTest {

    private static final String RELATIVE = "src/test/java/io/jqsse/%s/WhatwgEventStreamParser.java";

    @Test
    void copyMatchesTheCodecParserButForPackageAndNote() throws IOException {
        String original = Files.readString(Path.of("..", "codec", RELATIVE.formatted("codec")), StandardCharsets.UTF_8);
        String copy = Files.readString(Path.of(RELATIVE.formatted("server/testing")), StandardCharsets.UTF_8);
        String note = copy.substring(copy.indexOf(" * <p>A copy of"), copy.indexOf(" * <p>Feed it chunks"));
        String restored = copy.replace("package io.jqsse.server.testing;", "package io.jqsse.codec;").replace(note, "");
        assertEquals(original, restored);
    }

    @Test
    void copyParsesAStream() {
        WhatwgEventStreamParser parser = new WhatwgEventStreamParser();
        parser.feed("retry: 2000\n\nevent: connected\ndata: {}\n\n: keepalive\nid: e:1\n\n");
        assertEquals(List.of(new Event("connected", "{}", "")), parser.events());
        assertEquals("e:1", parser.lastEventId());
        assertEquals(2000, parser.reconnectionTimeMillis());
    }
}

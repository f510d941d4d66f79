package io.jqsse.server.internal.stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.jqsse.store.Change;
import io.jqsse.store.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

class ReplayBufferTest {

    static final ObjectNode DOC = JsonNodeFactory.instance.objectNode();

    static Change change(long rev, boolean reset) {
        return new Change("e", rev, DOC, DOC, List.of(Path.root()), null, reset, 0, 100);
    }

    @Test
    void replaysTheChangesAfterARevInsideTheBuffer() {
        ReplayBuffer b = new ReplayBuffer(10, 1 << 20, 0);
        for (int r = 1; r <= 5; r++) {
            b.add(change(r, false), 100);
        }
        assertEquals(List.of(3L, 4L, 5L), b.since(2, 5).stream().map(Change::rev).toList());
        assertEquals(List.of(), b.since(5, 5));
        assertEquals(5, b.since(0, 5).size());
        assertNull(b.since(6, 5), "ahead of the buffer");
    }

    @Test
    void dropsTheOldestBeyondTheCountOrTheBytes() {
        ReplayBuffer byCount = new ReplayBuffer(3, 1 << 20, 0);
        ReplayBuffer byBytes = new ReplayBuffer(100, 250, 0);
        for (int r = 1; r <= 5; r++) {
            byCount.add(change(r, false), 100);
            byBytes.add(change(r, false), 100);
        }
        assertNull(byCount.since(1, 5));
        assertEquals(3, byCount.since(2, 5).size());
        assertEquals(2, byBytes.size());
        assertTrue(byBytes.bytes() <= 250);
        assertNull(byBytes.since(2, 5));
        assertEquals(2, byBytes.since(3, 5).size());
    }

    @Test
    void nothingIsReplayedAcrossAReset() {
        ReplayBuffer b = new ReplayBuffer(10, 1 << 20, 0);
        b.add(change(1, false), 100);
        b.add(change(2, true), 100);
        b.add(change(3, false), 100);
        assertNull(b.since(1, 3));
        assertEquals(1, b.since(2, 3).size());
    }

    @Test
    void aChangeWeighsWhatItWroteAndTheContainersItCopied() {
        ObjectNode doc = JsonNodeFactory.instance.objectNode();
        ArrayNode items = doc.putArray("items");
        for (int i = 0; i < 1000; i++) {
            items.add(i);
        }
        Change c = new Change("e", 1, doc, doc, List.of(Path.of("items", 5)), null, false, 0, 10);
        long w = ReplayBuffer.weight(c);
        assertTrue(w >= 10 + 8 * 1000, "the copied 1000-element array counts: " + w);
    }
}

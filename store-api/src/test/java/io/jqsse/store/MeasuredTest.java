package io.jqsse.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.IntNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.TextNode;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.stream.LongStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class MeasuredTest {

    static LongStream numbers() {
        List<Long> values = new ArrayList<>(List.of(0L, Long.MAX_VALUE, Long.MIN_VALUE, Long.MIN_VALUE + 1));
        long p = 1;
        for (int exponent = 0; exponent <= 18; exponent++, p *= 10) {
            values.addAll(List.of(p - 1, p, p + 1, -(p - 1), -p, -(p + 1)));
        }
        return values.stream().mapToLong(Long::longValue);
    }

    @ParameterizedTest
    @MethodSource("numbers")
    void digitsCountsTheCharactersOfTheDecimalOnBothSidesOfEveryPowerOfTen(long v) {
        assertEquals(Long.toString(v).length(), SizeEstimate.digits(v), Long.toString(v));
    }

    static Stream<String> documents() {
        return DocumentsTest.documents();
    }

    @ParameterizedTest
    @MethodSource("documents")
    void aBuilderFedEveryNodeBottomUpSumsWhatTheWalkGives(String text) {
        JsonNode tree = DocumentsTest.json(text);
        Measured.Builder builder = Documents.measuring();
        feed(builder, tree);
        Measured measured = builder.finish(tree);
        assertSame(tree, measured.tree());
        assertEquals(Documents.estimateBytes(tree), measured.bytes(), text);
        assertEquals(Documents.estimateBytes(tree), Documents.measured(tree).bytes(), text);
    }

    @Test
    void finishRefusesAnOpenContainerOrARootThatWasNotFedLast() {
        JsonNode root = DocumentsTest.json("[1]");
        Measured.Builder open = Documents.measuring();
        open.open();
        open.scalar(root.get(0));
        IllegalStateException stillOpen = assertThrows(IllegalStateException.class, () -> open.finish(root));
        assertEquals("finish: 1 open containers, root not fed last (expected: 0 open, the root fed last)",
                stillOpen.getMessage());
        Measured.Builder other = Documents.measuring();
        other.scalar(IntNode.valueOf(1));
        assertThrows(IllegalStateException.class, () -> other.finish(root));
        assertThrows(IllegalStateException.class, () -> Documents.measuring().close(root));
    }

    @Test
    void aKnownSubtreeIsTakenAtItsMeasuredSizeWithoutWalkingIt() {
        JsonNode inner = DocumentsTest.json("{\"x\": [1, 2, 3]}");
        JsonNode outer = JsonNodeFactory.instance.objectNode().set("a", inner);
        long walked = Documents.estimateBytes(outer);
        Measured pretend = new Measured(inner, 1000);
        assertEquals(walked - Documents.estimateBytes(inner) + 1000, Documents.estimateBytes(outer, pretend));
        assertEquals(1000, Documents.estimateBytes(inner, pretend));
        Measured equalButNotSame = new Measured(inner.deepCopy(), 1000);
        assertEquals(walked, Documents.estimateBytes(outer, equalButNotSame));
        assertEquals(walked, Documents.estimateBytes(outer, null));
    }

    @Test
    void aWriteTakesOnlyTheMeasurementOfItsOwnValueAndEqualsTheSameWriteWithout() {
        JsonNode value = DocumentsTest.json("{\"v\": 1}");
        Measured measured = Documents.measured(value);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new Write.Set(Path.of("a"), value.deepCopy(), measured));
        assertEquals("value: not the measured tree (expected: measured.tree() itself)", e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new Write.Replace(value.deepCopy(), measured));
        assertThrows(IllegalArgumentException.class, () -> new Write.Merge(Path.root(), value.deepCopy(), measured));
        assertEquals(new Write.Set(Path.of("a"), value), new Write.Set(Path.of("a"), measured));
        assertEquals(new Write.Set(Path.of("a"), value).hashCode(), new Write.Set(Path.of("a"), measured).hashCode());
        assertEquals(new Write.Replace(value), new Write.Replace(measured));
        assertEquals(new Write.Merge(Path.root(), value), new Write.Merge(Path.root(), measured));
        assertEquals(false, new Write.Set(Path.of("b"), measured).equals(new Write.Set(Path.of("a"), measured)));
    }

    @Test
    void applyKeepsTheMeasurementOnTheResolvedWrite() {
        JsonNode doc = DocumentsTest.json("{\"list\": [1, 2]}");
        Measured value = Documents.measured(TextNode.valueOf("x"));
        Write.Set set = (Write.Set) Documents.apply(doc, new Write.Set(Path.of("list", -1), value)).resolved();
        assertEquals(Path.of("list", 1), set.path());
        assertSame(value, set.measured());
        Write.Merge merge = (Write.Merge) Documents.apply(doc, new Write.Merge(Path.of("m"), value)).resolved();
        assertSame(value, merge.measured());
    }

    /** Feeds {@code node} as a reader that builds bottom-up would: children before their container. */
    private static void feed(Measured.Builder builder, JsonNode node) {
        if (!node.isContainerNode()) {
            builder.scalar(node);
            return;
        }
        builder.open();
        for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> field = it.next();
            builder.key(field.getKey());
            feed(builder, field.getValue());
        }
        if (node.isArray()) {
            for (JsonNode child : node) {
                feed(builder, child);
            }
        }
        builder.close(node);
    }
}

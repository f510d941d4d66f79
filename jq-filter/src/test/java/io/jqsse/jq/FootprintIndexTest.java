package io.jqsse.jq;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class FootprintIndexTest {

    private static final List<Object> SEGMENTS = List.of("a", "b", "c", 0, 1, 2);

    @ParameterizedTest
    @ValueSource(longs = {1, 2, 3, 4, 5, 6, 7, 8})
    void forEachAffectedGivesExactlyTheValuesWhoseFootprintMayBeAffected(long seed) {
        Random random = new Random(seed);
        FootprintIndex<Integer> index = new FootprintIndex<>();
        Map<Integer, Footprint> live = new HashMap<>();
        for (int value = 0; value < 200; value++) {
            Footprint footprint = randomFootprint(random);
            index.add(footprint, value);
            live.put(value, footprint);
        }
        for (int value = 0; value < 200; value += 3) {
            index.remove(live.remove(value), value);
        }
        assertEquals(live.size(), index.size());
        for (int probe = 0; probe < 500; probe++) {
            List<Object> touched = randomPath(random, false);
            Set<Integer> expected = new HashSet<>();
            live.forEach((value, footprint) -> {
                if (footprint.mayBeAffectedBy(touched)) {
                    expected.add(value);
                }
            });
            List<Integer> actual = new ArrayList<>();
            index.forEachAffected(touched, actual::add);
            assertEquals(expected, new HashSet<>(actual), "touched " + touched);
            assertEquals(actual.size(), new HashSet<>(actual).size(), "each value at most once for " + touched);
        }
    }

    @Test
    void removingEveryRegistrationEmptiesTheIndex() {
        FootprintIndex<String> index = new FootprintIndex<>();
        Footprint footprint = Footprint.of(List.of(List.of("a", Footprint.ANY), List.of("b")));
        index.add(footprint, "g");
        index.add(footprint, "g");
        index.remove(footprint, "g");
        List<String> seen = new ArrayList<>();
        index.forEachAffected(List.of("a", 3), seen::add);
        assertEquals(List.of("g"), seen);
        index.remove(footprint, "g");
        seen.clear();
        index.forEachAffected(List.of(), seen::add);
        assertEquals(List.of(), seen);
        assertEquals(0, index.size());
        index.remove(footprint, "absent");
        assertEquals(0, index.size());
    }

    @Test
    void rootWriteAffectsEveryValueAndEverythingIsAffectedByAnyWrite() {
        FootprintIndex<String> index = new FootprintIndex<>();
        index.add(Footprint.of(List.of(List.of("x", 1, "y"))), "deep");
        index.add(Footprint.everything(), "all");
        List<String> seen = new ArrayList<>();
        index.forEachAffected(List.of(), seen::add);
        assertEquals(Set.of("deep", "all"), new HashSet<>(seen));
        seen.clear();
        index.forEachAffected(List.of("z"), seen::add);
        assertEquals(List.of("all"), seen);
    }

    private static Footprint randomFootprint(Random random) {
        List<List<Object>> patterns = new ArrayList<>();
        int n = 1 + random.nextInt(3);
        for (int i = 0; i < n; i++) {
            patterns.add(randomPath(random, true));
        }
        return Footprint.of(patterns);
    }

    private static List<Object> randomPath(Random random, boolean wildcards) {
        int length = random.nextInt(5);
        List<Object> path = new ArrayList<>(length);
        for (int i = 0; i < length; i++) {
            path.add(wildcards && random.nextInt(4) == 0 ? Footprint.ANY : SEGMENTS.get(random.nextInt(SEGMENTS.size())));
        }
        return path;
    }
}

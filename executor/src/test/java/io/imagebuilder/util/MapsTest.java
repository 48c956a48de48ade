package io.imagebuilder.util;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class MapsTest {

    private static LinkedHashMap<String, Integer> counting(int size) {
        LinkedHashMap<String, Integer> map = new LinkedHashMap<>();
        // keys out of alphabetical order, so that keeping insertion order shows
        for (int i = size; i > 0; i--) map.put("k" + i, i);
        return map;
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 1, 2, Maps.SMALL, Maps.SMALL + 1, 40})
    void ownedMapsKeepOrderAndLookUpLikeTheMapTheyWereBuiltFrom(int size) {
        LinkedHashMap<String, Integer> built = counting(size);
        Map<String, Integer> owned = Maps.own(counting(size));
        assertThat(owned).isEqualTo(built).hasSameHashCodeAs(built).hasSize(size);
        assertThat(List.copyOf(owned.keySet())).isEqualTo(List.copyOf(built.keySet()));
        assertThat(List.copyOf(owned.values())).isEqualTo(List.copyOf(built.values()));
        assertThat(List.copyOf(owned.entrySet())).isEqualTo(List.copyOf(built.entrySet()));
        StringBuilder seen = new StringBuilder();
        owned.forEach((k, v) -> seen.append(k).append('=').append(v).append(' '));
        StringBuilder expected = new StringBuilder();
        built.forEach((k, v) -> expected.append(k).append('=').append(v).append(' '));
        assertThat(seen).hasToString(expected.toString());
        for (int i = 1; i <= size; i++) {
            assertThat(owned.get("k" + i)).isEqualTo(i);
            assertThat(owned.containsKey("k" + i)).isTrue();
        }
        assertThat(owned.get("absent")).isNull();
        assertThat(owned.getOrDefault("absent", -1)).isEqualTo(-1);
        assertThat(owned.containsKey(null)).isFalse();
        assertThat(owned.toString()).isEqualTo(built.toString());
    }

    @Test
    void nullKeysAndValuesAreKept() {
        LinkedHashMap<String, String> built = new LinkedHashMap<>();
        built.put(null, "a");
        built.put("b", null);
        Map<String, String> owned = Maps.own(built);
        assertThat(owned.get(null)).isEqualTo("a");
        assertThat(owned.containsKey("b")).isTrue();
        assertThat(owned.getOrDefault("b", "x")).isNull();
    }

    @Test
    void ownedMapsAreReadOnlyAndNotCopiedAgain() {
        for (int size : new int[] {0, 3, 20}) {
            Map<String, Integer> owned = Maps.own(counting(size));
            assertThat(Maps.copy(owned)).isSameAs(owned);
            assertThatThrownBy(() -> owned.put("x", 1)).isInstanceOf(UnsupportedOperationException.class);
        }
        for (int size : new int[] {3, 20}) {
            Map<String, Integer> owned = Maps.own(counting(size));
            assertThatThrownBy(() -> owned.entrySet().clear()).isInstanceOf(UnsupportedOperationException.class);
        }
        Map<String, Integer> small = Maps.own(counting(3));
        assertThatThrownBy(() -> small.entrySet().iterator().next().setValue(9))
                .isInstanceOf(UnsupportedOperationException.class);
        assertThatThrownBy(() -> small.keySet().remove("k1")).isInstanceOf(UnsupportedOperationException.class);
    }
}

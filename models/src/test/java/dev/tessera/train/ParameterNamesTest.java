package dev.tessera.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ParameterNamesTest {

    @Test
    void exactNamesPairWithThemselves() {
        Map<String, String> p = ParameterNames.pair(List.of("a/kernel", "b/kernel"), List.of("b/kernel", "a/kernel"));
        assertEquals(Map.of("a/kernel", "a/kernel", "b/kernel", "b/kernel"), p);
    }

    @Test
    void automaticNumbersPairInNumericOrder() {
        Map<String, String> p = ParameterNames.pair(
                List.of("dense_12/kernel", "dense_12/bias", "dense_13/kernel", "dense_13/bias"),
                List.of("dense_10/bias", "dense_10/kernel", "dense_9/bias", "dense_9/kernel"));
        assertEquals("dense_9/kernel", p.get("dense_12/kernel"));
        assertEquals("dense_9/bias", p.get("dense_12/bias"));
        assertEquals("dense_10/kernel", p.get("dense_13/kernel"));
    }

    @Test
    void differentStructuresDoNotPair() {
        assertNull(ParameterNames.pair(List.of("dense_1/kernel", "dense_2/kernel"), List.of("dense/kernel", "conv/kernel")));
        assertNull(ParameterNames.pair(List.of("dense_1/kernel"), List.of("dense/kernel", "dense_1/kernel")));
        assertNull(ParameterNames.pair(List.of("dense_1/kernel", "dense_2/kernel"), List.of("dense/kernel", "dense_0/kernel")));
    }
}

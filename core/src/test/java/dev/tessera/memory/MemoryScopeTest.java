package dev.tessera.memory;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tessera.Tensor;
import dev.tessera.testing.TrainingMemory;
import org.junit.jupiter.api.Test;

class MemoryScopeTest {

    @Test
    void closingAScopeClosesWhatItCreatedButNotWhatItKept() {
        Tensor kept;
        Tensor dropped;
        try (MemoryScope scope = MemoryScope.open()) {
            dropped = Tensor.ones(2, 2);
            kept = scope.keep(dropped.mul(2.0));
        }
        assertTrue(dropped.isClosed());
        assertFalse(kept.isClosed());
        assertEquals(8.0, kept.sum().item());
    }

    @Test
    void keptTensorsMoveToTheEnclosingScope() {
        Tensor t;
        try (MemoryScope outer = MemoryScope.open()) {
            try (MemoryScope inner = MemoryScope.open()) {
                assertSame(inner, MemoryScope.current());
                t = inner.keep(Tensor.ones(3));
            }
            assertSame(outer, t.scope());
            assertFalse(t.isClosed());
        }
        assertTrue(t.isClosed());
    }

    @Test
    void liveBytesStayFlatOverTenThousandTrainingSteps() throws InterruptedException {
        TrainingMemory.assertFlat(10_000);
    }

    @Test
    void scopesMustCloseInnermostFirst() {
        MemoryScope outer = MemoryScope.open();
        MemoryScope inner = MemoryScope.open();
        try {
            org.junit.jupiter.api.Assertions.assertThrows(IllegalStateException.class, outer::close);
        } finally {
            inner.close();
            outer.close();
        }
        assertEquals(null, MemoryScope.current());
    }
}

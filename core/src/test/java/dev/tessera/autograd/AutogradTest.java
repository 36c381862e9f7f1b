package dev.tessera.autograd;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tessera.Shape;
import dev.tessera.Tensor;
import org.junit.jupiter.api.Test;

class AutogradTest {

    private static Tensor param(double[] v, long... dims) {
        return Tensor.of(v, dims).requiresGrad(true);
    }

    @Test
    void gradientsAccumulateAcrossTwoBackwardCalls() {
        Tensor x = param(new double[] {1, 2, 3}, 3);
        x.square().sum().backward();
        assertArrayEquals(new double[] {2, 4, 6}, x.grad().toDoubleArray());
        x.mul(3.0).sum().backward();
        assertArrayEquals(new double[] {5, 7, 9}, x.grad().toDoubleArray());
        x.zeroGrad();
        assertNull(x.grad());
    }

    @Test
    void aTensorUsedTwiceGetsBothContributions() {
        Tensor x = param(new double[] {2}, 1);
        x.mul(x).add(x).sum().backward();
        assertArrayEquals(new double[] {5}, x.grad().toDoubleArray());
    }

    @Test
    void gradDisabledRecordsNothing() {
        Tensor x = param(new double[] {1, 2}, 2);
        Tensor y;
        try (Grad ignored = Grad.disabled()) {
            assertFalse(Grad.isEnabled());
            y = x.exp().sum();
        }
        assertTrue(Grad.isEnabled());
        assertNull(y.node());
        assertFalse(y.requiresGrad());
        assertThrows(IllegalStateException.class, y::backward);
    }

    @Test
    void gradDisabledNestsAndRestores() {
        try (Grad outer = Grad.disabled()) {
            try (Grad inner = Grad.enabled()) {
                assertTrue(Grad.isEnabled());
            }
            assertFalse(Grad.isEnabled());
        }
        assertTrue(Grad.isEnabled());
    }

    @Test
    void detachCutsTheGraphButSharesData() {
        Tensor x = param(new double[] {1, 2}, 2);
        Tensor d = x.mul(2.0).detach();
        assertTrue(d.isLeaf());
        assertFalse(d.requiresGrad());
        Tensor y = x.mul(d).sum();
        y.backward();
        assertArrayEquals(new double[] {2, 4}, x.grad().toDoubleArray());
        Tensor e = x.detach();
        assertEquals(x.storage(), e.storage());
    }

    @Test
    void broadcastingIsSummedBackToEachInputShape() {
        Tensor a = param(new double[] {1, 2, 3, 4, 5, 6}, 2, 3);
        Tensor b = param(new double[] {10, 20, 30}, 3);
        Tensor c = param(new double[] {2}, 1, 1);
        a.mul(b).add(c).sum().backward();
        assertEquals(Shape.of(3), b.grad().shape());
        assertArrayEquals(new double[] {5, 7, 9}, b.grad().toDoubleArray());
        assertEquals(Shape.of(1, 1), c.grad().shape());
        assertArrayEquals(new double[] {6}, c.grad().toDoubleArray());
        assertArrayEquals(new double[] {10, 20, 30, 10, 20, 30}, a.grad().toDoubleArray());
    }

    @Test
    void expandedSizeOneAxisGetsTheSumOfItsCopies() {
        Tensor x = param(new double[] {1, 2}, 2, 1);
        x.expand(2, 3).mul(Tensor.of(new double[] {1, 2, 3, 4, 5, 6}, 2, 3)).sum().backward();
        assertArrayEquals(new double[] {6, 15}, x.grad().toDoubleArray());
    }

    @Test
    void backwardNeedsAOneElementTensorOrAnExplicitGradient() {
        Tensor x = param(new double[] {1, 2}, 2);
        assertThrows(IllegalStateException.class, () -> x.mul(2.0).backward());
        x.mul(2.0).backward(Tensor.of(new double[] {1, 10}, 2));
        assertArrayEquals(new double[] {2, 20}, x.grad().toDoubleArray());
    }

    @Test
    void inPlaceUpdateOfATrackedTensorIsRefused() {
        Tensor x = param(new double[] {1, 2}, 2);
        assertThrows(IllegalStateException.class, () -> x.addInPlace(Tensor.of(new double[] {1, 1}, 2)));
        try (Grad ignored = Grad.disabled()) {
            x.addInPlace(Tensor.of(new double[] {1, 1}, 2));
        }
        assertArrayEquals(new double[] {2, 3}, x.toDoubleArray());
    }
}

package dev.tessera.ops;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.tessera.Shape;
import dev.tessera.Tensor;
import org.junit.jupiter.api.Test;

/** 'same' padding as TensorFlow computes it: total = max((ceil(in / s) - 1) * s + (k - 1) * d + 1 - in, 0), the odd one after. */
class PaddingTest {

    @Test
    void sameMatchesTensorFlowForStridesAndDilation() {
        assertArrayEquals(new int[] {1, 1}, Padding.SAME.amounts(7, 3, 2, 1));
        assertArrayEquals(new int[] {0, 1}, Padding.SAME.amounts(8, 3, 2, 1));
        assertArrayEquals(new int[] {1, 1}, Padding.SAME.amounts(224, 4, 2, 1));
        assertArrayEquals(new int[] {1, 2}, Padding.SAME.amounts(4, 4, 1, 1));
        assertArrayEquals(new int[] {2, 2}, Padding.SAME.amounts(7, 3, 1, 2));
        assertArrayEquals(new int[] {0, 0}, Padding.SAME.amounts(5, 1, 2, 1));
        assertArrayEquals(new int[] {0, 0}, Padding.SAME.amounts(6, 2, 2, 1));
        assertArrayEquals(new int[] {0, 0}, Padding.VALID.amounts(7, 3, 2, 1));
    }

    @Test
    void sameConvolutionAndPoolingGiveCeilOfInputOverStride() {
        int[] one = {1, 1};
        Tensor y = Conv.conv2d(Tensor.ones(1, 7, 8, 2), Tensor.ones(3, 3, 2, 4), new int[] {2, 3}, Padding.SAME, one);
        assertEquals(Shape.of(1, 4, 3, 4), y.shape());
        assertEquals(Shape.of(1, 4, 3, 2), Pooling.maxPool2d(Tensor.ones(1, 7, 8, 2), new int[] {3, 3}, new int[] {2, 3},
                Padding.SAME).shape());
        assertEquals(Shape.of(1, 3, 2, 2), Pooling.avgPool2d(Tensor.ones(1, 7, 8, 2), new int[] {3, 3}, new int[] {2, 3},
                Padding.VALID).shape());
    }
}

package dev.tessera.ops;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.tessera.Tensor;
import dev.tessera.backend.PoolSpec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

/** Bad geometry and null arguments give IllegalArgumentException naming the op, never an arithmetic or null-pointer error. */
class ArgumentErrorsTest {
    private static final int[] ONE = {1, 1};

    private static String message(Executable e) {
        return assertThrows(IllegalArgumentException.class, e).getMessage();
    }

    @Test
    void convolutionStridesMustBeTwoPositiveValues() {
        Tensor x = Tensor.ones(1, 5, 5, 1);
        Tensor w = Tensor.ones(3, 3, 1, 1);
        assertEquals("conv2d: strides must be two values >= 1 — got [0, 1]",
                message(() -> Conv.conv2d(x, w, new int[] {0, 1}, Padding.SAME, ONE)));
        assertEquals("conv2d: strides must be two values >= 1 — got [1]",
                message(() -> Conv.conv2d(x, w, new int[] {1}, Padding.VALID, ONE)));
        assertEquals("conv2d: dilation must be two values >= 1 — got null",
                message(() -> Conv.conv2d(x, w, ONE, Padding.VALID, null)));
        assertEquals("conv2dTranspose: strides must be two values >= 1 — got [2, 0]",
                message(() -> Conv.conv2dTranspose(x, w, new int[] {2, 0}, Padding.SAME, ONE)));
    }

    @Test
    void convolutionAndPoolingNeedAPaddingMode() {
        assertEquals("conv2d: padding must be SAME or VALID — got null",
                message(() -> Conv.conv2d(Tensor.ones(1, 5, 5, 1), Tensor.ones(3, 3, 1, 1), ONE, null, ONE)));
        assertEquals("maxPool2d: padding must be SAME or VALID — got null",
                message(() -> Pooling.maxPool2d(Tensor.ones(1, 4, 4, 1), new int[] {2, 2}, ONE, null)));
    }

    @Test
    void poolSizeAndStridesMustBeTwoPositiveValues() {
        Tensor x = Tensor.ones(1, 4, 4, 1);
        assertEquals("avgPool2d: pool size must be two values >= 1 — got [2]",
                message(() -> Pooling.avgPool2d(x, new int[] {2}, ONE, Padding.VALID)));
        assertEquals("maxPool2d: strides must be two values >= 1 — got [0, 0]",
                message(() -> Pooling.maxPool2d(x, new int[] {2, 2}, new int[] {0, 0}, Padding.SAME)));
    }

    @Test
    void paddingModeRejectsAZeroStride() {
        assertEquals("padding SAME: kernel size, stride and dilation must be >= 1 — got kernel 3, stride 0, dilation 1",
                message(() -> Padding.SAME.amounts(5, 3, 0, 1)));
    }

    @Test
    void poolPaddingMustBeSmallerThanTheWindow() {
        assertEquals("PoolSpec: padding must be smaller than the pool window — got pool 2x2, padding (0, 0, 2, 0)",
                message(() -> new PoolSpec(PoolSpec.Kind.MAX, 2, 2, 1, 1, 0, 0, 2, 0)));
    }

    @Test
    void explicitPoolingAndTransposedConvolutionRejectIntegerInput() {
        PoolSpec s = new PoolSpec(PoolSpec.Kind.AVG, 2, 2, 2, 2, 0, 0, 0, 0);
        assertEquals("avgPool2d: needs a floating-point tensor — got INT64 (1, 4, 4, 1)",
                message(() -> Pooling.pool2d(Tensor.ones(1, 4, 4, 1).to(dev.tessera.DType.INT64), s)));
        Tensor ints = Tensor.ones(1, 3, 3, 2).to(dev.tessera.DType.INT32);
        assertEquals("conv2dTranspose: needs a floating-point tensor — got INT32 (1, 3, 3, 2)",
                message(() -> Conv.conv2dTranspose(ints, ints, ONE, Padding.SAME, ONE)));
    }

    @Test
    void nullTensorArgumentsAreNamed() {
        Tensor a = Tensor.ones(2, 2);
        assertEquals("add: tensor argument 1 is null", message(() -> a.add((Tensor) null)));
        assertEquals("matmul: tensor argument 1 is null", message(() -> a.matmul(null)));
        assertEquals("concat: tensor argument 1 is null", message(() -> Tensor.concat(0, a, null)));
        assertEquals("gather: tensor argument 1 is null", message(() -> a.gather(0, null)));
        assertEquals("conv2d: tensor argument 0 is null", message(() -> Conv.conv2d(null, a, ONE, Padding.VALID, ONE)));
    }

    @Test
    void transcendentalOpsRefuseIntegerTensorsInsteadOfTruncating() {
        Tensor ints = Tensor.of(new int[] {1, 2}, 2);
        assertEquals("exp: needs a floating-point tensor — got INT32 (2,); cast it with to(DType.FLOAT32) first",
                message(ints::exp));
        assertThrows(IllegalArgumentException.class, ints::sigmoid);
        assertEquals(java.util.List.of(-1, -2), java.util.Arrays.stream(ints.neg().toIntArray()).boxed().toList());
    }

    @Test
    void sizesBeyondJavaArraysAndLongsAreNamed() {
        assertEquals("Shape: more than 2^63 - 1 elements — got [4294967296, 4294967296]",
                message(() -> dev.tessera.Shape.of(1L << 32, 1L << 32)));
        assertEquals(0, dev.tessera.Shape.of(1L << 40, 1L << 40, 0).numel());
        Tensor huge = Tensor.scalar(1).expand(1L << 16, 1L << 16);
        assertEquals("toHost: 4294967296 elements of (65536, 65536) do not fit one Java array; read slices",
                message(huge::toFloatArray));
        assertThrows(IllegalArgumentException.class,
                () -> Tensor.arange(0, 1e10, 1, dev.tessera.DType.FLOAT32, dev.tessera.Device.cpu()));
    }
}

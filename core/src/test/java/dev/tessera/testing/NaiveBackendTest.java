package dev.tessera.testing;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.tessera.DType;
import dev.tessera.Device;
import dev.tessera.Shape;
import dev.tessera.Tensor;
import dev.tessera.backend.Backends;
import dev.tessera.backend.Operand;
import dev.tessera.backend.RandomBits;
import dev.tessera.backend.RandomOp;
import dev.tessera.backend.Storage;
import dev.tessera.ops.Conv;
import dev.tessera.ops.Padding;
import dev.tessera.ops.Pooling;
import org.junit.jupiter.api.Test;

class NaiveBackendTest {

    @Test
    void serviceLoaderFindsNaiveBackendForTheCpu() {
        assertInstanceOf(NaiveBackend.class, Backends.forDevice(Device.cpu()));
    }

    @Test
    void matmulSumAndExpGiveHandComputedValues() {
        Tensor a = Tensor.of(new double[] {1, 2, 3, 4}, 2, 2);
        Tensor b = Tensor.of(new double[] {5, 6, 7, 8}, 2, 2);
        assertArrayEquals(new double[] {19, 22, 43, 50}, a.matmul(b).toDoubleArray());
        assertEquals(10.0, a.sum().item());
        assertEquals(Math.exp(3), a.exp().getDouble(1, 0), 0);
    }

    @Test
    void float32StorageRoundsEveryStoredValue() {
        NaiveBackend b = new NaiveBackend();
        Storage s = b.allocate(DType.FLOAT32, 1);
        b.fill(Operand.contiguous(s, Shape.of(1)), 0.1);
        double[] out = new double[1];
        Storage d = b.allocate(DType.FLOAT64, 1);
        b.copy(Operand.contiguous(s, Shape.of(1)), Operand.contiguous(d, Shape.of(1)));
        b.copyToHost(d, out);
        assertEquals((double) 0.1f, out[0], 0);
    }

    @Test
    void castFromFloatToIntTruncatesTowardZero() {
        Tensor t = Tensor.of(new double[] {-2.7, -0.5, 0.5, 2.7}, 4);
        assertArrayEquals(new long[] {-2, 0, 0, 2}, t.to(DType.INT64).toLongArray());
    }

    @Test
    void copyFromHostRejectsAnArrayOfTheWrongType() {
        NaiveBackend b = new NaiveBackend();
        Storage s = b.allocate(DType.FLOAT32, 2);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> b.copyFromHost(new double[2], s));
        assertEquals("copyFromHost: a FLOAT32 storage needs a float[] — got double[]", e.getMessage());
    }

    private static Tensor grid3x3() {
        return Tensor.of(new double[] {1, 2, 3, 4, 5, 6, 7, 8, 9}, 1, 3, 3, 1);
    }

    @Test
    void conv2dSumsWindowsWithPaddingStrideAndDilation() {
        Tensor x = grid3x3();
        Tensor ones = Tensor.of(new double[] {1, 1, 1, 1}, 2, 2, 1, 1);
        int[] one = {1, 1};
        assertArrayEquals(new double[] {12, 16, 24, 28}, Conv.conv2d(x, ones, one, Padding.VALID, one).toDoubleArray());
        assertArrayEquals(new double[] {12, 16, 9, 24, 28, 15, 15, 17, 9},
                Conv.conv2d(x, ones, one, Padding.SAME, one).toDoubleArray());
        assertArrayEquals(new double[] {20}, Conv.conv2d(x, ones, one, Padding.VALID, new int[] {2, 2}).toDoubleArray());
        Tensor single = Tensor.of(new double[] {1}, 1, 1, 1, 1);
        assertArrayEquals(new double[] {1, 3, 7, 9}, Conv.conv2d(x, single, new int[] {2, 2}, Padding.VALID, one).toDoubleArray());
    }

    @Test
    void poolingExcludesPaddingFromAveragesAndMaxima() {
        Tensor x = grid3x3().neg();
        int[] two = {2, 2};
        int[] one = {1, 1};
        assertArrayEquals(new double[] {-3, -4, -4.5, -6, -7, -7.5, -7.5, -8.5, -9},
                Pooling.avgPool2d(x, two, one, Padding.SAME).toDoubleArray());
        assertArrayEquals(new double[] {-1, -2, -3, -4, -5, -6, -7, -8, -9},
                Pooling.maxPool2d(x, two, one, Padding.SAME).toDoubleArray());
    }

    @Test
    void argmaxTakesTheFirstOfTiedMaxima() {
        assertArrayEquals(new long[] {1, 0}, Tensor.of(new double[] {1, 3, 3, 5, 2, 5}, 2, 3).argmax(1).toLongArray());
    }

    @Test
    void softmaxRowsSumToOneAndLogSoftmaxIsItsLog() {
        Tensor x = Tensor.of(new double[] {1, 2, 3, 1000, 1000, 1000}, 2, 3);
        double e = Math.exp(1) + Math.exp(2) + Math.exp(3);
        TensorAssert.assertClose(x.softmax(-1), new double[] {Math.exp(1) / e, Math.exp(2) / e, Math.exp(3) / e,
            1.0 / 3, 1.0 / 3, 1.0 / 3}, Shape.of(2, 3), 1e-15, 0);
        TensorAssert.assertClose(x.logSoftmax(-1).exp(), x.softmax(-1), 1e-15, 0);
    }

    @Test
    void gatherNamesTheOutOfRangeIndex() {
        Tensor x = Tensor.of(new double[] {1, 2, 3}, 3);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> x.gather(0, Tensor.of(new long[] {0, 3}, 2)));
        assertEquals("gather: index 3 is out of range for axis 0 of size 3 in (3,)", e.getMessage());
    }

    @Test
    void randomFillsFollowRandomBits() {
        NaiveBackend b = new NaiveBackend();
        Storage s = b.allocate(DType.FLOAT64, 4);
        b.random(RandomOp.NORMAL, 9, 100, 1.0, 2.0, Operand.contiguous(s, Shape.of(4)));
        double[] out = new double[4];
        b.copyToHost(s, out);
        for (int i = 0; i < 4; i++) {
            assertEquals(RandomBits.sample(RandomOp.NORMAL, 9, 100, i, 1.0, 2.0), out[i], 0);
        }
    }
}

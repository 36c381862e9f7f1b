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
import dev.tessera.backend.Storage;
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
}

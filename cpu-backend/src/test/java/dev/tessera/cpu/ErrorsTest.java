package dev.tessera.cpu;

import static dev.tessera.cpu.Host.CPU;
import static dev.tessera.cpu.Host.operand;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tessera.DType;
import dev.tessera.Device;
import dev.tessera.backend.Operand;
import dev.tessera.backend.Storage;
import org.junit.jupiter.api.Test;

/** Misuse gives IllegalArgumentException or IllegalStateException with the value, never a crash. */
class ErrorsTest {

    @Test
    void gatherNamesTheBadIndexAndAxisSize() {
        Operand x = operand(DType.FLOAT32, new double[] {1, 2, 3, 4, 5, 6}, 2, 3);
        Operand index = operand(DType.INT64, new double[] {0, 5}, 2, 1);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> CPU.gather(x, 1, index, Host.empty(DType.FLOAT32, 2, 1)));
        assertEquals("gather: index 5 is out of range for axis 1 of size 3", e.getMessage());
    }

    @Test
    void scatterAddRejectsANegativeIndex() {
        Operand out = operand(DType.FLOAT64, new double[] {0, 0, 0}, 3);
        Operand index = operand(DType.INT32, new double[] {1, -1}, 2);
        Operand src = operand(DType.FLOAT64, new double[] {1, 1}, 2);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> CPU.scatterAdd(src, 0, index, out));
        assertTrue(e.getMessage().contains("index -1") && e.getMessage().contains("size 3"), e.getMessage());
    }

    @Test
    void floatIndicesAreRejected() {
        Operand x = operand(DType.FLOAT32, new double[] {1, 2}, 2);
        Operand index = operand(DType.FLOAT32, new double[] {0}, 1);
        assertThrows(IllegalArgumentException.class, () -> CPU.gather(x, 0, index, Host.empty(DType.FLOAT32, 1)));
    }

    @Test
    void releasedStorageIsAnIllegalState() {
        Operand x = operand(DType.FLOAT32, new double[] {1, 2}, 2);
        x.storage().release();
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> CPU.fill(x, 0));
        assertTrue(e.getMessage().contains("released"), e.getMessage());
    }

    @Test
    void foreignStorageIsRejected() {
        Storage foreign = new Storage(DType.FLOAT32, 2, () -> { }) {
            @Override
            public Device device() {
                return Device.cuda(0);
            }
        };
        Operand x = Operand.contiguous(foreign, dev.tessera.Shape.of(2));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> CPU.fill(x, 0));
        assertTrue(e.getMessage().contains("cuda:0"), e.getMessage());
    }

    @Test
    void hostArrayOfTheWrongTypeIsRejected() {
        Storage s = CPU.allocate(DType.FLOAT32, 3);
        assertThrows(IllegalArgumentException.class, () -> CPU.copyFromHost(new double[3], s));
        assertThrows(IllegalArgumentException.class, () -> CPU.copyFromHost(new float[4], s));
        assertThrows(IllegalArgumentException.class, () -> CPU.copyToHost(s, new int[3]));
    }

    @Test
    void mismatchedGemmShapesAreRejected() {
        Operand a = Host.empty(DType.FLOAT32, 1, 2, 3);
        Operand b = Host.empty(DType.FLOAT32, 1, 4, 2);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> CPU.gemm(a, b, Host.empty(DType.FLOAT32, 1, 2, 2)));
        assertTrue(e.getMessage().contains("(1, 2, 3)"), e.getMessage());
    }

    @Test
    void argmaxOverAnEmptyAxisIsRejected() {
        Operand x = Host.empty(DType.FLOAT32, 2, 0);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> CPU.reduce(dev.tessera.backend.ReduceOp.ARGMAX, x, new int[] {1}, Host.empty(DType.INT64, 2, 1)));
        assertEquals("argmax: axis 1 of (2, 0) is empty", e.getMessage());
    }

    @Test
    void zeroLengthStorageWorks() {
        Storage s = CPU.allocate(DType.FLOAT64, 0);
        CPU.copyFromHost(new double[0], s);
        Operand o = Operand.contiguous(s, dev.tessera.Shape.of(0, 3));
        CPU.fill(o, 1);
        assertEquals(0, Host.read(o).length);
        s.release();
        assertTrue(!s.isLive());
    }
}

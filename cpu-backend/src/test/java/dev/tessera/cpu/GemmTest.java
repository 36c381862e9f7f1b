package dev.tessera.cpu;

import static dev.tessera.cpu.Host.CPU;
import static dev.tessera.cpu.Host.assertClose;
import static dev.tessera.cpu.Host.operand;
import static dev.tessera.cpu.Host.random;
import static dev.tessera.cpu.Host.read;
import static dev.tessera.cpu.Host.tol;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.tessera.DType;
import dev.tessera.Tensor;
import dev.tessera.backend.Storage;
import dev.tessera.memory.MemoryScope;
import dev.tessera.backend.Operand;
import java.util.function.BiFunction;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Batched GEMM on contiguous, transposed, strided and broadcast operands against a triple loop. */
class GemmTest {
    private static final int B = 3;
    private static final int M = 5;
    private static final int K = 7;
    private static final int N = 4;

    /** A named way to lay out a (B, rows, cols) matrix in memory. */
    record Layouts(String name, BiFunction<DType, long[], Operand> make) {
        @Override
        public String toString() {
            return name;
        }
    }

    /** Builds the operand with the given layout from seeded values. */
    private static Operand contiguous(DType t, long[] d) {
        return operand(t, random(d[1] * 31 + d[2], (int) (d[0] * d[1] * d[2])), d);
    }

    private static Operand transposed(DType t, long[] d) {
        Operand stored = operand(t, random(d[1] + d[2], (int) (d[0] * d[1] * d[2])), d[0], d[2], d[1]);
        return Host.view(stored, 0, d, d[1] * d[2], 1, d[1]);
    }

    private static Operand padded(DType t, long[] d) {
        long ld = d[2] + 3;
        Operand stored = operand(t, random(d[2], (int) (d[0] * d[1] * ld + 2)), d[0] * d[1] * ld + 2);
        return Host.view(stored, 2, d, d[1] * ld, ld, 1);
    }

    private static Operand everyOther(DType t, long[] d) {
        Operand stored = operand(t, random(d[1], (int) (d[0] * d[1] * d[2] * 4)), d[0] * d[1] * d[2] * 4);
        return Host.view(stored, 1, d, d[1] * d[2] * 4, d[2] * 4, 2);
    }

    private static Operand batchBroadcast(DType t, long[] d) {
        Operand stored = operand(t, random(d[2] * 7, (int) (d[1] * d[2])), d[1], d[2]);
        return Host.view(stored, 0, d, 0, d[2], 1);
    }

    private static Operand rowBroadcast(DType t, long[] d) {
        Operand stored = operand(t, random(d[2] * 5, (int) (d[0] * d[2])), d[0], d[2]);
        return Host.view(stored, 0, d, d[2], 0, 1);
    }

    static Stream<Arguments> layouts() {
        Layouts[] ls = {
            new Layouts("contiguous", GemmTest::contiguous),
            new Layouts("transposed", GemmTest::transposed),
            new Layouts("padded rows with offset", GemmTest::padded),
            new Layouts("every other element", GemmTest::everyOther),
            new Layouts("batch stride 0", GemmTest::batchBroadcast),
            new Layouts("row stride 0", GemmTest::rowBroadcast),
        };
        Stream.Builder<Arguments> b = Stream.builder();
        for (DType t : new DType[] {DType.FLOAT32, DType.FLOAT64}) {
            for (Layouts la : ls) {
                for (Layouts lb : ls) {
                    b.add(Arguments.of(t, la, lb));
                }
            }
        }
        return b.build();
    }

    private static double[] tripleLoop(double[] a, double[] b, int batch, int m, int k, int n) {
        double[] c = new double[batch * m * n];
        for (int p = 0; p < batch; p++) {
            for (int i = 0; i < m; i++) {
                for (int j = 0; j < n; j++) {
                    double s = 0;
                    for (int q = 0; q < k; q++) {
                        s += a[(p * m + i) * k + q] * b[(p * k + q) * n + j];
                    }
                    c[(p * m + i) * n + j] = s;
                }
            }
        }
        return c;
    }

    @ParameterizedTest(name = "{0} a {1}, b {2}")
    @MethodSource("layouts")
    void matchesTripleLoop(DType t, Layouts la, Layouts lb) {
        Operand a = la.make.apply(t, new long[] {B, M, K});
        Operand b = lb.make.apply(t, new long[] {B, K, N});
        Operand out = Host.empty(t, B, M, N);
        CPU.gemm(a, b, out);
        assertClose(tripleLoop(read(a), read(b), B, M, K, N), read(out), tol(t));
    }

    @Test
    void writesAtTheOutputOffset() {
        Operand a = contiguous(DType.FLOAT64, new long[] {1, M, K});
        Operand b = contiguous(DType.FLOAT64, new long[] {1, K, N});
        Operand big = Host.empty(DType.FLOAT64, M * N + 3);
        Operand out = Host.view(big, 3, new long[] {1, M, N}, M * N, N, 1);
        CPU.gemm(a, b, out);
        assertClose(tripleLoop(read(a), read(b), 1, M, K, N), read(out), 1e-12);
    }

    @Test
    void emptyInnerDimensionGivesZeros() {
        Operand a = Host.empty(DType.FLOAT32, 2, 3, 0);
        Operand b = Host.empty(DType.FLOAT32, 2, 0, 4);
        Operand out = operand(DType.FLOAT32, random(1, 24), 2, 3, 4);
        CPU.gemm(a, b, out);
        assertClose(new double[24], read(out), 0);
    }

    @Test
    void integerOperandsAreRejected() {
        Operand a = operand(DType.INT32, new double[] {1, 2}, 1, 1, 2);
        Operand b = operand(DType.INT32, new double[] {1, 2}, 1, 2, 1);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> CPU.gemm(a, b, Host.empty(DType.INT32, 1, 1, 1)));
        org.junit.jupiter.api.Assertions.assertTrue(e.getMessage().startsWith("gemm:"), e.getMessage());
    }

    @Test
    void transposedOperandsReachBlasWithoutACopy() {
        try (MemoryScope scope = MemoryScope.open()) {
            Tensor a = Tensor.of(random(21, 128 * 96), 128, 96).to(DType.FLOAT32);
            Tensor b = Tensor.of(random(22, 64 * 128), 64, 128).to(DType.FLOAT32);
            Storage.resetPeak();
            long before = Storage.liveBytes();
            Tensor c = a.mT().matmul(b.mT());
            // NOTE: only the (96, 64) output may be allocated; a copy of either operand would show in the peak.
            assertEquals(96L * 64 * Float.BYTES, Storage.peakBytes() - before);
            assertClose(read(a.mT().contiguous().matmul(b.mT().contiguous()).operand()), read(c.operand()), tol(DType.FLOAT32));
        }
    }
}

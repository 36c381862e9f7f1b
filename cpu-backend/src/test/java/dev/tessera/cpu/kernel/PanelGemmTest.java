package dev.tessera.cpu.kernel;

import static dev.tessera.cpu.kernel.Mem.U;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The native panel GEMM against products summed in float64 here: row counts that leave partial
 * tiles of 1 to 5 rows, column counts that leave partial panels, row strides wider than the rows,
 * b given transposed, and reductions long enough for several partial sums.
 */
class PanelGemmTest {
    private final List<Long> blocks = new ArrayList<>();

    @BeforeEach
    void needKernels() {
        assumeTrue(PanelGemm.available(), "native GEMM kernels not in use on this CPU (see gemm_supported in "
                + "tessera_gemm.h); native library: " + NativeKernels.loadError());
    }

    @AfterEach
    void free() {
        for (long b : blocks) {
            U.freeMemory(b);
        }
        blocks.clear();
    }

    private long floats(long n) {
        long a = U.allocateMemory(Math.max(1, n) * 4);
        blocks.add(a);
        return a;
    }

    private long random(long n, int seed) {
        Random r = new Random(seed);
        long a = floats(n);
        for (long i = 0; i < n; i++) {
            U.putFloat(a + i * 4, r.nextFloat() * 2 - 1);
        }
        return a;
    }

    private static float at(long a, long i) {
        return U.getFloat(a + i * 4);
    }

    @ParameterizedTest(name = "{0} x {2} by {2} x {1}, lda +{3}, transposed b {4}")
    @CsvSource({"1, 1, 1, 0, false", "5, 17, 3, 0, false", "13, 31, 9, 2, true", "600, 48, 128, 0, true",
        "611, 130, 48, 5, false", "7, 16, 200, 1, true"})
    void rowsMatchFloat64Sums(int m, int n, int k, int pad, boolean transB) {
        long lda = k + pad;
        long ldb = (transB ? k : n) + pad;
        long ldc = n + pad;
        long a = random(m * lda, 1);
        long b = random((transB ? n : k) * ldb, 2);
        long c = floats(m * ldc);
        U.setMemory(c, m * ldc * 4L, (byte) 0x7f);
        PanelGemm.rows(m, n, k, a, lda, b, ldb, transB, c, ldc);
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < n; j++) {
                double sum = 0;
                for (int q = 0; q < k; q++) {
                    sum += (double) at(a, i * lda + q) * at(b, transB ? j * ldb + q : q * ldb + j);
                }
                assertEquals(sum, at(c, i * ldc + j), 1e-5 * Math.sqrt(k) + 1e-6, "c[" + i + ", " + j + "]");
            }
            for (long j = n; j < ldc; j++) {
                assertEquals(0x7f7f7f7f, Float.floatToRawIntBits(at(c, i * ldc + j)),
                        "padding of row " + i + " written");
            }
        }
    }

    @ParameterizedTest(name = "{0} x {1} over {2} rows, added to c {3}")
    @CsvSource({"1, 1, 1, false", "5, 17, 7, true", "48, 128, 4100, false", "130, 20, 2049, true",
        "7, 33, 6000, false", "9, 16, 300, true"})
    void reductionsMatchFloat64Sums(int m, int n, int k, boolean add) {
        long lda = m + 3;
        long ldb = n + 1;
        long a = random(k * lda, 3);
        long b = random(k * ldb, 4);
        long c = random((long) m * n, 9);
        float[] before = new float[m * n];
        for (int i = 0; i < before.length; i++) {
            before[i] = at(c, i);
        }
        PanelGemm.reduce(m, n, k, a, lda, b, ldb, c, add);
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < n; j++) {
                double sum = add ? before[i * n + j] : 0;
                for (int q = 0; q < k; q++) {
                    sum += (double) at(a, q * lda + i) * at(b, q * ldb + j);
                }
                assertEquals(sum, at(c, (long) i * n + j), 1e-6 * Math.sqrt(k) * 4, "c[" + i + ", " + j + "]");
            }
        }
    }

    @ParameterizedTest(name = "threads 1 and 3, {0} rows")
    @CsvSource({"6000", "600"})
    void reductionsDoNotDependOnTheThreadCount(int k) {
        int m = 48;
        int n = 40;
        long a = random((long) k * m, 5);
        long b = random((long) k * n, 6);
        long one = floats((long) m * n);
        long three = floats((long) m * n);
        int before = Parallel.threads();
        try {
            Parallel.setThreads(1);
            PanelGemm.reduce(m, n, k, a, m, b, n, one, false);
            Parallel.setThreads(3);
            PanelGemm.reduce(m, n, k, a, m, b, n, three, false);
        } finally {
            Parallel.setThreads(before);
        }
        for (long i = 0; i < (long) m * n; i++) {
            assertEquals(Float.floatToRawIntBits(at(one, i)), Float.floatToRawIntBits(at(three, i)), "element " + i);
        }
    }

    @Test
    void theSizeRuleKeepsSmallAndCacheSizedProductsApart() {
        assertTrue(PanelGemm.fitsRows(100_352, 128, 48), "the 3-channel 4x4 layer's forward");
        assertFalse(PanelGemm.fitsRows(100, 128, 48), "too few rows to beat OpenBLAS");
        assertFalse(PanelGemm.fitsRows(100_352, 512, 1152), "packed b of 2.4 MB does not stay in the L2 cache");
        assertTrue(PanelGemm.fitsReduce(48, 128, 100_352), "the 3-channel 4x4 layer's filter gradient");
        assertFalse(PanelGemm.fitsReduce(1152, 256, 1568), "rows of a too long: OpenBLAS is faster");
        assertTrue(PanelGemm.fitsReduce(128, 128, 2000), "a Winograd point's filter gradient");
    }
}

package dev.tessera.cuda;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** Checks the row-major to column-major mapping by running the planned call on a CPU model of cuBLAS' gemm. */
class GemmPlanTest {

    /** Column-major C (m x n, ldc) = op(A) op(B), as cublas&lt;t&gt;gemm defines it. */
    private static void columnMajorGemm(boolean ta, boolean tb, int m, int n, int k, double[] a, long aOff, long lda,
                                        double[] b, long bOff, long ldb, double[] c, int ldc) {
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < n; j++) {
                double s = 0;
                for (int p = 0; p < k; p++) {
                    double av = ta ? a[(int) (aOff + p + i * lda)] : a[(int) (aOff + i + p * lda)];
                    double bv = tb ? b[(int) (bOff + j + p * ldb)] : b[(int) (bOff + p + j * ldb)];
                    s += av * bv;
                }
                c[i + j * ldc] = s;
            }
        }
    }

    /** Storage of a rows x cols matrix with the given strides, filled with random values where it is read. */
    private static double[] storage(long rows, long cols, long rs, long cs, SplittableRandom r) {
        long size = 1 + (rows - 1) * rs + (cols - 1) * cs;
        double[] s = new double[(int) size];
        for (int i = 0; i < s.length; i++) {
            s[i] = r.nextDouble(-1, 1);
        }
        return s;
    }

    private static void checkProduct(long m, long k, long n, long ars, long acs, long brs, long bcs) {
        SplittableRandom r = new SplittableRandom(m * 1000 + k * 100 + n);
        double[] a = storage(m, k, ars, acs, r);
        double[] b = storage(k, n, brs, bcs, r);
        GemmPlan.MatrixOperand ma = GemmPlan.operand(m, k, ars, acs);
        GemmPlan.MatrixOperand mb = GemmPlan.operand(k, n, brs, bcs);
        assertNotNull(ma);
        assertNotNull(mb);
        GemmPlan p = GemmPlan.of(m, n, k, ma, mb);
        double[] c = new double[(int) (m * n)];
        columnMajorGemm(p.transA(), p.transB(), p.m(), p.n(), p.k(), b, 0, p.lda(), a, 0, p.ldb(), c, p.ldc());
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < n; j++) {
                double want = 0;
                for (int q = 0; q < k; q++) {
                    want += a[(int) (i * ars + q * acs)] * b[(int) (q * brs + j * bcs)];
                }
                assertEquals(want, c[(int) (i * n + j)], 1e-12, "out[" + i + "][" + j + "] for strides a (" + ars + ", "
                        + acs + "), b (" + brs + ", " + bcs + ")");
            }
        }
    }

    @Test
    void rowMajorOperandsGiveTheRowMajorProduct() {
        checkProduct(3, 5, 4, 5, 1, 4, 1);
    }

    @Test
    void transposedOperandsAreReadThroughTheirStrides() {
        checkProduct(3, 5, 4, 1, 3, 1, 5);
        checkProduct(3, 5, 4, 5, 1, 1, 5);
        checkProduct(3, 5, 4, 1, 3, 4, 1);
    }

    @Test
    void paddedLeadingDimensionsAreUsedAsIs() {
        checkProduct(3, 5, 4, 8, 1, 1, 7);
    }

    @Test
    void vectorsAndSingleRowsPlanWithValidLeadingDimensions() {
        checkProduct(1, 5, 4, 0, 1, 4, 1);
        checkProduct(3, 5, 1, 5, 1, 1, 0);
        checkProduct(3, 1, 4, 1, 0, 0, 1);
        checkProduct(1, 1, 1, 0, 0, 0, 0);
    }

    @Test
    void matricesWithoutAUnitStrideNeedACopy() {
        assertNull(GemmPlan.operand(3, 4, 8, 2));
        assertNull(GemmPlan.operand(3, 4, 0, 0));
        assertNull(GemmPlan.operand(3, 4, 2, 1));
    }
}

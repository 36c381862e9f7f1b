package dev.tessera.cuda;

/**
 * How a row-major batched product out[b] = a[b] x b[b] maps onto one column-major
 * cublas&lt;t&gt;gemmStridedBatched call. cuBLAS is column-major, and a row-major matrix read as
 * column-major is its transpose, so the call computes out^T = b^T a^T: cuBLAS' "A" is our b, its "B"
 * is our a, m = N, n = M, k = K and ldc = N. Whether each operand is passed as is (OP_N) or
 * transposed (OP_T) follows from its strides; only an operand with no unit stride needs a copy.
 */
public record GemmPlan(boolean transA, boolean transB, int m, int n, int k, long lda, long ldb, int ldc) {

    /** How one row-major matrix (rows x cols, with its strides) is handed to cuBLAS, or null if it must be copied. */
    public record MatrixOperand(boolean transposed, long ld) {
    }

    /**
     * The column-major reading of a rows x cols matrix with strides (rowStride, colStride): with unit
     * column stride it is the transpose (OP_N in the swapped product) with ld = rowStride; with unit
     * row stride it is the matrix itself (OP_T) with ld = colStride. Null when neither works.
     */
    public static MatrixOperand operand(long rows, long cols, long rowStride, long colStride) {
        if (cols == 1 || colStride == 1) {
            long ld = rows == 1 ? Math.max(cols, 1) : rowStride;
            if (ld >= Math.max(1, cols)) {
                return new MatrixOperand(false, ld);
            }
        }
        if (rows == 1 || rowStride == 1) {
            long ld = cols == 1 ? Math.max(rows, 1) : colStride;
            if (ld >= Math.max(1, rows)) {
                return new MatrixOperand(true, ld);
            }
        }
        return null;
    }

    /** The cuBLAS call for a (M x K) read as {@code a} and b (K x N) read as {@code b}. */
    public static GemmPlan of(long mRows, long nCols, long kInner, MatrixOperand a, MatrixOperand b) {
        return new GemmPlan(b.transposed(), a.transposed(), toInt(nCols, "N"), toInt(mRows, "M"), toInt(kInner, "K"),
                checkLd(b.ld()), checkLd(a.ld()), toInt(Math.max(1, nCols), "N"));
    }

    private static long checkLd(long ld) {
        toInt(ld, "leading dimension");
        return ld;
    }

    private static int toInt(long v, String what) {
        if (v > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("gemm: " + what + " exceeds cuBLAS' 32-bit limit — got " + v);
        }
        return (int) v;
    }
}

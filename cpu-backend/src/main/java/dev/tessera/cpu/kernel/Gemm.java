package dev.tessera.cpu.kernel;

import dev.tessera.DType;
import dev.tessera.backend.Operand;

/**
 * Batched GEMM through cblas on the operands' own memory: a matrix with unit stride along its
 * columns is passed row-major, one with unit stride along its rows as the transposed (column-major)
 * operand, and only a matrix with neither (or a stride-0 dimension) is copied first.
 */
public final class Gemm {
    /** m * n * k at or below which OpenBLAS keeps a GEMM on one thread (its 65536 x 4 threshold). */
    private static final double SINGLE_THREAD_WORK = 65_536.0 * 4;

    private Gemm() {
    }

    /** How cblas reads one operand: transposed or not, its leading dimension and batch stride (bytes). */
    private record Mat(boolean trans, int ld, long address, long batchStride) {
    }

    /** out[i] = a[i] x b[i]: a (B, M, K), b (B, K, N), out (B, M, N). */
    public static void gemm(Operand a, Operand b, Operand out) {
        if (a.rank() != 3 || b.rank() != 3 || out.rank() != 3) {
            throw new IllegalArgumentException("gemm: operands must be rank 3 — got " + a.shape() + ", " + b.shape()
                    + " and " + out.shape());
        }
        long batch = out.shape().dim(0);
        long m = a.shape().dim(1);
        long k = a.shape().dim(2);
        long n = b.shape().dim(2);
        if (a.shape().dim(0) != batch || b.shape().dim(0) != batch || b.shape().dim(1) != k
                || out.shape().dim(1) != m || out.shape().dim(2) != n) {
            throw new IllegalArgumentException("gemm: shapes do not form (B, M, K) x (B, K, N) = (B, M, N) — got "
                    + a.shape() + ", " + b.shape() + " and " + out.shape());
        }
        DType t = out.dtype();
        if (a.dtype() != t || b.dtype() != t) {
            throw new IllegalArgumentException("gemm: dtypes differ — got " + a.dtype() + ", " + b.dtype() + " and " + t);
        }
        Mem.requireFloat("gemm", t);
        checkInt("gemm", m, k, n);
        if (batch == 0 || m == 0 || n == 0) {
            return;
        }
        if (k == 0) {
            CopyKernels.fill(out, 0.0);
            return;
        }
        Mat mo = view(out, m, n);
        if (mo == null || mo.trans || (batch > 1 && mo.batchStride == 0)) {
            try (Dense d = Dense.out("gemm", out)) {
                run(t, a, b, new Mat(false, (int) n, d.address(), m * n * t.byteSize()), batch, m, n, k);
            }
            return;
        }
        run(t, a, b, mo, batch, m, n, k);
    }

    private static void run(DType t, Operand a, Operand b, Mat c, long batch, long m, long n, long k) {
        Mat ma = view(a, m, k);
        Mat mb = view(b, k, n);
        Dense da = ma == null ? Dense.in("gemm", a) : null;
        Dense db = mb == null ? Dense.in("gemm", b) : null;
        try {
            if (da != null) {
                ma = new Mat(false, (int) k, da.address(), m * k * t.byteSize());
            }
            if (db != null) {
                mb = new Mat(false, (int) n, db.address(), k * n * t.byteSize());
            }
            Mat fa = ma;
            Mat fb = mb;
            Parallel.Range body = (b0, b1) -> {
                for (long i = b0; i < b1; i++) {
                    Blas.gemm(t, fa.trans, fb.trans, (int) m, (int) n, (int) k, 1.0,
                            fa.address + i * fa.batchStride, fa.ld, fb.address + i * fb.batchStride, fb.ld, 0.0,
                            c.address + i * c.batchStride, c.ld);
                }
            };
            double work = (double) m * n * k;
            if (batch > 1 && work <= SINGLE_THREAD_WORK) {
                // NOTE: OpenBLAS runs a product this small on the calling thread, so the batches are
                // spread over our pool instead; concurrent calls are safe and give the same bits.
                Parallel.forRange(batch, Math.max(1, (long) (SINGLE_THREAD_WORK / Math.max(1, work))), body);
            } else {
                body.run(0, batch);
            }
        } finally {
            if (da != null) {
                da.close();
            }
            if (db != null) {
                db.close();
            }
        }
    }

    /** The cblas reading of matrix operand o (B, rows, cols), or null when it must be copied. */
    private static Mat view(Operand o, long rows, long cols) {
        long s0 = o.layout().stride(1);
        long s1 = o.layout().stride(2);
        long bs = o.layout().stride(0) * o.dtype().byteSize();
        long addr = Mem.address("gemm", o);
        if ((cols == 1 || s1 == 1) && (rows == 1 || s0 >= cols)) {
            long ld = rows == 1 ? Math.max(1, cols) : s0;
            return ld <= Integer.MAX_VALUE ? new Mat(false, (int) ld, addr, bs) : null;
        }
        if ((rows == 1 || s0 == 1) && (cols == 1 || s1 >= rows)) {
            long ld = cols == 1 ? Math.max(1, rows) : s1;
            return ld <= Integer.MAX_VALUE ? new Mat(true, (int) ld, addr, bs) : null;
        }
        return null;
    }

    static void checkInt(String op, long... dims) {
        for (long d : dims) {
            if (d > Integer.MAX_VALUE) {
                throw new IllegalArgumentException(op + ": matrix dimension exceeds 2^31-1 — got " + d);
            }
        }
    }
}

package dev.tessera.cpu.kernel;

import dev.tessera.DType;
import org.bytedeco.javacpp.DoublePointer;
import org.bytedeco.javacpp.FloatPointer;
import org.bytedeco.javacpp.Loader;
import org.bytedeco.javacpp.Pointer;
import org.bytedeco.openblas.global.openblas_full;

/**
 * OpenBLAS through JavaCPP on raw off-heap addresses (no array copies). Matrices are row-major;
 * a transposed operand is a column-major view of the same memory.
 *
 * <p>Before OpenBLAS loads, its worker threads are told to sleep soon after a call (see
 * {@link #THREAD_TIMEOUT}): by default they spin for about 2^28 cycles waiting for the next one,
 * and on cores shared with Tessera's own kernel threads that spinning took the cores from the
 * element-wise work that follows every GEMM (FiLM step at batch 8 on 2 cores: 398 -> 297 ms).
 */
public final class Blas {
    private static final String LOAD_ERROR = load();

    private Blas() {
    }

    /**
     * OPENBLAS_THREAD_TIMEOUT (2^n cycles of spinning before an idle OpenBLAS thread sleeps) that
     * Tessera sets when neither the environment nor {@code -Dtessera.cpu.openblasThreadTimeout}
     * (empty: leave OpenBLAS' default) says otherwise.
     */
    static final String THREAD_TIMEOUT = "10";

    private static String load() {
        try {
            String timeout = System.getProperty("tessera.cpu.openblasThreadTimeout", THREAD_TIMEOUT).trim();
            if (!timeout.isEmpty() && NativeKernels.loaded()) {
                NativeKernels.setEnvIfUnset("OPENBLAS_THREAD_TIMEOUT", timeout);
            }
            Loader.load(openblas_full.class);
            openblas_full.openblas_set_num_threads(Parallel.threads());
            return null;
        } catch (Throwable t) {
            return "OpenBLAS (org.bytedeco:openblas " + Loader.getPlatform() + ") failed to load: " + t;
        }
    }

    /**
     * The core type whose kernels OpenBLAS runs, e.g. "Cooperlake": its own detection, or the
     * environment variable OPENBLAS_CORETYPE when set (a forced "Haswell" halves sgemm on an AVX-512
     * machine, so benchmarks report it).
     */
    public static String coreName() {
        requireLoaded();
        return openblas_full.openblas_get_corename().getString().trim();
    }

    /** Null when OpenBLAS is usable, else why not. */
    public static String loadError() {
        return LOAD_ERROR;
    }

    /** Sets the thread count OpenBLAS uses inside one call. */
    public static void setThreads(int n) {
        requireLoaded();
        openblas_full.openblas_set_num_threads(n);
    }

    private static void requireLoaded() {
        if (LOAD_ERROR != null) {
            throw new IllegalStateException("cpu: " + LOAD_ERROR);
        }
    }

    /** A JavaCPP pointer at a raw address, owning nothing. */
    private static final class At extends Pointer {
        At(long address) {
            this.address = address;
        }
    }

    /**
     * C (m x n, leading dimension ldc) = alpha * op(A) x op(B) + beta * C on raw addresses; with
     * {@code transA} A is stored k x m, otherwise m x k (likewise B).
     */
    public static void gemm(DType t, boolean transA, boolean transB, int m, int n, int k, double alpha,
                            long a, int lda, long b, int ldb, double beta, long c, int ldc) {
        requireLoaded();
        int ta = transA ? openblas_full.CblasTrans : openblas_full.CblasNoTrans;
        int tb = transB ? openblas_full.CblasTrans : openblas_full.CblasNoTrans;
        if (t == DType.FLOAT32) {
            openblas_full.cblas_sgemm(openblas_full.CblasRowMajor, ta, tb, m, n, k, (float) alpha,
                    new FloatPointer(new At(a)), lda, new FloatPointer(new At(b)), ldb, (float) beta,
                    new FloatPointer(new At(c)), ldc);
        } else if (t == DType.FLOAT64) {
            openblas_full.cblas_dgemm(openblas_full.CblasRowMajor, ta, tb, m, n, k, alpha,
                    new DoublePointer(new At(a)), lda, new DoublePointer(new At(b)), ldb, beta,
                    new DoublePointer(new At(c)), ldc);
        } else {
            throw new IllegalArgumentException("gemm: the cpu backend multiplies FLOAT32 and FLOAT64 — got " + t);
        }
    }
}

package dev.tessera.cpu.kernel;

import org.bytedeco.javacpp.Loader;
import org.bytedeco.javacpp.annotation.Name;
import org.bytedeco.javacpp.annotation.Namespace;
import org.bytedeco.javacpp.annotation.Platform;

/**
 * Vectorised float32 loops in C++ ({@code src/main/cpp/tessera_cpu.h}), compiled by the JavaCPP
 * Maven plugin when the module is built. Callers pass raw addresses and element strides of memory
 * they have checked; when the library cannot be loaded, or with {@code -Dtessera.cpu.native=false},
 * the Java kernels run instead and give the same bits. The class names only JavaCPP types, since
 * the builder loads it with nothing else on its class path; op codes are mapped in the callers.
 */
@Platform(include = {"tessera_cpu.h", "tessera_gemm.h"})
@Namespace("tessera_cpu")
public final class NativeKernels {
    private static final String LOAD_ERROR = load();
    private static volatile boolean enabled = LOAD_ERROR == null;

    private NativeKernels() {
    }

    private static String load() {
        if (!Boolean.parseBoolean(System.getProperty("tessera.cpu.native", "true"))) {
            return "turned off with -Dtessera.cpu.native=false";
        }
        try {
            Loader.load();
            return null;
        } catch (Throwable t) {
            return "native kernels for " + Loader.getPlatform() + " failed to load (the Java kernels run instead): " + t;
        }
    }

    /** Whether the native loops are in use. */
    public static boolean available() {
        return enabled;
    }

    /** Whether the library loaded (whatever {@link #use} says). */
    public static boolean loaded() {
        return LOAD_ERROR == null;
    }

    /** Turns the native loops off or back on (if loaded), so tests can compare them with the Java kernels; returns the previous state. */
    static boolean use(boolean on) {
        boolean was = enabled;
        enabled = on && LOAD_ERROR == null;
        return was;
    }

    /** Null when the native loops are in use, else why not. */
    public static String loadError() {
        return LOAD_ERROR;
    }

    /** out = op(a, b) over {@code rows} rows of {@code n} floats; strides in elements (row, element). Returns -1 for an unknown op. */
    @Name("binary_f32")
    public static native int binary(int op, long rows, long n, long a, long sa0, long sa1, long b, long sb0, long sb1,
                             long o, long so0, long so1);

    /** out = op(x, alpha) over {@code rows} rows of {@code n} floats; strides in elements. Returns -1 for an unknown op. */
    @Name("unary_f32")
    public static native int unary(int op, double alpha, long rows, long n, long x, long sx0, long sx1, long o, long so0,
                            long so1);

    /** acc[j] += x[r * rowStride + j] (float64 accumulators at {@code acc}), rows in order. */
    @Name("sum_rows_f32")
    public static native void sumRows(long x, long rowStride, long rows, long cols, long acc);

    /** acc[j] = max(acc[j], x[r * rowStride + j]) (float32 accumulators; a NaN stays). */
    @Name("max_rows_f32")
    public static native void maxRows(long x, long rowStride, long rows, long cols, long acc);

    /** Batch-norm forward over {@code rows} rows of {@code c} float32 channels; per-channel vectors are float64 arrays. */
    @Name("bn_forward_f32")
    public static native void bnForward(long x, long y, long rows, long c, long mean, long invStd, long scale, long bias);

    /** Adds dy and dy * xhat per channel into float64 accumulators, rows in order. */
    @Name("bn_sums_f32")
    public static native void bnSums(long x, long dy, long rows, long c, long mean, long invStd, long sumDy,
                                     long sumDyXhat);

    /** The batch-norm input gradient from hoisted per-channel float64 factors. */
    @Name("bn_dx_f32")
    public static native void bnDx(int training, long x, long dy, long dx, long rows, long c, long k, long meanDy,
                                   long mean, long perX);

    /** Winograd F(2x2, 3x3) input transform of tiles [t0, t1) of NHWC x into 16 planes {@code ps} floats apart; {@code zero} holds c zeros. */
    @Name("wino_input_f32")
    public static native void winoInput(long x, long zero, long h, long w, long c, long th, long tw, long padTop,
                                        long padLeft, long t0, long t1, long v, long ps);

    /** Winograd filter transform of a 3x3 HWIO kernel of ci x co into 16 (ci x co) planes. */
    @Name("wino_filter_f32")
    public static native void winoFilter(long w, long ci, long co, long u);

    /** Winograd output transform of tiles [t0, t1) from 16 planes into NHWC y (N, oh, ow, c). */
    @Name("wino_output_f32")
    public static native void winoOutput(long m, long ps, long t0, long t1, long c, long th, long tw, long oh, long ow,
                                         long y);

    /** The filter gradient's transform of output-gradient tiles [t0, t1) of dy (N, oh, ow, c) into 16 planes. */
    @Name("wino_grad_output_f32")
    public static native void winoGradOutput(long dy, long zero, long t0, long t1, long c, long th, long tw, long oh,
                                             long ow, long out, long ps);

    /** The 3x3 HWIO filter gradient from its 16 transformed (ci x co) planes. */
    @Name("wino_filter_grad_f32")
    public static native void winoFilterGrad(long du, long ci, long co, long dw);

    /** Winograd F(2x2, 2x2) input transform of tiles [t0, t1) of the space-to-depth view (block b) of src into 9 planes. */
    @Name("wino3_input_f32")
    public static native void wino3Input(long src, long zero, long h, long w, long c, long block, long th, long tw,
                                         long padTop, long padLeft, long t0, long t1, long v, long ps);

    /** Winograd F(2x2, 2x2) transform of a 4x4 HWIO kernel seen as 2x2 over space-to-depth channels: 9 (4c x o) planes. */
    @Name("wino3_filter_f32")
    public static native void wino3Filter(long w, long c, long o, long u);

    /** Winograd F(2x2, 2x2) output transform of tiles [t0, t1), written through the space-to-depth view (block b) into dst. */
    @Name("wino3_output_f32")
    public static native void wino3Output(long m, long ps, long t0, long t1, long c, long block, long th, long tw,
                                          long oh, long ow, long h, long w, long padTop, long padLeft, long dst);

    /** The F(2x2, 2x2) filter gradient's transform of output-gradient tiles [t0, t1) into 9 planes. */
    @Name("wino3_grad_output_f32")
    public static native void wino3GradOutput(long dy, long zero, long t0, long t1, long c, long th, long tw, long oh,
                                              long ow, long out, long ps);

    /** The 4x4 HWIO filter gradient from its 9 transformed (4c x o) planes. */
    @Name("wino3_filter_grad_f32")
    public static native void wino3FilterGrad(long du, long c, long o, long dw);

    /** Direct stride-1 convolution of images [n0, n1) of a single-channel NHWC input; {@code pad} holds a padded image plus 8 floats. */
    @Name("conv1ch_forward_f32")
    public static native void conv1chForward(long x, long k, long y, long pad, long n0, long n1, long h, long w,
                                             long kh, long kw, long o, long oh, long ow, long padTop, long padLeft);

    /** Adds the filter gradient of images [n0, n1) of a single-channel input into (kh kw o x 8) lane accumulators. */
    @Name("conv1ch_filter_f32")
    public static native void conv1chFilter(long x, long dy, long acc, long pad, long n0, long n1, long h, long w,
                                            long kh, long kw, long o, long oh, long ow, long padTop, long padLeft);

    /** im2col of NHWC float32 for column rows [r0, r1) (one per output pixel, laid out kh, kw, c). */
    @Name("im2col_f32")
    public static native void im2col(long x, long col, long r0, long r1, long h, long w, long c, long kh, long kw,
                                     long oh, long ow, long strideH, long strideW, long padTop, long padLeft,
                                     long dilationH, long dilationW);

    /** col2im of NHWC float32 into a zeroed dx, for input rows [row0, row1) over images x rows. */
    @Name("col2im_f32")
    public static native void col2im(long col, long dx, long row0, long row1, long h, long w, long c, long kh, long kw,
                                     long oh, long ow, long strideH, long strideW, long padTop, long padLeft,
                                     long dilationH, long dilationW);

    /** 1 when the GEMM kernels of {@code tessera_gemm.h} suit this CPU (AVX2 and FMA, no 512-bit FMA units), else 0. */
    @Name("gemm_supported")
    public static native int gemmSupported();

    /** Packs b (k x n; given as its n x k transpose when trans is 1) into 16-column panels at bp. */
    @Name("gemm_pack_b_f32")
    public static native void gemmPackB(long b, long ldb, long trans, long k, long n, long bp);

    /** Rows [r0, r1) of c = a x b, b packed by {@link #gemmPackB} with depth k. */
    @Name("gemm_rows_f32")
    public static native void gemmRows(long a, long lda, long r0, long r1, long k, long bp, long n, long c, long ldc);

    /** c (m x n, contiguous) = a^T x b over rows [k0, k1) of a (k x m, stride lda) and b (k x n, stride ldb). */
    @Name("gemm_reduce_f32")
    public static native void gemmReduce(long a, long lda, long b, long ldb, long k0, long k1, long m, long n, long c);

    /** Output rows [r0, r1) of an NHWC convolution, im2col(x) x packed w into y; -1 if out of memory. */
    @Name("conv_rows_f32")
    public static native int convRows(long x, long bp, long y, long r0, long r1, long h, long w, long c, long kh,
                                      long kw, long o, long oh, long ow, long strideH, long strideW, long padTop,
                                      long padLeft, long dilationH, long dilationW);

    /** out (kh*kw*c x o) = im2col(x)^T x dy over output rows [r0, r1); -1 if out of memory. */
    @Name("conv_filter_rows_f32")
    public static native int convFilterRows(long x, long dy, long out, long r0, long r1, long h, long w, long c,
                                            long kh, long kw, long o, long oh, long ow, long strideH, long strideW,
                                            long padTop, long padLeft, long dilationH, long dilationW);

    /** dx of images [n0, n1) = col2im(dy x w^T) with w^T packed by {@link #gemmPackB}; -1 if out of memory. */
    @Name("conv_data_images_f32")
    public static native int convDataImages(long dy, long bp, long dx, long n0, long n1, long h, long w, long c,
                                            long kh, long kw, long o, long oh, long ow, long strideH, long strideW,
                                            long padTop, long padLeft, long dilationH, long dilationW);

    /** Sets an environment variable for native libraries loaded later, unless it is set; 1 if this call set it. */
    @Name("set_env_if_unset")
    public static native int setEnvIfUnset(String name, String value);

    /** Max (isMax = 1) or average pooling of NHWC float32 for output pixels [r0, r1); acc holds c doubles of the caller's. */
    @Name("pool_f32")
    public static native void pool(int isMax, long x, long y, long r0, long r1, long h, long w, long c, long oh, long ow,
                                   long kh, long kw, long strideH, long strideW, long padTop, long padLeft, long acc);
}

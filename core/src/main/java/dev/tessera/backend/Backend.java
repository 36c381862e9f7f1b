package dev.tessera.backend;

import dev.tessera.DType;
import dev.tessera.Device;
import dev.tessera.Layout;

/**
 * The primitive kernels every device implements. Core checks shapes, dtypes and devices before
 * calling, allocates every output (so memory scopes see every byte) and defines all gradients;
 * a backend only computes.
 *
 * <p>Conventions: inputs may have any layout (strides, stride-0 broadcast, offsets). Outputs are
 * contiguous (row-major strides) unless a method says otherwise, and their offset is honoured. In
 * {@link #unary} and {@link #binary} the output may be the very operand of an input (in-place
 * updates). Element types of inputs and outputs match unless a method says otherwise. Images are
 * NHWC and convolution kernels HWIO.
 */
public interface Backend {

    /** A short name such as "cpu" or "cuda". */
    String name();

    /** The device whose memory this backend allocates. */
    Device device();

    /** Allocates {@code numel} elements of {@code dtype}; the contents are unspecified. */
    Storage allocate(DType dtype, long numel);

    /** Copies a whole Java array (float[], double[], int[] or long[] matching the dtype) into {@code dst} from index 0. */
    void copyFromHost(Object array, Storage dst);

    /** Copies the first {@code array.length} elements of {@code src} into a Java array of the storage's type. */
    void copyToHost(Storage src, Object array);

    /** Strided copy of equal shapes; {@code dst} may have any layout and dtype (floats cast to ints truncate toward zero). */
    void copy(Operand src, Operand dst);

    /** Sets every element of {@code dst} (any layout) to {@code value}. */
    void fill(Operand dst, double value);

    /** out = op(x, alpha). */
    void unary(UnaryOp op, Operand x, Operand out, double alpha);

    /** out = op(a, b); a and b have out's shape already (broadcast dims have stride 0). */
    void binary(BinaryOp op, Operand a, Operand b, Operand out);

    /** out = cond != 0 ? a : b; all three have out's shape; cond may be of any dtype. */
    void where(Operand cond, Operand a, Operand b, Operand out);

    /**
     * Reduces x over {@code axes} (sorted, distinct). {@code out} has x's rank with the reduced
     * axes of size 1. ARGMAX/ARGMIN take exactly one axis and write INT64.
     */
    void reduce(ReduceOp op, Operand x, int[] axes, Operand out);

    /** Batched matrix product out[b] = a[b] x b[b]: a (B, M, K), b (B, K, N), out (B, M, N); a batch stride may be 0. */
    void gemm(Operand a, Operand b, Operand out);

    /** y = conv2d(x, w): x (N, H, W, C), w (KH, KW, C, O), y (N, OH, OW, O). */
    void conv2d(Conv2dSpec spec, Operand x, Operand w, Operand y);

    /** dx = gradient of conv2d with respect to its input, given dy and w; dx is fully written. */
    void conv2dBackwardData(Conv2dSpec spec, Operand dy, Operand w, Operand dx);

    /** dw = gradient of conv2d with respect to its kernel, given x and dy; dw is fully written. */
    void conv2dBackwardFilter(Conv2dSpec spec, Operand x, Operand dy, Operand dw);

    /** y = pool(x): x (N, H, W, C), y (N, OH, OW, C). */
    void pool2d(PoolSpec spec, Operand x, Operand y);

    /**
     * dx = gradient of pooling; max pooling sends each window's gradient to the first position
     * holding the maximum. dx is fully written.
     */
    void pool2dBackward(PoolSpec spec, Operand x, Operand y, Operand dy, Operand dx);

    /**
     * y = (x - mean) * invStd * scale + bias over channels-last x (..., C); mean, invStd, scale and
     * bias have shape (C).
     */
    void batchNorm(Operand x, Operand mean, Operand invStd, Operand scale, Operand bias, Operand y);

    /**
     * Gradients of {@link #batchNorm}: dScale = sum(dy * xhat), dBias = sum(dy) and dx. With
     * {@code training}, mean and invStd are the batch's own statistics and dx includes their
     * dependence on x; otherwise dx = dy * scale * invStd.
     */
    void batchNormBackward(Operand x, Operand dy, Operand mean, Operand invStd, Operand scale,
                           boolean training, Operand dx, Operand dScale, Operand dBias);

    /** Softmax (or log-softmax) over the last axis. */
    void softmax(Operand x, boolean log, Operand y);

    /**
     * out[i][j][k] = x[i][index[i][j][k]][k] along {@code axis}: index (INT32 or INT64) has out's
     * shape; out-of-range indices throw IllegalArgumentException naming the value.
     */
    void gather(Operand x, int axis, Operand index, Operand out);

    /** The adjoint of gather: out[i][index[i][j][k]][k] += src[i][j][k]; out keeps its contents. */
    void scatterAdd(Operand src, int axis, Operand index, Operand out);

    /** Fills out with element i = {@link RandomBits#sample}(op, seed, counter, i, a, b). */
    void random(RandomOp op, long seed, long counter, double a, double b, Operand out);

    /**
     * One Adam step in place, Keras' formula: {@code m += (g - m)(1 - beta1); v += (g^2 - v)(1 - beta2);
     * param -= alpha * m / (sqrt(v) + epsilon)} with alpha = {@link AdamSpec#stepSize()}. All four
     * operands have the same shape and floating dtype; grad may have any layout, param, m and v are
     * updated through their layouts. The default is the composite of {@link #unary} and
     * {@link #binary} on two temporaries, each op rounding to the dtype as the Tensor ops do; a
     * backend may override it with one fused pass.
     */
    default void adamUpdate(AdamSpec spec, Operand param, Operand grad, Operand m, Operand v) {
        DType dt = param.dtype();
        Layout dense = Layout.contiguous(param.shape());
        Storage s1 = allocate(dt, param.numel());
        Storage s2 = null;
        try {
            s2 = allocate(dt, param.numel());
            Operand t1 = new Operand(s1, dense);
            Operand t2 = new Operand(s2, dense);
            binary(BinaryOp.SUB, grad, m, t1);
            unary(UnaryOp.SCALE, t1, t1, 1.0 - spec.beta1());
            binary(BinaryOp.ADD, m, t1, m);
            unary(UnaryOp.SQUARE, grad, t2, 0);
            binary(BinaryOp.SUB, t2, v, t2);
            unary(UnaryOp.SCALE, t2, t2, 1.0 - spec.beta2());
            binary(BinaryOp.ADD, v, t2, v);
            unary(UnaryOp.SQRT, v, t2, 0);
            unary(UnaryOp.SHIFT, t2, t2, spec.epsilon());
            unary(UnaryOp.SCALE, m, t1, spec.stepSize());
            binary(BinaryOp.DIV, t1, t2, t1);
            binary(BinaryOp.SUB, param, t1, param);
        } finally {
            s1.release();
            if (s2 != null) {
                s2.release();
            }
        }
    }

    /** Waits until every queued kernel has finished (a no-op on synchronous backends). */
    default void synchronize() {
    }
}

package dev.tessera.cuda.dnn;

import dev.tessera.DType;
import dev.tessera.Shape;
import dev.tessera.backend.Conv2dSpec;
import dev.tessera.backend.Operand;
import dev.tessera.cuda.CudaDevice;
import dev.tessera.cuda.CudaException;
import dev.tessera.cuda.CudaStorage;
import dev.tessera.cuda.alloc.CachingAllocator;
import java.util.HashMap;
import java.util.Map;
import java.util.function.IntUnaryOperator;
import org.bytedeco.cuda.cudnn.cudnnConvolutionBwdDataAlgoPerf_t;
import org.bytedeco.cuda.cudnn.cudnnConvolutionBwdFilterAlgoPerf_t;
import org.bytedeco.cuda.cudnn.cudnnConvolutionFwdAlgoPerf_t;
import org.bytedeco.cuda.cudnn.cudnnConvolutionStruct;
import org.bytedeco.cuda.cudnn.cudnnFilterStruct;
import org.bytedeco.cuda.cudnn.cudnnTensorStruct;
import org.bytedeco.cuda.global.cudnn;
import org.bytedeco.javacpp.DoublePointer;
import org.bytedeco.javacpp.FloatPointer;
import org.bytedeco.javacpp.IntPointer;
import org.bytedeco.javacpp.Pointer;
import org.bytedeco.javacpp.SizeTPointer;

/**
 * cuDNN convolution forward, backward-data and backward-filter for one device. Descriptors and the
 * algorithm of each direction are made once per geometry (the first call of a shape asks cuDNN's
 * heuristics, cudnnGetConvolution*Algorithm_v7, and keeps the best algorithm whose math mode is
 * allowed) and reused; workspaces come from the caching allocator. Staging and padding follow
 * {@link ConvPlan}. With TF32 off (the default) only FMA-math algorithms are accepted for FLOAT32.
 */
public final class Convolutions {
    private static final int REQUESTED_ALGOS = 16;

    private final CudaDevice dev;
    private final Map<ConvPlan, Descriptors> cache = new HashMap<>();
    private final FloatPointer oneF = new FloatPointer(1f);
    private final FloatPointer zeroF = new FloatPointer(0f);
    private final DoublePointer oneD = new DoublePointer(1.0);
    private final DoublePointer zeroD = new DoublePointer(0.0);

    /** Convolutions on {@code dev}'s stream and cuDNN handle. */
    public Convolutions(CudaDevice dev) {
        this.dev = dev;
    }

    /** y = conv2d(x, w): x (N, H, W, C), w (KH, KW, C, O), y (N, OH, OW, O). */
    public void forward(Conv2dSpec spec, Operand x, Operand w, Operand y) {
        ConvPlan p = ConvPlan.of("conv2d", y.dtype(), x.shape(), w.shape(), spec);
        check("conv2d", p, x, w, y);
        check("conv2d", p.outputShape(), y);
        if (empty(y, x, w)) {
            return;
        }
        Descriptors d = descriptors(p);
        Operand xs = stageInput(p, x);
        Operand ws = stageKernel(p, w);
        Operand ys = p.direct(y.layout(), false) ? y : scratch(p, p.outputShape().numel());
        try {
            Algo a = d.forward();
            CachingAllocator.Block work = dev.scratch(a.workspace());
            try {
                CudaException.cudnn("cudnnSetConvolutionMathType", cudnn.cudnnSetConvolutionMathType(d.conv, a.mathType()));
                CudaException.cudnn("cudnnConvolutionForward " + describe(p), cudnn.cudnnConvolutionForward(dev.cudnnHandle,
                        one(p), d.x, ptr(xs), d.w, ptr(ws), d.conv, a.algo(), CudaDevice.at(work.address()), a.workspace(),
                        zero(p), d.y, ptr(ys)));
            } finally {
                dev.release(work);
            }
            if (ys != y) {
                dev.copy(new Operand(ys.storage(), p.stagedOutput()), y);
            }
        } finally {
            releaseStaged(x, xs);
            releaseStaged(w, ws);
            releaseStaged(y, ys);
        }
    }

    /** dx = gradient of conv2d with respect to x, given dy and w; dx is fully written. */
    public void backwardData(Conv2dSpec spec, Operand dy, Operand w, Operand dx) {
        ConvPlan p = ConvPlan.of("conv2dBackwardData", dx.dtype(), dx.shape(), w.shape(), spec);
        check("conv2dBackwardData", p, dx, w, dy);
        check("conv2dBackwardData", p.outputShape(), dy);
        if (empty(dx, dy, w)) {
            return;
        }
        Descriptors d = descriptors(p);
        Operand dys = stageOutput(p, dy);
        Operand ws = stageKernel(p, w);
        boolean direct = p.direct(dx.layout(), p.explicitPadding());
        Operand dxs = direct ? dx : scratch(p, p.stagedInputNumel());
        try {
            Algo a = d.backwardData();
            CachingAllocator.Block work = dev.scratch(a.workspace());
            try {
                CudaException.cudnn("cudnnSetConvolutionMathType", cudnn.cudnnSetConvolutionMathType(d.conv, a.mathType()));
                CudaException.cudnn("cudnnConvolutionBackwardData " + describe(p), cudnn.cudnnConvolutionBackwardData(
                        dev.cudnnHandle, one(p), d.w, ptr(ws), d.y, ptr(dys), d.conv, a.algo(),
                        CudaDevice.at(work.address()), a.workspace(), zero(p), d.x, ptr(dxs)));
            } finally {
                dev.release(work);
            }
            if (!direct) {
                dev.copy(new Operand(dxs.storage(), p.stagedInputInterior()), dx);
            }
        } finally {
            releaseStaged(dy, dys);
            releaseStaged(w, ws);
            releaseStaged(dx, dxs);
        }
    }

    /** dw = gradient of conv2d with respect to w, given x and dy; dw is fully written. */
    public void backwardFilter(Conv2dSpec spec, Operand x, Operand dy, Operand dw) {
        ConvPlan p = ConvPlan.of("conv2dBackwardFilter", dw.dtype(), x.shape(), dw.shape(), spec);
        check("conv2dBackwardFilter", p, x, dw, dy);
        check("conv2dBackwardFilter", p.outputShape(), dy);
        if (empty(dw, x, dy)) {
            return;
        }
        Descriptors d = descriptors(p);
        Operand xs = stageInput(p, x);
        Operand dys = stageOutput(p, dy);
        Operand dws = scratch(p, p.kernelShape().numel());
        try {
            Algo a = d.backwardFilter();
            CachingAllocator.Block work = dev.scratch(a.workspace());
            try {
                CudaException.cudnn("cudnnSetConvolutionMathType", cudnn.cudnnSetConvolutionMathType(d.conv, a.mathType()));
                CudaException.cudnn("cudnnConvolutionBackwardFilter " + describe(p), cudnn.cudnnConvolutionBackwardFilter(
                        dev.cudnnHandle, one(p), d.x, ptr(xs), d.y, ptr(dys), d.conv, a.algo(),
                        CudaDevice.at(work.address()), a.workspace(), zero(p), d.w, ptr(dws)));
            } finally {
                dev.release(work);
            }
            dev.copy(new Operand(dws.storage(), p.stagedKernel()), dw);
        } finally {
            releaseStaged(x, xs);
            releaseStaged(dy, dys);
            dws.storage().release();
        }
    }

    private static void check(String op, ConvPlan p, Operand a, Operand b, Operand c) {
        if (a.dtype() != p.dtype() || b.dtype() != p.dtype() || c.dtype() != p.dtype()) {
            throw new IllegalArgumentException(op + ": dtypes differ — got " + a.dtype() + ", " + b.dtype() + ", "
                    + c.dtype());
        }
    }

    private static void check(String op, Shape expected, Operand o) {
        if (!o.shape().equals(expected)) {
            throw new IllegalArgumentException(op + ": expected output (gradient) shape " + expected + " — got " + o.shape());
        }
    }

    /**
     * Handles empty tensors, which cuDNN's descriptors reject: nothing to write when the result is
     * empty, zeros when an input is (a sum over no terms). Returns whether the call is done.
     */
    private boolean empty(Operand result, Operand in1, Operand in2) {
        if (result.numel() == 0) {
            return true;
        }
        if (in1.numel() == 0 || in2.numel() == 0) {
            dev.fill(result, 0.0);
            return true;
        }
        return false;
    }

    private static String describe(ConvPlan p) {
        return "(x " + p.inputShape() + ", kernel " + p.kernelShape() + ", " + p.spec() + ", " + p.dtype() + ")";
    }

    private Operand scratch(ConvPlan p, long numel) {
        CudaStorage s = dev.temporary(p.dtype(), numel);
        return Operand.contiguous(s, Shape.of(numel));
    }

    /** x as cuDNN reads it: in place when possible, else a (padded) staged copy. */
    private Operand stageInput(ConvPlan p, Operand x) {
        if (p.direct(x.layout(), p.explicitPadding())) {
            return x;
        }
        Operand s = scratch(p, p.stagedInputNumel());
        if (p.explicitPadding()) {
            dev.zero(CudaDevice.address(s), p.stagedInputNumel() * p.dtype().byteSize());
        }
        dev.copy(x, new Operand(s.storage(), p.stagedInputInterior()));
        return s;
    }

    private Operand stageOutput(ConvPlan p, Operand dy) {
        if (p.direct(dy.layout(), false)) {
            return dy;
        }
        Operand s = scratch(p, p.outputShape().numel());
        dev.copy(dy, new Operand(s.storage(), p.stagedOutput()));
        return s;
    }

    private Operand stageKernel(ConvPlan p, Operand w) {
        Operand s = scratch(p, p.kernelShape().numel());
        dev.copy(w, new Operand(s.storage(), p.stagedKernel()));
        return s;
    }

    private static void releaseStaged(Operand original, Operand staged) {
        CudaDevice.releaseIfCopy(original, staged);
    }

    private static Pointer ptr(Operand o) {
        return CudaDevice.at(CudaDevice.address(o));
    }

    private Pointer one(ConvPlan p) {
        return p.dtype() == DType.FLOAT32 ? oneF : oneD;
    }

    private Pointer zero(ConvPlan p) {
        return p.dtype() == DType.FLOAT32 ? zeroF : zeroD;
    }

    private Descriptors descriptors(ConvPlan p) {
        Descriptors d = cache.get(p);
        if (d == null) {
            d = new Descriptors(p);
            cache.put(p, d);
        }
        return d;
    }

    /** cudnnGetConvolution*WorkspaceSize for one direction. */
    @FunctionalInterface
    private interface WorkspaceQuery {
        int query(int algo, SizeTPointer size);
    }

    /** An algorithm with its workspace size and the math type it was chosen for. */
    private record Algo(int algo, long workspace, int mathType) {
    }

    /** The cuDNN descriptors of one geometry and its algorithms, chosen on first use. */
    private final class Descriptors {
        final ConvPlan plan;
        final cudnnTensorStruct x = new cudnnTensorStruct();
        final cudnnTensorStruct y = new cudnnTensorStruct();
        final cudnnFilterStruct w = new cudnnFilterStruct();
        final cudnnConvolutionStruct conv = new cudnnConvolutionStruct();
        private Algo fwd;
        private Algo bwdData;
        private Algo bwdFilter;

        Descriptors(ConvPlan p) {
            plan = p;
            int format = p.nhwc() ? cudnn.CUDNN_TENSOR_NHWC : cudnn.CUDNN_TENSOR_NCHW;
            int type = p.dtype() == DType.FLOAT32 ? cudnn.CUDNN_DATA_FLOAT : cudnn.CUDNN_DATA_DOUBLE;
            CudaException.cudnn("cudnnCreateTensorDescriptor", cudnn.cudnnCreateTensorDescriptor(x));
            CudaException.cudnn("cudnnCreateTensorDescriptor", cudnn.cudnnCreateTensorDescriptor(y));
            CudaException.cudnn("cudnnCreateFilterDescriptor", cudnn.cudnnCreateFilterDescriptor(w));
            CudaException.cudnn("cudnnCreateConvolutionDescriptor", cudnn.cudnnCreateConvolutionDescriptor(conv));
            CudaException.cudnn("cudnnSetTensor4dDescriptor(x) " + describe(p), cudnn.cudnnSetTensor4dDescriptor(x, format,
                    type, i(p.n()), i(p.c()), i(p.paddedH()), i(p.paddedW())));
            CudaException.cudnn("cudnnSetTensor4dDescriptor(y) " + describe(p), cudnn.cudnnSetTensor4dDescriptor(y, format,
                    type, i(p.n()), i(p.o()), i(p.oh()), i(p.ow())));
            CudaException.cudnn("cudnnSetFilter4dDescriptor " + describe(p), cudnn.cudnnSetFilter4dDescriptor(w, type,
                    format, i(p.o()), i(p.c()), i(p.kh()), i(p.kw())));
            Conv2dSpec s = p.spec();
            CudaException.cudnn("cudnnSetConvolution2dDescriptor " + describe(p), cudnn.cudnnSetConvolution2dDescriptor(conv,
                    p.padH(), p.padW(), s.strideH(), s.strideW(), s.dilationH(), s.dilationW(),
                    cudnn.CUDNN_CROSS_CORRELATION, type));
            CudaException.cudnn("cudnnSetConvolutionMathType", cudnn.cudnnSetConvolutionMathType(conv, allowedMath()));
            IntPointer on = new IntPointer(1);
            IntPointer oc = new IntPointer(1);
            IntPointer ohp = new IntPointer(1);
            IntPointer owp = new IntPointer(1);
            CudaException.cudnn("cudnnGetConvolution2dForwardOutputDim", cudnn.cudnnGetConvolution2dForwardOutputDim(conv, x,
                    w, on, oc, ohp, owp));
            if (on.get() != p.n() || oc.get() != p.o() || ohp.get() != p.oh() || owp.get() != p.ow()) {
                throw new IllegalStateException("conv2d: cuDNN computes output (" + on.get() + ", " + ohp.get() + ", "
                        + owp.get() + ", " + oc.get() + ") but the spec gives " + p.outputShape() + " " + describe(p));
            }
        }

        private int allowedMath() {
            return plan.dtype() == DType.FLOAT32 && dev.tf32 ? cudnn.CUDNN_TENSOR_OP_MATH : cudnn.CUDNN_FMA_MATH;
        }

        /** Whether an algorithm's math type is allowed: with TF32 off, FLOAT32 may not use tensor-op math. */
        private boolean allowed(int mathType) {
            return dev.tf32 || plan.dtype() != DType.FLOAT32
                    || mathType != cudnn.CUDNN_TENSOR_OP_MATH && mathType != cudnn.CUDNN_TENSOR_OP_MATH_ALLOW_CONVERSION;
        }

        /**
         * The math type to run an algorithm with. NOTE: cuDNN's DEFAULT_MATH lets FLOAT32 convolutions use
         * TF32 tensor cores on Ampere and later, so with TF32 off FMA_MATH is forced.
         */
        private int mathFor(int suggested) {
            return plan.dtype() == DType.FLOAT32 && !dev.tf32 ? cudnn.CUDNN_FMA_MATH : suggested;
        }

        Algo forward() {
            if (fwd == null) {
                cudnnConvolutionFwdAlgoPerf_t perf = new cudnnConvolutionFwdAlgoPerf_t(REQUESTED_ALGOS);
                IntPointer n = new IntPointer(1);
                CudaException.cudnn("cudnnGetConvolutionForwardAlgorithm_v7 " + describe(plan),
                        cudnn.cudnnGetConvolutionForwardAlgorithm_v7(dev.cudnnHandle, x, w, conv, y, REQUESTED_ALGOS, n, perf));
                fwd = choose("forward", n.get(), k -> perf.getPointer(k).algo(), k -> perf.getPointer(k).status(),
                        k -> perf.getPointer(k).mathType(), (algo, size) -> cudnn.cudnnGetConvolutionForwardWorkspaceSize(
                                dev.cudnnHandle, x, w, conv, y, algo, size));
            }
            return fwd;
        }

        Algo backwardData() {
            if (bwdData == null) {
                cudnnConvolutionBwdDataAlgoPerf_t perf = new cudnnConvolutionBwdDataAlgoPerf_t(REQUESTED_ALGOS);
                IntPointer n = new IntPointer(1);
                CudaException.cudnn("cudnnGetConvolutionBackwardDataAlgorithm_v7 " + describe(plan),
                        cudnn.cudnnGetConvolutionBackwardDataAlgorithm_v7(dev.cudnnHandle, w, y, conv, x, REQUESTED_ALGOS, n,
                                perf));
                bwdData = choose("backward-data", n.get(), k -> perf.getPointer(k).algo(), k -> perf.getPointer(k).status(),
                        k -> perf.getPointer(k).mathType(), (algo, size) -> cudnn.cudnnGetConvolutionBackwardDataWorkspaceSize(
                                dev.cudnnHandle, w, y, conv, x, algo, size));
            }
            return bwdData;
        }

        Algo backwardFilter() {
            if (bwdFilter == null) {
                cudnnConvolutionBwdFilterAlgoPerf_t perf = new cudnnConvolutionBwdFilterAlgoPerf_t(REQUESTED_ALGOS);
                IntPointer n = new IntPointer(1);
                CudaException.cudnn("cudnnGetConvolutionBackwardFilterAlgorithm_v7 " + describe(plan),
                        cudnn.cudnnGetConvolutionBackwardFilterAlgorithm_v7(dev.cudnnHandle, x, y, conv, w, REQUESTED_ALGOS, n,
                                perf));
                bwdFilter = choose("backward-filter", n.get(), k -> perf.getPointer(k).algo(),
                        k -> perf.getPointer(k).status(), k -> perf.getPointer(k).mathType(),
                        (algo, size) -> cudnn.cudnnGetConvolutionBackwardFilterWorkspaceSize(dev.cudnnHandle, x, y, conv, w,
                                algo, size));
            }
            return bwdFilter;
        }

        /**
         * The first of cuDNN's ranked results (fastest first) that succeeded and whose math type is
         * allowed, with its workspace size under the math type it will run with.
         */
        private Algo choose(String direction, int count, IntUnaryOperator algoAt, IntUnaryOperator statusAt,
                            IntUnaryOperator mathAt, WorkspaceQuery workspace) {
            for (int k = 0; k < count; k++) {
                if (statusAt.applyAsInt(k) != cudnn.CUDNN_STATUS_SUCCESS || !allowed(mathAt.applyAsInt(k))) {
                    continue;
                }
                int math = mathFor(mathAt.applyAsInt(k));
                int algo = algoAt.applyAsInt(k);
                SizeTPointer size = new SizeTPointer(1);
                CudaException.cudnn("cudnnSetConvolutionMathType", cudnn.cudnnSetConvolutionMathType(conv, math));
                CudaException.cudnn("cudnnGetConvolution workspace size (" + direction + ", algo " + algo + ")",
                        workspace.query(algo, size));
                return new Algo(algo, size.get(), math);
            }
            throw new CudaException("cuDNN offers no usable " + direction + " algorithm for " + describe(plan)
                    + (dev.tf32 ? "" : " with FMA math (TF32 off)"));
        }
    }

    private static int i(long v) {
        return Math.toIntExact(v);
    }
}

package dev.tessera.cuda;

import dev.tessera.DType;
import dev.tessera.Device;
import dev.tessera.Shape;
import dev.tessera.backend.Backend;
import dev.tessera.backend.BinaryOp;
import dev.tessera.backend.Conv2dSpec;
import dev.tessera.backend.Operand;
import dev.tessera.backend.PoolSpec;
import dev.tessera.backend.RandomOp;
import dev.tessera.backend.ReduceOp;
import dev.tessera.backend.Storage;
import dev.tessera.backend.UnaryOp;
import dev.tessera.cuda.alloc.CachingAllocator;
import dev.tessera.cuda.dnn.Convolutions;
import dev.tessera.cuda.dnn.Softmax;
import dev.tessera.cuda.kernel.Strided;
import java.util.Locale;

/**
 * The {@link Backend} of one CUDA device: cuBLAS for GEMM, cuDNN for convolutions and softmax, our
 * NVRTC-compiled kernels (src/main/resources/dev/tessera/cuda/kernels) for everything else, all queued
 * in order on the device's single stream. Calls are serialised (one launch argument block, one
 * stream); copies to the host wait for the stream. TF32 is off unless the system property
 * {@code tessera.cuda.tf32=true} is set when the device is opened.
 */
public final class CudaBackend implements Backend {
    private final CudaDevice dev;
    private final Gemm gemm;
    private final Convolutions convolutions;
    private final Softmax softmax;

    CudaBackend(int index) {
        this.dev = new CudaDevice(index, Boolean.getBoolean("tessera.cuda.tf32"));
        this.gemm = new Gemm(dev);
        this.convolutions = new Convolutions(dev);
        this.softmax = new Softmax(dev);
    }

    @Override
    public String name() {
        return "cuda";
    }

    @Override
    public Device device() {
        return dev.device;
    }

    /** The device's resources (stream, handles, kernel cache); for this package's tests. */
    CudaDevice cudaDevice() {
        return dev;
    }

    /** The device's caching allocator (statistics: bytes in use and cached). */
    public CachingAllocator allocator() {
        return dev.allocator;
    }

    /** Frees the device memory the allocator keeps cached for reuse. */
    public synchronized void emptyCache() {
        dev.makeCurrent();
        dev.synchronize("emptyCache");
        dev.allocator.emptyCache();
    }

    /** Whether TF32 tensor-core math is on for FLOAT32 GEMMs and convolutions. */
    public boolean tf32() {
        return dev.tf32;
    }

    /** The device's compute capability, e.g. "9.0" for an H100. */
    public String computeCapability() {
        return dev.ccMajor + "." + dev.ccMinor;
    }

    private void enter(Operand... ops) {
        for (Operand o : ops) {
            CudaStorage s = CudaDevice.storage(o);
            if (!s.device().equals(dev.device)) {
                throw new IllegalArgumentException("cuda: operand lives on " + s.device() + ", this backend on " + dev.device);
            }
            if (!s.isLive()) {
                throw new IllegalStateException("cuda: operand storage was already released");
            }
        }
        dev.makeCurrent();
    }

    private static void sameDtype(String op, DType want, Operand... ops) {
        for (Operand o : ops) {
            if (o.dtype() != want) {
                throw new IllegalArgumentException(op + ": dtypes differ — got " + o.dtype() + ", expected " + want);
            }
        }
    }

    private static void floating(String op, Operand o) {
        if (!o.dtype().isFloating()) {
            throw new IllegalArgumentException(op + ": needs FLOAT32 or FLOAT64 — got " + o.dtype());
        }
    }

    @Override
    public synchronized Storage allocate(DType dtype, long numel) {
        dev.makeCurrent();
        return CudaStorage.allocate(dtype, numel, dev.device, dev.allocator);
    }

    @Override
    public synchronized void copyFromHost(Object array, Storage dst) {
        CudaStorage s = CudaDevice.storage(dst);
        checkHostArray("copyFromHost", array, s);
        dev.makeCurrent();
        dev.upload(array, s.address(), s.dtype());
    }

    @Override
    public synchronized void copyToHost(Storage src, Object array) {
        CudaStorage s = CudaDevice.storage(src);
        checkHostArray("copyToHost", array, s);
        dev.makeCurrent();
        dev.download(s.address(), array, s.dtype());
    }

    private static void checkHostArray(String op, Object array, CudaStorage s) {
        Class<?> want = switch (s.dtype()) {
            case FLOAT32 -> float[].class;
            case FLOAT64 -> double[].class;
            case INT32 -> int[].class;
            case INT64 -> long[].class;
        };
        if (array == null || array.getClass() != want) {
            throw new IllegalArgumentException(op + ": a " + s.dtype() + " storage needs a " + want.getSimpleName()
                    + " — got " + (array == null ? "null" : array.getClass().getSimpleName()));
        }
        int n = java.lang.reflect.Array.getLength(array);
        if (n > s.numel()) {
            throw new IllegalArgumentException(op + ": array of " + n + " elements is longer than the storage's "
                    + s.numel());
        }
    }

    @Override
    public synchronized void copy(Operand src, Operand dst) {
        enter(src, dst);
        dev.copy(src, dst);
    }

    @Override
    public synchronized void fill(Operand dst, double value) {
        enter(dst);
        dev.fill(dst, value);
    }

    @Override
    public synchronized void unary(UnaryOp op, Operand x, Operand out, double alpha) {
        enter(x, out);
        sameDtype(op.kernel(), out.dtype(), x);
        Strided s = CudaDevice.strided(op.kernel(), x, out);
        dev.args.reset().shape(s.dims());
        dev.operand(s, 0, x);
        dev.operand(s, 1, out).f64(alpha);
        dev.launch("unary", "unary_" + op.kernel() + "_" + CudaDevice.suffix(out.dtype()), s.numel());
    }

    @Override
    public synchronized void binary(BinaryOp op, Operand a, Operand b, Operand out) {
        enter(a, b, out);
        sameDtype(op.kernel(), out.dtype(), a, b);
        Strided s = CudaDevice.strided(op.kernel(), a, b, out);
        dev.args.reset().shape(s.dims());
        dev.operand(s, 0, a);
        dev.operand(s, 1, b);
        dev.operand(s, 2, out);
        dev.launch("binary", "binary_" + op.kernel() + "_" + CudaDevice.suffix(out.dtype()), s.numel());
    }

    @Override
    public synchronized void where(Operand cond, Operand a, Operand b, Operand out) {
        enter(cond, a, b, out);
        sameDtype("where", out.dtype(), a, b);
        Strided s = CudaDevice.strided("where", cond, a, b, out);
        dev.args.reset().shape(s.dims());
        for (int k = 0; k < 4; k++) {
            dev.operand(s, k, new Operand[] {cond, a, b, out}[k]);
        }
        dev.launch("binary", "binary_where_" + CudaDevice.suffix(out.dtype()) + "_" + CudaDevice.suffix(cond.dtype()),
                s.numel());
    }

    @Override
    public synchronized void reduce(ReduceOp op, Operand x, int[] axes, Operand out) {
        enter(x, out);
        String name = op.kernel();
        if (op.isArg()) {
            if (axes.length != 1 || out.dtype() != DType.INT64) {
                throw new IllegalArgumentException(name + ": takes one axis and writes INT64 — got axes "
                        + java.util.Arrays.toString(axes) + ", output " + out.dtype());
            }
        } else {
            sameDtype(name, x.dtype(), out);
        }
        int rank = x.rank();
        boolean[] reduced = new boolean[rank];
        for (int a : axes) {
            if (a < 0 || a >= rank || reduced[a]) {
                throw new IllegalArgumentException(name + ": axes must be distinct and within rank " + rank + " — got "
                        + java.util.Arrays.toString(axes));
            }
            reduced[a] = true;
        }
        if (out.rank() != rank) {
            throw new IllegalArgumentException(name + ": output must keep the input's rank — got " + out.shape() + " for "
                    + x.shape());
        }
        int nOuter = rank - axes.length;
        long[] outerDims = new long[nOuter];
        long[] xOuter = new long[nOuter];
        long[] yOuter = new long[nOuter];
        long[] innerDims = new long[axes.length];
        long[] xInner = new long[axes.length];
        int o = 0;
        int r = 0;
        for (int d = 0; d < rank; d++) {
            long dim = x.shape().dim(d);
            if (reduced[d]) {
                if (out.shape().dim(d) != 1) {
                    throw new IllegalArgumentException(name + ": reduced axis " + d + " must have size 1 in the output — got "
                            + out.shape() + " for " + x.shape());
                }
                innerDims[r] = dim;
                xInner[r++] = x.layout().stride(d);
            } else {
                if (out.shape().dim(d) != dim) {
                    throw new IllegalArgumentException(name + ": output " + out.shape() + " does not match input " + x.shape()
                            + " on axis " + d);
                }
                outerDims[o] = dim;
                xOuter[o] = x.layout().stride(d);
                yOuter[o++] = out.layout().stride(d);
            }
        }
        Strided outer = Strided.of(Shape.of(outerDims), new long[][] {xOuter, yOuter},
                new long[] {x.layout().offset(), out.layout().offset()}).coalesce().requireKernelRank(name);
        Strided inner = Strided.of(Shape.of(innerDims), new long[][] {xInner}, new long[] {0}).coalesce()
                .requireKernelRank(name);
        long outputs = outer.numel();
        if (outputs == 0) {
            return;
        }
        int threads = 32;
        while (threads < 256 && threads < inner.numel()) {
            threads *= 2;
        }
        dev.args.reset().shape(outer.dims()).strides(outer.offset(0), outer.strides(0))
                .strides(outer.offset(1), outer.strides(1)).shape(inner.dims()).strides(0, inner.strides(0))
                .ptr(CudaDevice.storage(x).address()).ptr(CudaDevice.storage(out).address());
        dev.launchBlocks("reduce", "reduce_" + name + "_" + CudaDevice.suffix(x.dtype()), outputs, threads);
    }

    @Override
    public synchronized void gemm(Operand a, Operand b, Operand out) {
        enter(a, b, out);
        gemm.run(a, b, out);
    }

    @Override
    public synchronized void conv2d(Conv2dSpec spec, Operand x, Operand w, Operand y) {
        enter(x, w, y);
        convolutions.forward(spec, x, w, y);
    }

    @Override
    public synchronized void conv2dBackwardData(Conv2dSpec spec, Operand dy, Operand w, Operand dx) {
        enter(dy, w, dx);
        convolutions.backwardData(spec, dy, w, dx);
    }

    @Override
    public synchronized void conv2dBackwardFilter(Conv2dSpec spec, Operand x, Operand dy, Operand dw) {
        enter(x, dy, dw);
        convolutions.backwardFilter(spec, x, dy, dw);
    }

    @Override
    public synchronized void pool2d(PoolSpec spec, Operand x, Operand y) {
        enter(x, y);
        long[] geometry = poolGeometry("pool2d", spec, x, y);
        contiguousOutput("pool2d", y);
        Operand xs = dev.contiguous(x);
        try {
            dev.args.reset().longs(geometry).ptr(CudaDevice.address(xs)).ptr(CudaDevice.address(y));
            dev.launch("pool", "pool_" + spec.kind().name().toLowerCase(Locale.ROOT) + "_" + CudaDevice.suffix(y.dtype()),
                    y.numel());
        } finally {
            CudaDevice.releaseIfCopy(x, xs);
        }
    }

    @Override
    public synchronized void pool2dBackward(PoolSpec spec, Operand x, Operand y, Operand dy, Operand dx) {
        enter(x, y, dy, dx);
        long[] geometry = poolGeometry("pool2dBackward", spec, dx, dy);
        contiguousOutput("pool2dBackward", dx);
        sameDtype("pool2dBackward", dx.dtype(), x, dy);
        if (!x.shape().equals(dx.shape())) {
            throw new IllegalArgumentException("pool2dBackward: x " + x.shape() + " differs from dx " + dx.shape());
        }
        dev.zero(CudaDevice.address(dx), dx.numel() * dx.dtype().byteSize());
        Operand dys = dev.contiguous(dy);
        Operand xs = spec.kind() == PoolSpec.Kind.MAX ? dev.contiguous(x) : x;
        try {
            dev.args.reset().longs(geometry);
            if (spec.kind() == PoolSpec.Kind.MAX) {
                dev.args.ptr(CudaDevice.address(xs));
            }
            dev.args.ptr(CudaDevice.address(dys)).ptr(CudaDevice.address(dx));
            dev.launch("pool", "pool_" + spec.kind().name().toLowerCase(Locale.ROOT) + "_backward_"
                    + CudaDevice.suffix(dx.dtype()), dy.numel());
        } finally {
            CudaDevice.releaseIfCopy(dy, dys);
            CudaDevice.releaseIfCopy(x, xs);
        }
    }

    /** TsPool's fields for input {@code in} (N, H, W, C) and output {@code out} (N, OH, OW, C); checks shapes. */
    private static long[] poolGeometry(String op, PoolSpec spec, Operand in, Operand out) {
        floating(op, in);
        sameDtype(op, in.dtype(), out);
        if (in.rank() != 4 || out.rank() != 4) {
            throw new IllegalArgumentException(op + ": expected NHWC input and output — got " + in.shape() + " and "
                    + out.shape());
        }
        Shape s = in.shape();
        Shape expected = Shape.of(s.dim(0), spec.outH(s.dim(1)), spec.outW(s.dim(2)), s.dim(3));
        if (!out.shape().equals(expected)) {
            throw new IllegalArgumentException(op + ": output shape " + out.shape() + " does not match " + expected
                    + " for input " + s + " and " + spec);
        }
        return new long[] {s.dim(0), s.dim(1), s.dim(2), s.dim(3), expected.dim(1), expected.dim(2), spec.kernelH(),
            spec.kernelW(), spec.strideH(), spec.strideW(), spec.padTop(), spec.padLeft()};
    }

    private static void contiguousOutput(String op, Operand out) {
        if (!out.layout().isContiguous()) {
            throw new IllegalArgumentException(op + ": the output must be contiguous — got " + out.layout());
        }
    }

    @Override
    public synchronized void batchNorm(Operand x, Operand mean, Operand invStd, Operand scale, Operand bias, Operand y) {
        enter(x, mean, invStd, scale, bias, y);
        floating("batchNorm", x);
        sameDtype("batchNorm", x.dtype(), mean, invStd, scale, bias, y);
        long c = channels("batchNorm", x, mean, invStd, scale, bias);
        Strided s = CudaDevice.strided("batchNorm", x, y);
        if (s.numel() == 0) {
            return;
        }
        Operand[] vec = {mean, invStd, scale, bias};
        Operand[] cv = contiguous(vec);
        try {
            dev.args.reset().shape(s.dims());
            dev.operand(s, 0, x);
            for (Operand v : cv) {
                dev.args.ptr(CudaDevice.address(v));
            }
            dev.operand(s, 1, y).i64(c);
            dev.launch("norm", "norm_batch_forward_" + CudaDevice.suffix(x.dtype()), s.numel());
        } finally {
            release(vec, cv);
        }
    }

    @Override
    public synchronized void batchNormBackward(Operand x, Operand dy, Operand mean, Operand invStd, Operand scale,
                                               boolean training, Operand dx, Operand dScale, Operand dBias) {
        enter(x, dy, mean, invStd, scale, dx, dScale, dBias);
        floating("batchNormBackward", x);
        sameDtype("batchNormBackward", x.dtype(), dy, mean, invStd, scale, dx, dScale, dBias);
        long c = channels("batchNormBackward", x, mean, invStd, scale, dScale, dBias);
        contiguousOutput("batchNormBackward", dScale);
        contiguousOutput("batchNormBackward", dBias);
        Strided s = CudaDevice.strided("batchNormBackward", x, dy, dx);
        long rows = c == 0 ? 0 : x.numel() / c;
        String sfx = CudaDevice.suffix(x.dtype());
        Operand[] vec = {mean, invStd, scale};
        Operand[] cv = contiguous(vec);
        try {
            if (rows == 0) {
                dev.fill(dScale, 0.0);
                dev.fill(dBias, 0.0);
                return;
            }
            dev.args.reset().shape(s.dims());
            dev.operand(s, 0, x);
            dev.operand(s, 1, dy).ptr(CudaDevice.address(cv[0])).ptr(CudaDevice.address(cv[1]))
                    .ptr(CudaDevice.address(dScale)).ptr(CudaDevice.address(dBias)).i64(rows).i64(c);
            dev.launchBlocks("norm", "norm_batch_param_grads_" + sfx, c, 256);
            dev.args.reset().shape(s.dims());
            dev.operand(s, 0, x);
            dev.operand(s, 1, dy);
            dev.args.ptr(CudaDevice.address(cv[0])).ptr(CudaDevice.address(cv[1])).ptr(CudaDevice.address(cv[2]))
                    .ptr(CudaDevice.address(dScale)).ptr(CudaDevice.address(dBias));
            dev.operand(s, 2, dx).i64(rows).i64(c).i32(training ? 1 : 0);
            dev.launch("norm", "norm_batch_input_grad_" + sfx, s.numel());
        } finally {
            release(vec, cv);
        }
    }

    /** The channel count C of channels-last x; every vector must have shape (C). */
    private static long channels(String op, Operand x, Operand... vectors) {
        if (x.rank() == 0) {
            throw new IllegalArgumentException(op + ": x must have a channel axis — got " + x.shape());
        }
        long c = x.shape().dim(x.rank() - 1);
        for (Operand v : vectors) {
            if (!v.shape().equals(Shape.of(c))) {
                throw new IllegalArgumentException(op + ": per-channel operands must have shape (" + c + ",) — got "
                        + v.shape() + " for x " + x.shape());
            }
        }
        return c;
    }

    private Operand[] contiguous(Operand[] ops) {
        Operand[] c = new Operand[ops.length];
        for (int k = 0; k < ops.length; k++) {
            c[k] = dev.contiguous(ops[k]);
        }
        return c;
    }

    private static void release(Operand[] originals, Operand[] copies) {
        for (int k = 0; k < originals.length; k++) {
            if (copies[k] != null) {
                CudaDevice.releaseIfCopy(originals[k], copies[k]);
            }
        }
    }

    @Override
    public synchronized void softmax(Operand x, boolean log, Operand y) {
        enter(x, y);
        softmax.forward(x, log, y);
    }

    @Override
    public synchronized void gather(Operand x, int axis, Operand index, Operand out) {
        enter(x, index, out);
        sameDtype("gather", x.dtype(), out);
        checkIndex("gather", x, axis, index);
        if (!index.shape().equals(out.shape())) {
            throw new IllegalArgumentException("gather: output shape " + out.shape() + " differs from index shape "
                    + index.shape());
        }
        long[] xs = x.layout().strides();
        long step = xs[axis];
        xs[axis] = 0;
        indexed("gather", "indexing_gather_", index, x, xs, step, x.shape().dim(axis), out, out.layout().strides());
    }

    @Override
    public synchronized void scatterAdd(Operand src, int axis, Operand index, Operand out) {
        enter(src, index, out);
        sameDtype("scatterAdd", out.dtype(), src);
        checkIndex("scatterAdd", out, axis, index);
        if (!index.shape().equals(src.shape())) {
            throw new IllegalArgumentException("scatterAdd: source shape " + src.shape() + " differs from index shape "
                    + index.shape());
        }
        long[] os = out.layout().strides();
        long step = os[axis];
        os[axis] = 0;
        indexed("scatterAdd", "indexing_scatter_add_", index, src, src.layout().strides(), step, out.shape().dim(axis),
                out, os);
    }

    /**
     * Launches an indexing kernel over index's shape with operands (index, a, b); the operand whose
     * axis is indexed has a 0 stride there and its real step is {@code axisStep}. Then throws if a
     * kernel thread met an index outside [0, axisLen).
     */
    private void indexed(String op, String prefix, Operand index, Operand a, long[] aStrides, long axisStep, long axisLen,
                         Operand b, long[] bStrides) {
        Strided s = Strided.of(index.shape(), new long[][] {index.layout().strides(), aStrides, bStrides},
                new long[] {index.layout().offset(), a.layout().offset(), b.layout().offset()}).coalesce()
                .requireKernelRank(op);
        if (s.numel() == 0) {
            return;
        }
        dev.args.reset().shape(s.dims());
        dev.operand(s, 0, index);
        dev.operand(s, 1, a).i64(axisStep).i64(axisLen);
        dev.operand(s, 2, b).ptr(dev.clearedErrorWord());
        dev.launch("indexing", prefix + CudaDevice.suffix(b.dtype()) + "_" + CudaDevice.suffix(index.dtype()), s.numel());
        dev.checkIndexError(op, axisLen);
    }

    private static void checkIndex(String op, Operand x, int axis, Operand index) {
        if (index.dtype() != DType.INT32 && index.dtype() != DType.INT64) {
            throw new IllegalArgumentException(op + ": index must be INT32 or INT64 — got " + index.dtype());
        }
        if (axis < 0 || axis >= x.rank() || index.rank() != x.rank()) {
            throw new IllegalArgumentException(op + ": axis " + axis + " and index " + index.shape()
                    + " must fit the rank of " + x.shape());
        }
        for (int d = 0; d < x.rank(); d++) {
            if (d != axis && index.shape().dim(d) > x.shape().dim(d)) {
                throw new IllegalArgumentException(op + ": index " + index.shape() + " is larger than " + x.shape()
                        + " on axis " + d);
            }
        }
    }

    @Override
    public synchronized void random(RandomOp op, long seed, long counter, double a, double b, Operand out) {
        enter(out);
        floating("random", out);
        Strided s = CudaDevice.strided("random", out);
        if (s.numel() == 0) {
            return;
        }
        dev.args.reset().shape(s.dims());
        dev.operand(s, 0, out).i64(seed).i64(counter).f64(a).f64(b);
        dev.launch("random", "random_" + op.name().toLowerCase(Locale.ROOT) + "_" + CudaDevice.suffix(out.dtype()),
                s.numel());
    }

    @Override
    public synchronized void synchronize() {
        dev.makeCurrent();
        dev.synchronize("synchronize");
    }

    @Override
    public String toString() {
        return "CudaBackend[" + dev.device + ", sm_" + dev.ccMajor + dev.ccMinor + ", tf32=" + dev.tf32 + ", "
                + dev.allocator + "]";
    }
}

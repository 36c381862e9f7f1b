package dev.tessera.cpu;

import dev.tessera.DType;
import dev.tessera.Device;
import dev.tessera.backend.AdamSpec;
import dev.tessera.backend.Backend;
import dev.tessera.backend.BinaryOp;
import dev.tessera.backend.Conv2dSpec;
import dev.tessera.backend.Operand;
import dev.tessera.backend.PoolSpec;
import dev.tessera.backend.RandomOp;
import dev.tessera.backend.ReduceOp;
import dev.tessera.backend.Storage;
import dev.tessera.backend.UnaryOp;
import dev.tessera.cpu.kernel.AdamKernel;
import dev.tessera.cpu.kernel.BatchNorm;
import dev.tessera.cpu.kernel.BinaryKernels;
import dev.tessera.cpu.kernel.Blas;
import dev.tessera.cpu.kernel.Conv2d;
import dev.tessera.cpu.kernel.CopyKernels;
import dev.tessera.cpu.kernel.Gather;
import dev.tessera.cpu.kernel.Gemm;
import dev.tessera.cpu.kernel.Mem;
import dev.tessera.cpu.kernel.Parallel;
import dev.tessera.cpu.kernel.Pool2d;
import dev.tessera.cpu.kernel.RandomFill;
import dev.tessera.cpu.kernel.Reduce;
import dev.tessera.cpu.kernel.Softmax;
import dev.tessera.cpu.kernel.UnaryKernels;

/**
 * The host backend: off-heap 64-byte aligned storage, OpenBLAS for GEMM and convolution, and Java
 * kernels (vectorised C++ loops for the hot float32 element-wise ops and row reductions) split over
 * a shared thread pool. Thread count: system property {@code tessera.cpu.threads} (default: all
 * processors) or {@link #setThreads}; results are bit-identical for every count.
 */
public final class CpuBackend implements Backend {
    private static final CpuBackend INSTANCE = new CpuBackend();

    private CpuBackend() {
    }

    /** The single CPU backend; fails with the reason if OpenBLAS cannot be loaded. */
    public static CpuBackend instance() {
        String err = Blas.loadError();
        if (err != null) {
            throw new IllegalStateException("cpu: " + err);
        }
        return INSTANCE;
    }

    /** Threads used by kernels and by OpenBLAS. */
    public static int threads() {
        return Parallel.threads();
    }

    /** Sets the threads used by element-wise kernels and by OpenBLAS. */
    public static void setThreads(int n) {
        Parallel.setThreads(n);
        Blas.setThreads(n);
    }

    @Override
    public String name() {
        return "cpu";
    }

    @Override
    public Device device() {
        return Device.cpu();
    }

    @Override
    public Storage allocate(DType dtype, long numel) {
        return CpuStorage.allocate(dtype, numel);
    }

    @Override
    public void copyFromHost(Object array, Storage dst) {
        HostCopy.fromHost(array, Mem.storage("copyFromHost", dst));
    }

    @Override
    public void copyToHost(Storage src, Object array) {
        HostCopy.toHost(Mem.storage("copyToHost", src), array);
    }

    @Override
    public void copy(Operand src, Operand dst) {
        CopyKernels.copy(src, dst);
    }

    @Override
    public void fill(Operand dst, double value) {
        CopyKernels.fill(dst, value);
    }

    @Override
    public void unary(UnaryOp op, Operand x, Operand out, double alpha) {
        UnaryKernels.unary(op, x, out, alpha);
    }

    @Override
    public void binary(BinaryOp op, Operand a, Operand b, Operand out) {
        BinaryKernels.binary(op, a, b, out);
    }

    @Override
    public void where(Operand cond, Operand a, Operand b, Operand out) {
        CopyKernels.where(cond, a, b, out);
    }

    @Override
    public void reduce(ReduceOp op, Operand x, int[] axes, Operand out) {
        Reduce.reduce(op, x, axes, out);
    }

    @Override
    public void gemm(Operand a, Operand b, Operand out) {
        Gemm.gemm(a, b, out);
    }

    @Override
    public void conv2d(Conv2dSpec spec, Operand x, Operand w, Operand y) {
        Conv2d.forward(spec, x, w, y);
    }

    @Override
    public void conv2dBackwardData(Conv2dSpec spec, Operand dy, Operand w, Operand dx) {
        Conv2d.backwardData(spec, dy, w, dx);
    }

    @Override
    public void conv2dBackwardFilter(Conv2dSpec spec, Operand x, Operand dy, Operand dw) {
        Conv2d.backwardFilter(spec, x, dy, dw);
    }

    @Override
    public void pool2d(PoolSpec spec, Operand x, Operand y) {
        Pool2d.forward(spec, x, y);
    }

    @Override
    public void pool2dBackward(PoolSpec spec, Operand x, Operand y, Operand dy, Operand dx) {
        Pool2d.backward(spec, x, y, dy, dx);
    }

    @Override
    public void batchNorm(Operand x, Operand mean, Operand invStd, Operand scale, Operand bias, Operand y) {
        BatchNorm.forward(x, mean, invStd, scale, bias, y);
    }

    @Override
    public void batchNormBackward(Operand x, Operand dy, Operand mean, Operand invStd, Operand scale, boolean training,
                                  Operand dx, Operand dScale, Operand dBias) {
        BatchNorm.backward(x, dy, mean, invStd, scale, training, dx, dScale, dBias);
    }

    @Override
    public void softmax(Operand x, boolean log, Operand y) {
        Softmax.softmax(x, log, y);
    }

    @Override
    public void gather(Operand x, int axis, Operand index, Operand out) {
        Gather.gather(x, axis, index, out);
    }

    @Override
    public void scatterAdd(Operand src, int axis, Operand index, Operand out) {
        Gather.scatterAdd(src, axis, index, out);
    }

    @Override
    public void adamUpdate(AdamSpec spec, Operand param, Operand grad, Operand m, Operand v) {
        if (!AdamKernel.update(spec, param, grad, m, v)) {
            Backend.super.adamUpdate(spec, param, grad, m, v);
        }
    }

    @Override
    public void random(RandomOp op, long seed, long counter, double a, double b, Operand out) {
        RandomFill.random(op, seed, counter, a, b, out);
    }
}

package dev.tessera.cuda;

import dev.tessera.DType;
import dev.tessera.Layout;
import dev.tessera.Shape;
import dev.tessera.backend.Operand;
import org.bytedeco.cuda.global.cublas;
import org.bytedeco.javacpp.DoublePointer;
import org.bytedeco.javacpp.FloatPointer;

/** Batched GEMM on one device through cublasSgemmStridedBatched / cublasDgemmStridedBatched (see {@link GemmPlan}). */
final class Gemm {
    private final CudaDevice dev;
    private final FloatPointer oneF = new FloatPointer(1f);
    private final FloatPointer zeroF = new FloatPointer(0f);
    private final DoublePointer oneD = new DoublePointer(1.0);
    private final DoublePointer zeroD = new DoublePointer(0.0);

    Gemm(CudaDevice dev) {
        this.dev = dev;
    }

    /** out[b] = a[b] x b[b]: a (B, M, K), b (B, K, N), out (B, M, N) contiguous; a batch stride may be 0. */
    void run(Operand a, Operand b, Operand out) {
        DType dt = out.dtype();
        if (dt != DType.FLOAT32 && dt != DType.FLOAT64) {
            throw new IllegalArgumentException("gemm: cuBLAS takes FLOAT32 or FLOAT64 — got " + dt);
        }
        if (a.dtype() != dt || b.dtype() != dt) {
            throw new IllegalArgumentException("gemm: dtypes differ — got " + a.dtype() + ", " + b.dtype() + " -> " + dt);
        }
        if (a.rank() != 3 || b.rank() != 3 || out.rank() != 3) {
            throw new IllegalArgumentException("gemm: operands must be (B, M, K), (B, K, N), (B, M, N) — got "
                    + a.shape() + ", " + b.shape() + ", " + out.shape());
        }
        long batch = out.shape().dim(0);
        long m = out.shape().dim(1);
        long n = out.shape().dim(2);
        long k = a.shape().dim(2);
        if (!a.shape().equals(Shape.of(batch, m, k)) || !b.shape().equals(Shape.of(batch, k, n))) {
            throw new IllegalArgumentException("gemm: shapes do not chain — got " + a.shape() + " x " + b.shape()
                    + " -> " + out.shape());
        }
        if (!out.layout().isContiguous()) {
            throw new IllegalArgumentException("gemm: output must be contiguous — got " + out.layout());
        }
        if (batch == 0 || m == 0 || n == 0) {
            return;
        }
        if (k == 0) {
            dev.fill(out, 0.0);
            return;
        }
        Operand ca = rowMajorOrCopy(a);
        Operand cb = rowMajorOrCopy(b);
        try {
            GemmPlan.MatrixOperand ma = matrix(ca);
            GemmPlan.MatrixOperand mb = matrix(cb);
            GemmPlan p = GemmPlan.of(m, n, k, ma, mb);
            long strideA = batch == 1 ? 0 : cb.layout().stride(0);
            long strideB = batch == 1 ? 0 : ca.layout().stride(0);
            long strideC = m * n;
            int opA = p.transA() ? cublas.CUBLAS_OP_T : cublas.CUBLAS_OP_N;
            int opB = p.transB() ? cublas.CUBLAS_OP_T : cublas.CUBLAS_OP_N;
            int count = Math.toIntExact(batch);
            if (dt == DType.FLOAT32) {
                CudaException.cublas("cublasSgemmStridedBatched", cublas.cublasSgemmStridedBatched(dev.cublasHandle,
                        opA, opB, p.m(), p.n(), p.k(), oneF, new FloatPointer(CudaDevice.at(CudaDevice.address(cb))),
                        (int) p.lda(), strideA, new FloatPointer(CudaDevice.at(CudaDevice.address(ca))), (int) p.ldb(),
                        strideB, zeroF, new FloatPointer(CudaDevice.at(CudaDevice.address(out))), p.ldc(), strideC, count));
            } else {
                CudaException.cublas("cublasDgemmStridedBatched", cublas.cublasDgemmStridedBatched(dev.cublasHandle,
                        opA, opB, p.m(), p.n(), p.k(), oneD, new DoublePointer(CudaDevice.at(CudaDevice.address(cb))),
                        (int) p.lda(), strideA, new DoublePointer(CudaDevice.at(CudaDevice.address(ca))), (int) p.ldb(),
                        strideB, zeroD, new DoublePointer(CudaDevice.at(CudaDevice.address(out))), p.ldc(), strideC, count));
            }
        } finally {
            CudaDevice.releaseIfCopy(a, ca);
            CudaDevice.releaseIfCopy(b, cb);
        }
    }

    private static GemmPlan.MatrixOperand matrix(Operand o) {
        Layout l = o.layout();
        return GemmPlan.operand(o.shape().dim(1), o.shape().dim(2), l.stride(1), l.stride(2));
    }

    /** The operand when cuBLAS can read each matrix through its strides, else a contiguous copy. */
    private Operand rowMajorOrCopy(Operand o) {
        if (matrix(o) != null) {
            return o;
        }
        CudaStorage tmp = dev.temporary(o.dtype(), o.numel());
        Operand c = Operand.contiguous(tmp, o.shape());
        dev.copy(o, c);
        return c;
    }
}

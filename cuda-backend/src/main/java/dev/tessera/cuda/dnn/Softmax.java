package dev.tessera.cuda.dnn;

import dev.tessera.DType;
import dev.tessera.backend.Operand;
import dev.tessera.cuda.CudaDevice;
import dev.tessera.cuda.CudaException;
import org.bytedeco.cuda.cudnn.cudnnTensorStruct;
import org.bytedeco.cuda.global.cudnn;
import org.bytedeco.javacpp.DoublePointer;
import org.bytedeco.javacpp.FloatPointer;
import org.bytedeco.javacpp.Pointer;

/**
 * Softmax and log-softmax over the last axis through cudnnSoftmaxForward (ACCURATE, which subtracts
 * the row maximum, or LOG): the operand is viewed as (rows, cols, 1, 1) with INSTANCE mode, which
 * normalises over cols; a non-contiguous input is staged first.
 */
public final class Softmax {
    private final CudaDevice dev;
    private final FloatPointer oneF = new FloatPointer(1f);
    private final FloatPointer zeroF = new FloatPointer(0f);
    private final DoublePointer oneD = new DoublePointer(1.0);
    private final DoublePointer zeroD = new DoublePointer(0.0);

    /** Softmax on {@code dev}'s stream and cuDNN handle. */
    public Softmax(CudaDevice dev) {
        this.dev = dev;
    }

    /** y = softmax(x) (or log-softmax) over the last axis; y contiguous. */
    public void forward(Operand x, boolean log, Operand y) {
        String op = log ? "logSoftmax" : "softmax";
        DType dt = y.dtype();
        if (dt != DType.FLOAT32 && dt != DType.FLOAT64) {
            throw new IllegalArgumentException(op + ": cuDNN softmax takes FLOAT32 or FLOAT64 — got " + dt);
        }
        if (x.dtype() != dt || !x.shape().equals(y.shape())) {
            throw new IllegalArgumentException(op + ": input " + x.shape() + " " + x.dtype() + " does not match output "
                    + y.shape() + " " + dt);
        }
        if (x.rank() == 0 || !y.layout().isContiguous()) {
            throw new IllegalArgumentException(op + ": expected rank >= 1 and a contiguous output — got " + y.layout());
        }
        long cols = x.shape().dim(x.rank() - 1);
        long rows = cols == 0 ? 0 : x.numel() / cols;
        if (rows == 0) {
            return;
        }
        Operand xs = dev.contiguous(x);
        cudnnTensorStruct desc = new cudnnTensorStruct();
        try {
            CudaException.cudnn("cudnnCreateTensorDescriptor", cudnn.cudnnCreateTensorDescriptor(desc));
            CudaException.cudnn("cudnnSetTensor4dDescriptor(" + op + " " + x.shape() + ")", cudnn.cudnnSetTensor4dDescriptor(
                    desc, cudnn.CUDNN_TENSOR_NCHW, dt == DType.FLOAT32 ? cudnn.CUDNN_DATA_FLOAT : cudnn.CUDNN_DATA_DOUBLE,
                    Math.toIntExact(rows), Math.toIntExact(cols), 1, 1));
            Pointer one = dt == DType.FLOAT32 ? oneF : oneD;
            Pointer zero = dt == DType.FLOAT32 ? zeroF : zeroD;
            CudaException.cudnn("cudnnSoftmaxForward(" + op + " " + x.shape() + ")", cudnn.cudnnSoftmaxForward(dev.cudnnHandle,
                    log ? cudnn.CUDNN_SOFTMAX_LOG : cudnn.CUDNN_SOFTMAX_ACCURATE, cudnn.CUDNN_SOFTMAX_MODE_INSTANCE, one, desc,
                    CudaDevice.at(CudaDevice.address(xs)), zero, desc, CudaDevice.at(CudaDevice.address(y))));
        } finally {
            if (!desc.isNull()) {
                cudnn.cudnnDestroyTensorDescriptor(desc);
            }
            CudaDevice.releaseIfCopy(x, xs);
        }
    }
}

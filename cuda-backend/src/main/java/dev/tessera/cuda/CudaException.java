package dev.tessera.cuda;

import org.bytedeco.cuda.global.cublas;
import org.bytedeco.cuda.global.cudart;
import org.bytedeco.cuda.global.cudnn;
import org.bytedeco.javacpp.BytePointer;

/**
 * A failed CUDA, cuBLAS, cuDNN or NVRTC call; the message names the call and its status. The static
 * checks turn every status code into this exception, so no failure goes unnoticed.
 */
public final class CudaException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /** Creates an exception with the given message. */
    public CudaException(String message) {
        super(message);
    }

    /** Throws unless a CUDA runtime call returned cudaSuccess. */
    public static void cuda(String call, int err) {
        if (err != cudart.cudaSuccess) {
            throw new CudaException(call + " failed: cudaError " + err + " (" + text(cudart.cudaGetErrorName(err))
                    + ": " + text(cudart.cudaGetErrorString(err)) + ")");
        }
    }

    /** Throws unless a CUDA driver call returned CUDA_SUCCESS. */
    public static void driver(String call, int res) {
        if (res != cudart.CUDA_SUCCESS) {
            BytePointer s = new BytePointer();
            cudart.cuGetErrorString(res, s);
            throw new CudaException(call + " failed: CUresult " + res + " (" + text(s) + ")");
        }
    }

    /** Throws unless a cuBLAS call returned CUBLAS_STATUS_SUCCESS. */
    public static void cublas(String call, int status) {
        if (status != cublas.CUBLAS_STATUS_SUCCESS) {
            throw new CudaException(call + " failed: cublasStatus " + status + " ("
                    + text(cublas.cublasGetStatusString(status)) + ")");
        }
    }

    /** Throws unless a cuDNN call returned CUDNN_STATUS_SUCCESS. */
    public static void cudnn(String call, int status) {
        if (status != cudnn.CUDNN_STATUS_SUCCESS) {
            throw new CudaException(call + " failed: cudnnStatus " + status + " ("
                    + text(cudnn.cudnnGetErrorString(status)) + ")");
        }
    }

    private static String text(BytePointer p) {
        return p == null || p.isNull() ? "?" : p.getString();
    }
}

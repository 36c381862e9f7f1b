package dev.tessera.cuda;

import dev.tessera.DType;
import dev.tessera.Device;
import dev.tessera.Shape;
import dev.tessera.backend.Operand;
import dev.tessera.backend.Storage;
import dev.tessera.cuda.alloc.CachingAllocator;
import dev.tessera.cuda.alloc.DeviceMemory;
import dev.tessera.cuda.alloc.OutOfDeviceMemoryException;
import dev.tessera.cuda.kernel.KernelArgs;
import dev.tessera.cuda.kernel.KernelCache;
import dev.tessera.cuda.kernel.Strided;
import org.bytedeco.cuda.cublas.cublasContext;
import org.bytedeco.cuda.cudart.CUstream_st;
import org.bytedeco.cuda.cudnn.cudnnContext;
import org.bytedeco.cuda.global.cublas;
import org.bytedeco.cuda.global.cudart;
import org.bytedeco.cuda.global.cudnn;
import org.bytedeco.javacpp.DoublePointer;
import org.bytedeco.javacpp.FloatPointer;
import org.bytedeco.javacpp.IntPointer;
import org.bytedeco.javacpp.LongPointer;
import org.bytedeco.javacpp.Pointer;

/**
 * Everything one CUDA device needs: its stream (all work of the device is queued on it, in order),
 * cuBLAS and cuDNN handles bound to that stream, the caching allocator, the kernel cache, a pinned
 * host buffer for transfers, and launch helpers. Internal to the backend (public only for the
 * kernel and dnn packages); not thread-safe: {@link CudaBackend} serialises calls.
 */
public final class CudaDevice {
    /** Threads per block of the element-wise kernels. */
    public static final int BLOCK = 256;
    /** Bytes of the pinned staging buffer; larger transfers go through it in chunks. */
    private static final long STAGING_BYTES = 32L << 20;

    public final int index;
    public final Device device;
    public final int ccMajor;
    public final int ccMinor;
    public final int smCount;
    public final boolean tf32;
    public final CUstream_st stream = new CUstream_st();
    public final cublasContext cublasHandle = new cublasContext();
    public final cudnnContext cudnnHandle = new cudnnContext();
    public final CachingAllocator allocator;
    public final KernelCache kernels;
    public final KernelArgs args = new KernelArgs();
    private final Pointer staging = new Pointer();
    private final long errorWord;
    private final LongPointer errorHost;

    CudaDevice(int index, boolean tf32) {
        this.index = index;
        this.device = Device.cuda(index);
        this.tf32 = tf32;
        CudaException.cuda("cudaSetDevice(" + index + ")", cudart.cudaSetDevice(index));
        // NOTE: kernels are loaded and launched through the driver API, on the runtime's primary context.
        CudaException.driver("cuInit", cudart.cuInit(0));
        CudaException.cuda("cudaFree(null) (creates the primary context)", cudart.cudaFree(null));
        ccMajor = attribute(cudart.cudaDevAttrComputeCapabilityMajor, "compute capability major");
        ccMinor = attribute(cudart.cudaDevAttrComputeCapabilityMinor, "compute capability minor");
        smCount = attribute(cudart.cudaDevAttrMultiProcessorCount, "multiprocessor count");
        CudaException.cuda("cudaStreamCreateWithFlags", cudart.cudaStreamCreateWithFlags(stream, cudart.cudaStreamNonBlocking));
        CudaException.cublas("cublasCreate", cublas.cublasCreate_v2(cublasHandle));
        CudaException.cublas("cublasSetStream", cublas.cublasSetStream_v2(cublasHandle, stream));
        // NOTE: CUBLAS_DEFAULT_MATH keeps FP32 GEMMs in full FP32; TF32 only when asked for.
        CudaException.cublas("cublasSetMathMode", cublas.cublasSetMathMode(cublasHandle,
                tf32 ? cublas.CUBLAS_TF32_TENSOR_OP_MATH : cublas.CUBLAS_DEFAULT_MATH));
        CudaException.cudnn("cudnnCreate", cudnn.cudnnCreate(cudnnHandle));
        CudaException.cudnn("cudnnSetStream", cudnn.cudnnSetStream(cudnnHandle, stream));
        allocator = new CachingAllocator(new CudaMemory(index));
        kernels = new KernelCache(ccMajor, ccMinor);
        CudaException.cuda("cudaMallocHost(" + STAGING_BYTES + ")", cudart.cudaMallocHost(staging, STAGING_BYTES));
        errorWord = allocator.allocate(16).address();
        Pointer eh = new Pointer();
        CudaException.cuda("cudaMallocHost(16)", cudart.cudaMallocHost(eh, 16));
        errorHost = new LongPointer(eh);
    }

    private int attribute(int attr, String what) {
        IntPointer v = new IntPointer(1);
        CudaException.cuda("cudaDeviceGetAttribute(" + what + ")", cudart.cudaDeviceGetAttribute(v, attr, index));
        return v.get();
    }

    /** Makes this device current on the calling thread (needed before driver-API calls such as launches). */
    public void makeCurrent() {
        CudaException.cuda("cudaSetDevice(" + index + ")", cudart.cudaSetDevice(index));
    }

    /** A Pointer at a raw device address, for the JavaCPP wrappers. */
    public static Pointer at(long addr) {
        // NOTE: inside the anonymous class a bare "address" would name Pointer's field, hence "addr".
        return new Pointer() {
            {
                address = addr;
            }
        };
    }

    /** Device address of an operand's first element (its layout offset applied). */
    public static long address(Operand o) {
        return storage(o).address() + o.layout().offset() * o.dtype().byteSize();
    }

    public static CudaStorage storage(Operand o) {
        return storage(o.storage());
    }

    public static CudaStorage storage(Storage s) {
        if (s instanceof CudaStorage c) {
            return c;
        }
        throw new IllegalArgumentException("cuda: operand lives on " + s.device() + ", not on a CUDA device");
    }

    /** Launches a grid-stride kernel over {@code work} items with the arguments packed in {@link #args}. */
    public void launch(String family, String name, long work) {
        if (work <= 0) {
            return;
        }
        long blocks = Math.min((work + BLOCK - 1) / BLOCK, (long) smCount * 32);
        launchBlocks(family, name, blocks, BLOCK);
    }

    /** Launches {@code blocks} blocks of {@code threads} threads (kernels with one block per output). */
    public void launchBlocks(String family, String name, long blocks, int threads) {
        if (blocks <= 0) {
            return;
        }
        int grid = (int) Math.min(blocks, Integer.MAX_VALUE);
        CudaException.driver("cuLaunchKernel(" + name + ", grid " + grid + ", block " + threads + ")",
                cudart.cuLaunchKernel(kernels.function(family, name), grid, 1, 1, threads, 1, 1, 0, stream,
                        args.params(), (Pointer) null));
    }

    /** Waits for the stream; a kernel fault surfaces here, named with {@code after}. */
    public void synchronize(String after) {
        CudaException.cuda("cudaStreamSynchronize (after " + after + ")", cudart.cudaStreamSynchronize(stream));
    }

    public void copyDeviceToDevice(long dst, long src, long bytes) {
        if (bytes > 0) {
            CudaException.cuda("cudaMemcpyAsync D2D", cudart.cudaMemcpyAsync(at(dst), at(src), bytes,
                    cudart.cudaMemcpyDeviceToDevice, stream));
        }
    }

    public void zero(long dst, long bytes) {
        if (bytes > 0) {
            CudaException.cuda("cudaMemsetAsync", cudart.cudaMemsetAsync(at(dst), 0, bytes, stream));
        }
    }

    /** Scratch device memory (workspaces, staged copies); give it back with {@link #release}. */
    public CachingAllocator.Block scratch(long bytes) {
        return allocator.allocate(bytes);
    }

    public void release(CachingAllocator.Block block) {
        allocator.release(block);
    }

    /** A temporary storage for {@code numel} elements; freed by the caller with {@code release()}. */
    public CudaStorage temporary(DType dtype, long numel) {
        return CudaStorage.allocate(dtype, numel, device, allocator);
    }

    /** Copies a whole Java array into device memory at {@code dst} through the pinned staging buffer. */
    public void upload(Object array, long dst, DType dtype) {
        int n = java.lang.reflect.Array.getLength(array);
        int size = dtype.byteSize();
        int chunk = (int) (STAGING_BYTES / size);
        for (int off = 0; off < n; off += chunk) {
            int len = Math.min(chunk, n - off);
            switch (dtype) {
                case FLOAT32 -> new FloatPointer(staging).put((float[]) array, off, len);
                case FLOAT64 -> new DoublePointer(staging).put((double[]) array, off, len);
                case INT32 -> new IntPointer(staging).put((int[]) array, off, len);
                case INT64 -> new LongPointer(staging).put((long[]) array, off, len);
            }
            CudaException.cuda("cudaMemcpyAsync H2D", cudart.cudaMemcpyAsync(at(dst + (long) off * size), staging,
                    (long) len * size, cudart.cudaMemcpyHostToDevice, stream));
            // NOTE: the staging buffer is reused by the next chunk, so each chunk must land first.
            synchronize("copyFromHost");
        }
    }

    /** Copies {@code array.length} elements from device memory at {@code src} into a Java array. */
    public void download(long src, Object array, DType dtype) {
        int n = java.lang.reflect.Array.getLength(array);
        int size = dtype.byteSize();
        int chunk = (int) (STAGING_BYTES / size);
        for (int off = 0; off < n; off += chunk) {
            int len = Math.min(chunk, n - off);
            CudaException.cuda("cudaMemcpyAsync D2H", cudart.cudaMemcpyAsync(staging, at(src + (long) off * size),
                    (long) len * size, cudart.cudaMemcpyDeviceToHost, stream));
            synchronize("copyToHost");
            switch (dtype) {
                case FLOAT32 -> new FloatPointer(staging).get((float[]) array, off, len);
                case FLOAT64 -> new DoublePointer(staging).get((double[]) array, off, len);
                case INT32 -> new IntPointer(staging).get((int[]) array, off, len);
                case INT64 -> new LongPointer(staging).get((long[]) array, off, len);
            }
        }
    }

    /** The dtype part of kernel names: f32, f64, i32, i64. */
    public static String suffix(DType t) {
        return switch (t) {
            case FLOAT32 -> "f32";
            case FLOAT64 -> "f64";
            case INT32 -> "i32";
            case INT64 -> "i64";
        };
    }

    /** Operands of one shape, coalesced for a kernel; fails naming {@code op} if their shapes differ. */
    public static Strided strided(String op, Operand... ops) {
        Shape shape = ops[0].shape();
        long[][] strides = new long[ops.length][];
        long[] offsets = new long[ops.length];
        for (int k = 0; k < ops.length; k++) {
            if (!ops[k].shape().equals(shape)) {
                throw new IllegalArgumentException(op + ": operand shapes differ — got " + shape + " and " + ops[k].shape());
            }
            strides[k] = ops[k].layout().strides();
            offsets[k] = ops[k].layout().offset();
        }
        return Strided.of(shape, strides, offsets).coalesce().requireKernelRank(op);
    }

    /** Appends operand k's base pointer and TsStrides to {@link #args}. */
    public KernelArgs operand(Strided s, int k, Operand o) {
        return args.ptr(storage(o).address()).strides(s.offset(k), s.strides(k));
    }

    /** Strided copy of equal shapes; dtypes may differ (floats cast to ints truncate toward zero). */
    public void copy(Operand src, Operand dst) {
        Strided s = strided("copy", src, dst);
        if (s.numel() == 0) {
            return;
        }
        if (src.dtype() == dst.dtype() && s.rank() <= 1 && (s.rank() == 0 || (s.strides(0)[0] == 1 && s.strides(1)[0] == 1))) {
            long bytes = s.numel() * src.dtype().byteSize();
            copyDeviceToDevice(address(dst), address(src), bytes);
            return;
        }
        String name = src.dtype() == dst.dtype()
                ? "copy_strided_x" + 8 * src.dtype().byteSize()
                : "cast_" + suffix(src.dtype()) + "_" + suffix(dst.dtype());
        args.reset().shape(s.dims());
        operand(s, 0, src);
        operand(s, 1, dst);
        launch(src.dtype() == dst.dtype() ? "copy" : "cast", name, s.numel());
    }

    /** Sets every element of dst (any layout) to value. */
    public void fill(Operand dst, double value) {
        Strided s = strided("fill", dst);
        if (s.numel() == 0) {
            return;
        }
        args.reset().shape(s.dims());
        operand(s, 0, dst).f64(value);
        launch("fill", "fill_value_" + suffix(dst.dtype()), s.numel());
    }

    /**
     * The operand itself when it is contiguous (its offset is fine: callers use {@link #address}),
     * else a contiguous copy in a temporary storage that the caller releases (see {@link #releaseIfCopy}).
     */
    public Operand contiguous(Operand o) {
        if (o.layout().isContiguous()) {
            return o;
        }
        CudaStorage tmp = temporary(o.dtype(), o.numel());
        Operand c = Operand.contiguous(tmp, o.shape());
        copy(o, c);
        return c;
    }

    /** Releases the temporary made by {@link #contiguous} (no-op when it returned the operand itself). */
    public static void releaseIfCopy(Operand original, Operand maybeCopy) {
        if (maybeCopy != original) {
            maybeCopy.storage().release();
        }
    }

    /** The device word kernels report a bad index through (see ts_report in common.cuh), cleared. */
    public long clearedErrorWord() {
        zero(errorWord, 16);
        return errorWord;
    }

    /** Throws IllegalArgumentException naming the first out-of-range index a kernel reported. */
    public void checkIndexError(String op, long axisLen) {
        CudaException.cuda("cudaMemcpyAsync D2H (index check)", cudart.cudaMemcpyAsync(errorHost, at(errorWord), 16,
                cudart.cudaMemcpyDeviceToHost, stream));
        synchronize(op);
        if (errorHost.get(0) != 0) {
            throw new IllegalArgumentException(op + ": index out of range — got " + errorHost.get(1)
                    + " for an axis of size " + axisLen);
        }
    }

    /** cudaMalloc / cudaFree for the caching allocator. */
    private record CudaMemory(int index) implements DeviceMemory {
        @Override
        public long malloc(long bytes) {
            Pointer p = new Pointer();
            int err = cudart.cudaMalloc(p, bytes);
            if (err == cudart.cudaErrorMemoryAllocation) {
                cudart.cudaGetLastError();
                throw new OutOfDeviceMemoryException("cuda:" + index + ": out of memory allocating " + bytes + " bytes");
            }
            CudaException.cuda("cudaMalloc(" + bytes + ")", err);
            return p.address();
        }

        @Override
        public void free(long address) {
            CudaException.cuda("cudaFree", cudart.cudaFree(at(address)));
        }
    }
}

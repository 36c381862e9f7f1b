package dev.tessera.cuda;

import dev.tessera.Device;
import dev.tessera.backend.Backend;
import dev.tessera.backend.BackendProvider;
import java.util.HashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.bytedeco.cuda.global.cublas;
import org.bytedeco.cuda.global.cudart;
import org.bytedeco.cuda.global.cudnn;
import org.bytedeco.cuda.global.nvrtc;
import org.bytedeco.javacpp.Loader;

/**
 * Serves {@code Device.cuda(N)} when the NVIDIA driver, the CUDA 13 runtime, cuBLAS, cuDNN 9 and NVRTC
 * load and a device is present. Probing never lets a native loading error escape: a missing library
 * becomes {@link #unavailableReason()}, naming the library and how to install it.
 */
public final class CudaBackendProvider implements BackendProvider {
    private static final Pattern MISSING_LIBRARY = Pattern.compile("(lib[\\w.+-]+?\\.so[.\\d]*): cannot open shared object file");

    private static final Object LOCK = new Object();
    private static String reason;
    private static int deviceCount = -1;
    private static final Map<Integer, CudaBackend> OPEN = new HashMap<>();

    @Override
    public Device.Kind kind() {
        return Device.Kind.CUDA;
    }

    @Override
    public boolean isAvailable() {
        return probe() == null;
    }

    @Override
    public String unavailableReason() {
        String r = probe();
        return r == null ? "" : r;
    }

    /** The number of CUDA devices (0 when unavailable). */
    public int deviceCount() {
        return probe() == null ? deviceCount : 0;
    }

    @Override
    public Backend open(int index) {
        String r = probe();
        if (r != null) {
            throw new IllegalStateException("cuda:" + index + " is not available: " + r);
        }
        if (index < 0 || index >= deviceCount) {
            throw new IllegalArgumentException("cuda: device ordinal " + index + " is out of range — this machine has "
                    + deviceCount + " CUDA device(s)");
        }
        synchronized (LOCK) {
            return OPEN.computeIfAbsent(index, CudaBackend::new);
        }
    }

    /** Null when CUDA is usable, else why not; computed once per process. */
    private static String probe() {
        synchronized (LOCK) {
            if (deviceCount < 0) {
                reason = loadAndCount();
                if (reason != null) {
                    deviceCount = 0;
                }
            }
            return reason;
        }
    }

    private static String loadAndCount() {
        String step = "cudart";
        try {
            Loader.load(cudart.class);
            int[] n = new int[1];
            int err = cudart.cudaGetDeviceCount(n);
            if (err != cudart.cudaSuccess) {
                return "cudaGetDeviceCount failed with cudaError " + err + " (" + cudart.cudaGetErrorString(err).getString()
                        + "): no usable NVIDIA driver or GPU (check nvidia-smi)";
            }
            if (n[0] == 0) {
                return "no CUDA device found (cudaGetDeviceCount = 0)";
            }
            step = "cublas";
            Loader.load(cublas.class);
            step = "cudnn";
            Loader.load(cudnn.class);
            step = "nvrtc";
            Loader.load(nvrtc.class);
            deviceCount = n[0];
            return null;
        } catch (UnsatisfiedLinkError | NoClassDefFoundError | ExceptionInInitializerError e) {
            return describeLoadFailure(step, e);
        } catch (RuntimeException e) {
            return "loading " + step + " failed: " + e;
        }
    }

    /** Turns a native loading error into an actionable sentence naming the missing library. */
    static String describeLoadFailure(String step, Throwable error) {
        StringBuilder all = new StringBuilder();
        for (Throwable t = error; t != null; t = t.getCause() == t ? null : t.getCause()) {
            all.append(t).append('\n');
        }
        Matcher m = MISSING_LIBRARY.matcher(all);
        if (m.find()) {
            String lib = m.group(1);
            return lib + " not found: " + remedy(lib) + " (while loading " + step + ")";
        }
        return "the JavaCPP CUDA presets could not load " + step + ": " + error
                + " (is org.bytedeco:cuda:linux-x86_64 on the class path, and CUDA 13 on LD_LIBRARY_PATH?)";
    }

    private static String remedy(String lib) {
        if (lib.startsWith("libcuda.so")) {
            return "install the NVIDIA driver (a machine without a GPU cannot use cuda devices)";
        }
        if (lib.startsWith("libcudnn")) {
            return "install cuDNN 9 for CUDA 13 (e.g. pip install nvidia-cudnn-cu13) and add its lib directory to LD_LIBRARY_PATH";
        }
        if (lib.startsWith("libcublas") || lib.startsWith("libcudart") || lib.startsWith("libnvrtc")) {
            return "install the CUDA 13 toolkit or the pip wheels nvidia-cublas / nvidia-cuda-runtime / nvidia-cuda-nvrtc"
                    + " and add their lib directories to LD_LIBRARY_PATH";
        }
        return "install it and add its directory to LD_LIBRARY_PATH";
    }
}

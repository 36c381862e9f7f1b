package dev.tessera.cuda.kernel;

import dev.tessera.cuda.CudaException;
import java.util.HashMap;
import java.util.Map;
import org.bytedeco.cuda.cudart.CUfunc_st;
import org.bytedeco.cuda.cudart.CUmod_st;
import org.bytedeco.cuda.global.cudart;
import org.bytedeco.cuda.global.nvrtc;
import org.bytedeco.cuda.nvrtc._nvrtcProgram;
import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.javacpp.PointerPointer;
import org.bytedeco.javacpp.SizeTPointer;

/**
 * Compiles each kernel family with NVRTC the first time one of its kernels is asked for, straight to
 * a CUBIN for the device's compute capability (sm_XY: no PTX JIT, so a driver older than NVRTC still
 * loads it), loads it with cuModuleLoadData and keeps the module and its functions for the rest of
 * the process. One cache per device; the caller makes the device's context current first.
 */
public final class KernelCache {
    private final int ccMajor;
    private final int ccMinor;
    private final Map<String, CUmod_st> modules = new HashMap<>();
    private final Map<String, CUfunc_st> functions = new HashMap<>();

    /** A cache for a device of compute capability major.minor. */
    public KernelCache(int ccMajor, int ccMinor) {
        this.ccMajor = ccMajor;
        this.ccMinor = ccMinor;
    }

    /** The NVRTC options every family is compiled with. */
    public static String[] options(int ccMajor, int ccMinor) {
        return new String[] {"--gpu-architecture=sm_" + ccMajor + ccMinor, "--std=c++17", "-lineinfo"};
    }

    /** The function {@code name} (e.g. unary_exp_f32) of {@code family}, compiling the family if needed. */
    public synchronized CUfunc_st function(String family, String name) {
        CUfunc_st f = functions.get(name);
        if (f != null) {
            return f;
        }
        CUmod_st module = modules.get(family);
        if (module == null) {
            module = load(family, compile(family));
            modules.put(family, module);
        }
        f = new CUfunc_st();
        int res = cudart.cuModuleGetFunction(f, module, name);
        if (res == cudart.CUDA_ERROR_NOT_FOUND) {
            throw new IllegalArgumentException("cuda: no kernel " + name + " in " + KernelSources.fileName(family)
                    + " (unsupported op or dtype)");
        }
        CudaException.driver("cuModuleGetFunction(" + name + ")", res);
        functions.put(name, f);
        return f;
    }

    private byte[] compile(String family) {
        String file = KernelSources.fileName(family);
        _nvrtcProgram prog = new _nvrtcProgram();
        nvrtcCheck("nvrtcCreateProgram(" + file + ")", nvrtc.nvrtcCreateProgram(prog,
                new BytePointer(KernelSources.program(family)), new BytePointer(file), 0,
                (PointerPointer) null, (PointerPointer) null), null);
        try {
            String[] opts = options(ccMajor, ccMinor);
            nvrtcCheck("nvrtcCompileProgram(" + file + ", " + String.join(" ", opts) + ")",
                    nvrtc.nvrtcCompileProgram(prog, opts.length, new PointerPointer(opts)), prog);
            SizeTPointer size = new SizeTPointer(1);
            nvrtcCheck("nvrtcGetCUBINSize(" + file + ")", nvrtc.nvrtcGetCUBINSize(prog, size), prog);
            BytePointer cubin = new BytePointer(size.get());
            nvrtcCheck("nvrtcGetCUBIN(" + file + ")", nvrtc.nvrtcGetCUBIN(prog, cubin), prog);
            byte[] bytes = new byte[(int) size.get()];
            cubin.get(bytes);
            return bytes;
        } finally {
            nvrtc.nvrtcDestroyProgram(prog);
        }
    }

    private static CUmod_st load(String family, byte[] cubin) {
        CUmod_st module = new CUmod_st();
        CudaException.driver("cuModuleLoadData(" + KernelSources.fileName(family) + ")",
                cudart.cuModuleLoadData(module, new BytePointer(cubin)));
        return module;
    }

    /** Throws unless an NVRTC call succeeded; the message carries the compiler's log when there is one. */
    static void nvrtcCheck(String call, int res, _nvrtcProgram prog) {
        if (res == nvrtc.NVRTC_SUCCESS) {
            return;
        }
        StringBuilder msg = new StringBuilder(call).append(" failed: nvrtcResult ").append(res).append(" (")
                .append(nvrtc.nvrtcGetErrorString(res).getString()).append(')');
        if (prog != null && !prog.isNull()) {
            SizeTPointer n = new SizeTPointer(1);
            if (nvrtc.nvrtcGetProgramLogSize(prog, n) == nvrtc.NVRTC_SUCCESS && n.get() > 1) {
                BytePointer log = new BytePointer(n.get());
                nvrtc.nvrtcGetProgramLog(prog, log);
                msg.append('\n').append(log.getString());
            }
        }
        throw new CudaException(msg.toString());
    }
}

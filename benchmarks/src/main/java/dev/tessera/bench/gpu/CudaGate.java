package dev.tessera.bench.gpu;

import dev.tessera.Device;
import dev.tessera.backend.Backends;
import dev.tessera.cuda.CudaBackend;
import dev.tessera.cuda.CudaBackendProvider;

/**
 * Opens cuda:0 for the GPU benchmarks and checks, or ends the process with one line
 * {@code skipped: <reason>} and exit code {@link #SKIPPED} where CUDA is not usable (no driver, no
 * device, missing libraries), so that scripts can tell "no GPU here" from a failure.
 */
public final class CudaGate {
    /** The exit code of a run skipped for want of a usable CUDA device. */
    public static final int SKIPPED = 3;

    private CudaGate() {
    }

    /** The backend of cuda:0; exits with {@link #SKIPPED} after printing why {@code what} cannot run. */
    public static CudaBackend openOrExit(String what) {
        CudaBackendProvider provider = new CudaBackendProvider();
        if (!provider.isAvailable()) {
            System.out.println("skipped: " + what + " needs a CUDA device: " + provider.unavailableReason());
            System.out.flush();
            System.exit(SKIPPED);
        }
        return (CudaBackend) Backends.forDevice(Device.cuda(0));
    }
}

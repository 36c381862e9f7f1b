package dev.tessera.cuda;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The gate of every test that needs a GPU: skipped, with the provider's reason, where CUDA is not
 * usable, unless -Dgpu.required=true (set by the GPU kit's run-on-gpu.sh), which turns the skip
 * into a failure so that a broken GPU setup cannot pass silently.
 */
final class Gpu {
    private Gpu() {
    }

    /** The backend of cuda:0, or an aborted (skipped) test with the reason CUDA is unavailable. */
    static CudaBackend backend() {
        CudaBackendProvider p = new CudaBackendProvider();
        if (Boolean.getBoolean("gpu.required")) {
            assertTrue(p.isAvailable(), "gpu.required=true but CUDA is unavailable: " + p.unavailableReason());
        } else {
            assumeTrue(p.isAvailable(), "no usable CUDA (-Dgpu.required=true fails instead): " + p.unavailableReason());
        }
        return (CudaBackend) p.open(0);
    }
}

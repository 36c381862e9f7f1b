package dev.tessera.cuda;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

import dev.tessera.Device;
import dev.tessera.backend.BackendProvider;
import dev.tessera.backend.Backends;
import org.junit.jupiter.api.Test;

class CudaBackendProviderTest {
    private final CudaBackendProvider provider = new CudaBackendProvider();

    @Test
    void isFoundThroughTheServiceLoader() {
        boolean found = false;
        for (BackendProvider p : Backends.all()) {
            found |= p instanceof CudaBackendProvider && p.kind() == Device.Kind.CUDA;
        }
        assertTrue(found, "META-INF/services does not list CudaBackendProvider");
    }

    @Test
    void withoutAUsableGpuExplainsWhichLibraryOrCallFailed() {
        assumeFalse(provider.isAvailable(), "CUDA is available here; the unavailable path is not exercised");
        String reason = provider.unavailableReason();
        System.out.println("CudaBackendProvider unavailable: " + reason);
        assertTrue(reason.contains(" not found: install") || reason.contains("cudaError") || reason.contains("no CUDA device"),
                "not actionable: " + reason);
        assertEquals(0, provider.deviceCount());
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> provider.open(0));
        assertTrue(e.getMessage().contains(reason), e.getMessage());
        IllegalStateException viaBackends = assertThrows(IllegalStateException.class,
                () -> Backends.provider(Device.Kind.CUDA));
        assertTrue(viaBackends.getMessage().contains(reason), viaBackends.getMessage());
    }

    @Test
    void aMissingDriverIsNamedWithItsRemedy() {
        UnsatisfiedLinkError e = new UnsatisfiedLinkError("no jnicudart in java.library.path: /usr/lib");
        e.initCause(new UnsatisfiedLinkError("/root/.javacpp/cache/libjnicudart.so: libcuda.so.1: cannot open shared object"
                + " file: No such file or directory"));
        String r = CudaBackendProvider.describeLoadFailure("cudart", e);
        assertTrue(r.startsWith("libcuda.so.1 not found: install the NVIDIA driver"), r);
    }

    @Test
    void aMissingCudnnIsNamedWithItsRemedy() {
        UnsatisfiedLinkError e = new UnsatisfiedLinkError("/tmp/libjnicudnn.so: libcudnn_graph.so.9: cannot open shared"
                + " object file: No such file or directory");
        String r = CudaBackendProvider.describeLoadFailure("cudnn", e);
        assertTrue(r.startsWith("libcudnn_graph.so.9 not found:") && r.contains("nvidia-cudnn-cu13")
                && r.contains("while loading cudnn"), r);
    }

    @Test
    void anUnrecognisedLoadingErrorStillNamesTheStep() {
        String r = CudaBackendProvider.describeLoadFailure("nvrtc",
                new NoClassDefFoundError("Could not initialize class org.bytedeco.cuda.global.cudart"));
        assertTrue(r.contains("could not load nvrtc") && r.contains("NoClassDefFoundError"), r);
        assertFalse(r.isBlank());
    }
}

package dev.tessera.data;

import dev.tessera.Device;
import dev.tessera.backend.Backends;
import org.junit.jupiter.api.Assumptions;

/** Skips (visibly) a test that creates tensors when no CPU backend is on the test class path. */
public final class CpuBackend {
    private CpuBackend() {
    }

    /** Aborts the calling test with a reason unless a CPU backend is available. */
    public static void assume() {
        boolean available = Backends.all().stream()
                .anyMatch(p -> p.kind() == Device.Kind.CPU && p.isAvailable());
        Assumptions.assumeTrue(available, "no CPU backend on the class path (tessera-cpu), tensor checks skipped");
    }
}

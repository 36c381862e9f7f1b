package dev.tessera.cpu;

import dev.tessera.backend.Backend;
import dev.tessera.testing.BackendConformanceSuite;

/** Runs core's backend conformance suite on {@link CpuBackend}. */
class CpuConformanceTest extends BackendConformanceSuite {
    @Override
    protected Backend backend() {
        return CpuBackend.instance();
    }
}

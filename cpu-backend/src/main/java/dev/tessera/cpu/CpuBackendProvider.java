package dev.tessera.cpu;

import dev.tessera.Device;
import dev.tessera.backend.Backend;
import dev.tessera.backend.BackendProvider;
import dev.tessera.cpu.kernel.Blas;

/** Registers {@link CpuBackend} for {@code Device.cpu()}; available wherever OpenBLAS loads. */
public final class CpuBackendProvider implements BackendProvider {

    @Override
    public Device.Kind kind() {
        return Device.Kind.CPU;
    }

    @Override
    public int priority() {
        return 10;
    }

    @Override
    public boolean isAvailable() {
        return Blas.loadError() == null;
    }

    @Override
    public String unavailableReason() {
        String err = Blas.loadError();
        return err == null ? "available" : err;
    }

    @Override
    public Backend open(int index) {
        if (index != 0) {
            throw new IllegalArgumentException("cpu: there is one CPU device, index 0 — got " + index);
        }
        return CpuBackend.instance();
    }
}

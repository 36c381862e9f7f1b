package dev.tessera.cuda;

import static org.junit.jupiter.api.Assertions.assertFalse;

import dev.tessera.backend.Backend;
import dev.tessera.testing.BackendConformanceSuite;
import dev.tessera.testing.HostOperand;

/**
 * Core's conformance suite on cuda:0, compared with the naive float64 backend. Without a usable GPU
 * every generated test is skipped with the provider's reason (before the naive reference is
 * computed); under -Dgpu.required=true they fail instead (see {@link Gpu}). TF32 must be off: the
 * suite's FLOAT32 tolerances assume full FP32 products.
 */
class CudaConformanceTest extends BackendConformanceSuite {

    @Override
    protected Backend backend() {
        CudaBackend cuda = Gpu.backend();
        assertFalse(cuda.tf32(), "the conformance suite needs TF32 off (unset tessera.cuda.tf32)");
        return cuda;
    }

    @Override
    protected void check(String what, HostOperand[] operands, int[] outputs, Tolerance tol, Call call) {
        backend();
        super.check(what, operands, outputs, tol, call);
    }
}

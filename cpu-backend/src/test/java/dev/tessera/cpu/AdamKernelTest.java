package dev.tessera.cpu;

import static dev.tessera.cpu.Host.CPU;
import static dev.tessera.cpu.Host.operand;
import static dev.tessera.cpu.Host.random;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import dev.tessera.DType;
import dev.tessera.backend.AdamSpec;
import dev.tessera.backend.Backend;
import dev.tessera.backend.Operand;
import dev.tessera.backend.UnaryOp;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.Proxy;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** The fused Adam pass gives the very bits of the default composite over the cpu's unary and binary kernels. */
class AdamKernelTest {

    /** The cpu backend with adamUpdate left to the Backend default composite. */
    private static final Backend COMPOSITE = (Backend) Proxy.newProxyInstance(Backend.class.getClassLoader(),
            new Class<?>[] {Backend.class}, (proxy, method, args) -> method.getName().equals("adamUpdate")
                    ? InvocationHandler.invokeDefault(proxy, method, args) : method.invoke(CPU, args));

    private static double[][] step(Backend b, DType t, AdamSpec spec) {
        int n = 50_003;
        Operand w = operand(t, random(1, n), n);
        Operand g = operand(t, random(2, n), n);
        Operand m = operand(t, random(3, n), n);
        Operand v = Host.empty(t, n);
        CPU.unary(UnaryOp.SQUARE, g, v, 0);
        b.adamUpdate(spec, w, g, m, v);
        return new double[][] {Host.read(w), Host.read(m), Host.read(v)};
    }

    @ParameterizedTest
    @EnumSource(value = DType.class, names = {"FLOAT32", "FLOAT64"})
    void fusedPassEqualsCompositeBitForBit(DType t) {
        for (AdamSpec spec : new AdamSpec[] {new AdamSpec(1e-3, 0.9, 0.999, 1e-7, 1), new AdamSpec(0.05, 0.5, 0.9, 1e-3, 40)}) {
            double[][] fused = step(CPU, t, spec);
            double[][] composite = step(COMPOSITE, t, spec);
            for (int k = 0; k < fused.length; k++) {
                assertArrayEquals(composite[k], fused[k], t + " step " + spec.step() + " output " + k);
            }
        }
    }
}

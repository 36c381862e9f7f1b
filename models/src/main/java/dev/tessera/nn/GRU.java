package dev.tessera.nn;

import dev.tessera.Shape;
import dev.tessera.Tensor;

/**
 * Gated recurrent unit as Keras computes it with reset_after=true (the cuDNN variant): gate order
 * z, r, h; kernel (in, 3u) glorot-uniform, recurrent_kernel (u, 3u) orthogonal, bias (2, 3u)
 * zeros whose row 0 is added to the input part and row 1 to the recurrent part, so that
 * h' = z * h + (1 - z) * tanh(x W_h + b_h + r * (h U_h + c_h)).
 */
public final class GRU extends Recurrent {
    public GRU(int units) {
        this(null, units);
    }

    public GRU(String name, int units) {
        super(name, units);
    }

    @Override
    protected int gates() {
        return 3;
    }

    @Override
    protected Shape biasShape() {
        return Shape.of(2, 3L * units);
    }

    @Override
    protected Tensor projectInputs(Tensor x) {
        return x.matmul(kernel.value()).add(bias.value().select(0, 0));
    }

    @Override
    protected Tensor[] step(Tensor projected, Tensor[] states) {
        Tensor h = states[0];
        Tensor inner = h.matmul(recurrentKernel.value()).add(bias.value().select(0, 1));
        Tensor[] zr = projected.narrow(1, 0, 2L * units).add(inner.narrow(1, 0, 2L * units)).sigmoid().chunk(2, 1);
        Tensor z = zr[0];
        Tensor candidate = projected.narrow(1, 2L * units, units).add(zr[1].mul(inner.narrow(1, 2L * units, units))).tanh();
        Tensor next = z.mul(h).add(z.rsub(1.0).mul(candidate));
        return new Tensor[] {next};
    }
}

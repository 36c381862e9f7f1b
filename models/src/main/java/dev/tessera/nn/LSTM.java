package dev.tessera.nn;

import dev.tessera.Tensor;
import dev.tessera.nn.init.Initializer;

/**
 * Long short-term memory as Keras computes it: gate order i, f, c, o; kernel (in, 4u)
 * glorot-uniform, recurrent_kernel (u, 4u) orthogonal, bias (4u) zeros with ones on the forget
 * gate (unit_forget_bias); c' = f * c + i * tanh(g), h' = o * tanh(c'). States are {h, c}.
 */
public final class LSTM extends Recurrent {
    public LSTM(int units) {
        this(null, units);
    }

    public LSTM(String name, int units) {
        super(name, units);
    }

    @Override
    public int stateCount() {
        return 2;
    }

    @Override
    protected int gates() {
        return 4;
    }

    @Override
    protected Initializer biasInitializer() {
        return RnnInit.unitForgetBias(units);
    }

    @Override
    protected Tensor[] step(Tensor projected, Tensor[] states) {
        Tensor gates = projected.add(states[0].matmul(recurrentKernel.value()));
        Tensor[] inputForget = gates.narrow(1, 0, 2L * units).sigmoid().chunk(2, 1);
        Tensor candidate = gates.narrow(1, 2L * units, units).tanh();
        Tensor out = gates.narrow(1, 3L * units, units).sigmoid();
        Tensor c = inputForget[1].mul(states[1]).add(inputForget[0].mul(candidate));
        Tensor h = out.mul(c.tanh());
        return new Tensor[] {h, c};
    }
}

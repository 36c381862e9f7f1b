package dev.tessera.nn;

import dev.tessera.Shape;
import dev.tessera.Tensor;

/**
 * Long short-term memory as Keras computes it: gate order i, f, c, o; kernel (in, 4u)
 * glorot-uniform, recurrent_kernel (u, 4u) orthogonal, bias (4u) zeros with ones on the forget
 * gate (unit_forget_bias); c' = f * c + i * tanh(g), h' = o * tanh(c'). States are {h, c}.
 */
public final class LSTM extends Recurrent {
    private Parameter kernel;
    private Parameter recurrentKernel;
    private Parameter bias;

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
    protected void buildWeights(long inputSize) {
        kernel = param("kernel", Shape.of(inputSize, 4L * units), RnnInit.glorotUniform(), true);
        recurrentKernel = param("recurrent_kernel", Shape.of(units, 4L * units), RnnInit.orthogonal(), true);
        bias = param("bias", Shape.of(4L * units), RnnInit.unitForgetBias(units), true);
    }

    @Override
    protected Tensor projectInputs(Tensor x) {
        return x.matmul(kernel.value()).add(bias.value());
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

package dev.tessera.nn;

import dev.tessera.Tensor;

/**
 * The fully connected recurrent layer of Keras: h' = tanh(x W + b + h U) with kernel (in, u)
 * glorot-uniform, recurrent_kernel (u, u) orthogonal and bias (u) zeros.
 */
public final class SimpleRNN extends Recurrent {
    public SimpleRNN(int units) {
        this(null, units);
    }

    public SimpleRNN(String name, int units) {
        super(name, units);
    }

    @Override
    protected int gates() {
        return 1;
    }

    @Override
    protected Tensor[] step(Tensor projected, Tensor[] states) {
        return new Tensor[] {projected.add(states[0].matmul(recurrentKernel.value())).tanh()};
    }
}

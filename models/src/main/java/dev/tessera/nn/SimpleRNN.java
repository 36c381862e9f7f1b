package dev.tessera.nn;

import dev.tessera.Shape;
import dev.tessera.Tensor;

/**
 * The fully connected recurrent layer of Keras: h' = tanh(x W + b + h U) with kernel (in, u)
 * glorot-uniform, recurrent_kernel (u, u) orthogonal and bias (u) zeros.
 */
public final class SimpleRNN extends Recurrent {
    private Parameter kernel;
    private Parameter recurrentKernel;
    private Parameter bias;

    public SimpleRNN(int units) {
        this(null, units);
    }

    public SimpleRNN(String name, int units) {
        super(name, units);
    }

    @Override
    public int stateCount() {
        return 1;
    }

    @Override
    protected void buildWeights(long inputSize) {
        kernel = param("kernel", Shape.of(inputSize, units), RnnInit.glorotUniform(), true);
        recurrentKernel = param("recurrent_kernel", Shape.of(units, units), RnnInit.orthogonal(), true);
        bias = param("bias", Shape.of(units), RnnInit.zeros(), true);
    }

    @Override
    protected Tensor projectInputs(Tensor x) {
        return x.matmul(kernel.value()).add(bias.value());
    }

    @Override
    protected Tensor[] step(Tensor projected, Tensor[] states) {
        return new Tensor[] {projected.add(states[0].matmul(recurrentKernel.value())).tanh()};
    }
}

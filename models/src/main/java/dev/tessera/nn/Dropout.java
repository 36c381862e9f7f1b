package dev.tessera.nn;

import dev.tessera.Shape;
import dev.tessera.Tensor;

/**
 * Inverted dropout: in training mode each element is zeroed with probability {@code rate} and the
 * rest scaled by 1 / (1 - rate), drawing the mask from the module's seeded generator; identity in
 * inference mode.
 */
public class Dropout extends Module {
    private final double rate;

    public Dropout(double rate) {
        if (!(rate >= 0 && rate < 1)) {
            throw new IllegalArgumentException("Dropout: expected a rate in [0, 1) — Received: rate=" + rate);
        }
        this.rate = rate;
    }

    public double rate() {
        return rate;
    }

    @Override
    public Shape computeOutputShape(Shape... inputShapes) {
        expectInputCount(inputShapes.length, 1);
        return inputShapes[0];
    }

    @Override
    protected Tensor forward(Tensor... inputs) {
        expectInputCount(inputs.length, 1);
        Tensor x = inputs[0];
        if (!isTraining() || rate == 0) {
            return x;
        }
        Tensor keep = Tensor.bernoulli(generator(), x.shape(), 1 - rate, x.dtype(), x.device());
        return x.mul(keep.mul(1 / (1 - rate)));
    }
}

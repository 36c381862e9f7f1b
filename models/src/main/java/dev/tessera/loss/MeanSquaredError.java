package dev.tessera.loss;

import dev.tessera.Tensor;

/** mean((predictions - targets)^2) over all elements. */
public final class MeanSquaredError implements Loss {

    @Override
    public Tensor apply(Tensor predictions, Tensor targets) {
        Losses.present(predictions, targets, "MeanSquaredError");
        Losses.sameShape(predictions, targets, "MeanSquaredError");
        return predictions.sub(Losses.asFloating(targets, predictions)).square().mean();
    }

    @Override
    public String name() {
        return "mean_squared_error";
    }
}

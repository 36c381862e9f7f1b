package dev.tessera.optim;

import dev.tessera.Tensor;
import dev.tessera.backend.AdamSpec;
import dev.tessera.nn.Module;
import dev.tessera.nn.Parameter;
import java.util.List;

/**
 * Adam with Keras' defaults (learning rate 1e-3, beta1 0.9, beta2 0.999, epsilon 1e-7) and Keras'
 * formula, which folds the bias correction into the step size and adds epsilon to the uncorrected
 * root: {@code alpha = lr * sqrt(1 - beta2^t) / (1 - beta1^t); m += (g - m)(1 - beta1);
 * v += (g^2 - v)(1 - beta2); w -= alpha * m / (sqrt(v) + epsilon)}. (PyTorch adds epsilon after
 * correcting v, so the two differ by epsilon * sqrt(1 - beta2^t).) The update runs as the backend's
 * fused {@link dev.tessera.backend.Backend#adamUpdate} kernel.
 */
public class Adam extends Optimizer {
    private double beta1 = 0.9;
    private double beta2 = 0.999;
    private double epsilon = 1e-7;

    /** Keras' defaults: learning rate 1e-3. */
    public Adam(Module module) {
        this(module, LearningRateSchedule.constant(1e-3));
    }

    public Adam(Module module, double learningRate) {
        this(module, LearningRateSchedule.constant(learningRate));
    }

    public Adam(Module module, LearningRateSchedule schedule) {
        super(module, schedule);
    }

    public Adam(List<Parameter> parameters, LearningRateSchedule schedule) {
        super(parameters, schedule);
    }

    /** Sets the moment decay rates, each in [0, 1). */
    public Adam betas(double beta1, double beta2) {
        if (!(beta1 >= 0 && beta1 < 1) || !(beta2 >= 0 && beta2 < 1)) {
            throw new IllegalArgumentException(getClass().getSimpleName() + ": betas must lie in [0, 1) — got " + beta1 + ", " + beta2);
        }
        this.beta1 = beta1;
        this.beta2 = beta2;
        return this;
    }

    public Adam epsilon(double epsilon) {
        if (!(epsilon > 0)) {
            throw new IllegalArgumentException(getClass().getSimpleName() + ": epsilon must be > 0 — got " + epsilon);
        }
        this.epsilon = epsilon;
        return this;
    }

    @Override
    protected List<String> slotNames() {
        return List.of("m", "v");
    }

    @Override
    protected void update(String name, Tensor w, Tensor g, double lr) {
        AdamSpec spec = new AdamSpec(lr, beta1, beta2, epsilon, iterations() + 1);
        w.adamUpdateInPlace(g, slot(name, "m", w), slot(name, "v", w), spec);
    }
}

package dev.tessera.optim;

import dev.tessera.Tensor;
import dev.tessera.nn.Module;
import dev.tessera.nn.Parameter;
import java.util.List;

/**
 * Adam with Keras' defaults (learning rate 1e-3, beta1 0.9, beta2 0.999, epsilon 1e-7) and Keras'
 * formula, which folds the bias correction into the step size and adds epsilon to the uncorrected
 * root: {@code alpha = lr * sqrt(1 - beta2^t) / (1 - beta1^t); m += (g - m)(1 - beta1);
 * v += (g^2 - v)(1 - beta2); w -= alpha * m / (sqrt(v) + epsilon)}. (PyTorch adds epsilon after
 * correcting v, so the two differ by epsilon * sqrt(1 - beta2^t).)
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
        long t = iterations() + 1;
        double alpha = lr * Math.sqrt(1.0 - Math.pow(beta2, t)) / (1.0 - Math.pow(beta1, t));
        Tensor m = slot(name, "m", w);
        Tensor v = slot(name, "v", w);
        m.addInPlace(g.sub(m).mul(1.0 - beta1));
        v.addInPlace(g.square().sub(v).mul(1.0 - beta2));
        w.subInPlace(m.mul(alpha).div(v.sqrt().add(epsilon)));
    }
}

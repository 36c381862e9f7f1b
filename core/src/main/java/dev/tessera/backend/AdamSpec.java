package dev.tessera.backend;

/**
 * Hyper-parameters of one Adam step in Keras' formulation: {@code step} is the 1-based update
 * count t, and the bias correction is folded into the step size {@link #stepSize()}.
 */
public record AdamSpec(double learningRate, double beta1, double beta2, double epsilon, long step) {

    public AdamSpec {
        if (!(beta1 >= 0 && beta1 < 1) || !(beta2 >= 0 && beta2 < 1)) {
            throw new IllegalArgumentException("AdamSpec: betas must lie in [0, 1) — got " + beta1 + ", " + beta2);
        }
        if (!(epsilon > 0)) {
            throw new IllegalArgumentException("AdamSpec: epsilon must be > 0 — got " + epsilon);
        }
        if (step < 1) {
            throw new IllegalArgumentException("AdamSpec: step counts from 1 — got " + step);
        }
        if (!Double.isFinite(learningRate)) {
            throw new IllegalArgumentException("AdamSpec: learning rate must be finite — got " + learningRate);
        }
    }

    /** alpha = lr * sqrt(1 - beta2^t) / (1 - beta1^t). */
    public double stepSize() {
        return learningRate * Math.sqrt(1.0 - Math.pow(beta2, step)) / (1.0 - Math.pow(beta1, step));
    }
}

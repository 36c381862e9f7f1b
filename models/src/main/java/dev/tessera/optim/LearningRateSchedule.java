package dev.tessera.optim;

/**
 * The learning rate as a function of the optimizer's step count (0 for the first update), as
 * Keras' {@code LearningRateSchedule}: the schedule is configuration, the step count is state.
 */
@FunctionalInterface
public interface LearningRateSchedule {

    /** The learning rate for the update made after {@code step} earlier updates. */
    double at(long step);

    /** The same rate at every step. */
    static LearningRateSchedule constant(double lr) {
        if (!(lr >= 0) || Double.isInfinite(lr)) {
            throw new IllegalArgumentException("LearningRateSchedule: learning rate must be finite and >= 0 — got " + lr);
        }
        return step -> lr;
    }

    /**
     * PyTorch's StepLR: {@code initial * gamma^floor(step / stepSize)}, the rate cut by {@code gamma}
     * every {@code stepSize} updates.
     */
    static LearningRateSchedule stepDecay(double initial, long stepSize, double gamma) {
        positive("stepDecay", "stepSize", stepSize);
        return step -> initial * Math.pow(gamma, Math.floorDiv(step, stepSize));
    }

    /**
     * Keras' ExponentialDecay: {@code initial * rate^(step / decaySteps)}, with an integer exponent
     * when {@code staircase}.
     */
    static LearningRateSchedule exponentialDecay(double initial, long decaySteps, double rate, boolean staircase) {
        positive("exponentialDecay", "decaySteps", decaySteps);
        return step -> {
            double p = (double) step / decaySteps;
            return initial * Math.pow(rate, staircase ? Math.floor(p) : p);
        };
    }

    /**
     * Keras' CosineDecay without warm-up: the rate falls from {@code initial} along half a cosine to
     * {@code alpha * initial} at {@code decaySteps} and stays there.
     */
    static LearningRateSchedule cosineDecay(double initial, long decaySteps, double alpha) {
        positive("cosineDecay", "decaySteps", decaySteps);
        return step -> {
            double p = Math.min(step, decaySteps) / (double) decaySteps;
            double cosine = 0.5 * (1.0 + Math.cos(Math.PI * p));
            return initial * ((1.0 - alpha) * cosine + alpha);
        };
    }

    private static void positive(String schedule, String what, long v) {
        if (v <= 0) {
            throw new IllegalArgumentException(schedule + ": " + what + " must be > 0 — got " + v);
        }
    }
}

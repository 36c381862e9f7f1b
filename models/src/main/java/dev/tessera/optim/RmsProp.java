package dev.tessera.optim;

import dev.tessera.Tensor;
import dev.tessera.nn.Module;
import dev.tessera.nn.Parameter;
import java.util.List;

/**
 * RMSprop with Keras' defaults (learning rate 1e-3, rho 0.9, no momentum, epsilon 1e-7) and
 * formula, epsilon inside the root: {@code s = rho s + (1 - rho) g^2; step = lr g / sqrt(s + eps)};
 * with momentum {@code mom = momentum * mom + step; w -= mom}, else {@code w -= step}.
 */
public final class RmsProp extends Optimizer {
    private double rho = 0.9;
    private double momentum;
    private double epsilon = 1e-7;

    public RmsProp(Module module) {
        this(module, LearningRateSchedule.constant(1e-3));
    }

    public RmsProp(Module module, LearningRateSchedule schedule) {
        super(module, schedule);
    }

    public RmsProp(List<Parameter> parameters, LearningRateSchedule schedule) {
        super(parameters, schedule);
    }

    public RmsProp rho(double rho) {
        if (!(rho >= 0 && rho < 1)) {
            throw new IllegalArgumentException("RmsProp: rho must lie in [0, 1) — got " + rho);
        }
        this.rho = rho;
        return this;
    }

    public RmsProp momentum(double momentum) {
        if (!(momentum >= 0 && momentum < 1)) {
            throw new IllegalArgumentException("RmsProp: momentum must lie in [0, 1) — got " + momentum);
        }
        this.momentum = momentum;
        return this;
    }

    public RmsProp epsilon(double epsilon) {
        if (!(epsilon > 0)) {
            throw new IllegalArgumentException("RmsProp: epsilon must be > 0 — got " + epsilon);
        }
        this.epsilon = epsilon;
        return this;
    }

    @Override
    protected List<String> slotNames() {
        return momentum > 0 ? List.of("velocity", "momentum") : List.of("velocity");
    }

    @Override
    protected void update(String name, Tensor w, Tensor g, double lr) {
        Tensor s = slot(name, "velocity", w);
        s.mulInPlace(rho).addInPlace(g.square().mul(1.0 - rho));
        Tensor step = g.mul(lr).div(s.add(epsilon).sqrt());
        if (momentum > 0) {
            Tensor mom = slot(name, "momentum", w);
            mom.mulInPlace(momentum).addInPlace(step);
            w.subInPlace(mom);
        } else {
            w.subInPlace(step);
        }
    }
}

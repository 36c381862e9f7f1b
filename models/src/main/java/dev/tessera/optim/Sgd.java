package dev.tessera.optim;

import dev.tessera.Tensor;
import dev.tessera.nn.Module;
import dev.tessera.nn.Parameter;
import java.util.List;

/**
 * Stochastic gradient descent with optional momentum and Nesterov momentum, with Keras' state:
 * the velocity holds the learning rate ({@code v = momentum * v - lr * g; w += v}, Nesterov
 * {@code w += momentum * v - lr * g}). With a constant learning rate this equals PyTorch's SGD
 * ({@code b = momentum * b + g; w -= lr * b}) with {@code v = -lr * b}. Weight decay is
 * decoupled, as in Keras 3 (see {@link Optimizer#weightDecay(double)}), not PyTorch's L2 term.
 */
public final class Sgd extends Optimizer {
    private final double momentum;
    private boolean nesterov;

    /** Plain SGD at a constant learning rate. */
    public Sgd(Module module, double learningRate) {
        this(module, LearningRateSchedule.constant(learningRate), 0.0);
    }

    public Sgd(Module module, LearningRateSchedule schedule, double momentum) {
        super(module, schedule);
        this.momentum = checkMomentum(momentum);
    }

    public Sgd(List<Parameter> parameters, LearningRateSchedule schedule, double momentum) {
        super(parameters, schedule);
        this.momentum = checkMomentum(momentum);
    }

    private static double checkMomentum(double m) {
        if (!(m >= 0 && m < 1)) {
            throw new IllegalArgumentException("Sgd: momentum must lie in [0, 1) — got " + m);
        }
        return m;
    }

    /** Uses Nesterov momentum. */
    public Sgd nesterov(boolean on) {
        this.nesterov = on;
        return this;
    }

    @Override
    protected List<String> slotNames() {
        return momentum == 0 ? List.of() : List.of("velocity");
    }

    @Override
    protected void update(String name, Tensor w, Tensor g, double lr) {
        if (momentum == 0) {
            w.subInPlace(g.mul(lr));
            return;
        }
        Tensor v = slot(name, "velocity", w);
        v.mulInPlace(momentum).subInPlace(g.mul(lr));
        if (nesterov) {
            w.addInPlace(v.mul(momentum).sub(g.mul(lr)));
        } else {
            w.addInPlace(v);
        }
    }
}

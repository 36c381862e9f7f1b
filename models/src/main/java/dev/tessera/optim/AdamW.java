package dev.tessera.optim;

import dev.tessera.nn.Module;
import dev.tessera.nn.Parameter;
import java.util.List;

/**
 * Adam with decoupled weight decay ({@code w -= lr * weightDecay * w} before each Adam update), as
 * Keras' and PyTorch's AdamW; Keras' default decay is 0.004.
 */
public final class AdamW extends Adam {

    /** Learning rate 1e-3 and weight decay 0.004, Keras' defaults. */
    public AdamW(Module module) {
        this(module, LearningRateSchedule.constant(1e-3), 0.004);
    }

    public AdamW(Module module, LearningRateSchedule schedule, double weightDecay) {
        super(module, schedule);
        weightDecay(weightDecay);
    }

    public AdamW(List<Parameter> parameters, LearningRateSchedule schedule, double weightDecay) {
        super(parameters, schedule);
        weightDecay(weightDecay);
    }
}

package dev.tessera.train;

import dev.tessera.Tensor;

/**
 * One batch for the training loop: the model's inputs (several for models such as FiLM that take
 * an image and a question) and the target. A data source for {@link Trainer#fit} is any
 * {@code Iterable<Batch>} that can be iterated once per epoch, so a dataset pipeline adapts to it
 * with a {@code map}.
 */
public record Batch(Tensor[] inputs, Tensor target) {

    public Batch {
        if (inputs == null || inputs.length == 0) {
            throw new IllegalArgumentException("Batch: at least one input is required");
        }
        for (int i = 0; i < inputs.length; i++) {
            if (inputs[i] == null) {
                throw new IllegalArgumentException("Batch: input " + i + " is null");
            }
        }
    }

    /** A batch with one input. */
    public static Batch of(Tensor input, Tensor target) {
        return new Batch(new Tensor[] {input}, target);
    }

    /** The number of samples: the first dimension of the first input. */
    public long size() {
        return inputs[0].rank() == 0 ? 1 : inputs[0].dim(0);
    }
}

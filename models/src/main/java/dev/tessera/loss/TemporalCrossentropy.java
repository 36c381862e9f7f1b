package dev.tessera.loss;

import dev.tessera.DType;
import dev.tessera.Tensor;

/**
 * Softmax cross-entropy over a sequence with a mask (captioning): logits (N, T, V), integer targets
 * (N, T) and a mask (N, T) of 1 for steps that count and 0 for padding; the sum of the masked
 * per-step losses divided by the number of unmasked steps. Used as a {@link Loss} it builds the
 * mask from the targets: every step counts, or every step whose target differs from the padding
 * token given to {@link #ignoring(long)}.
 */
public final class TemporalCrossentropy implements Loss {
    private final Long ignoreIndex;

    /** Every step counts unless a mask is passed to {@link #apply(Tensor, Tensor, Tensor)}. */
    public TemporalCrossentropy() {
        this(null);
    }

    private TemporalCrossentropy(Long ignoreIndex) {
        this.ignoreIndex = ignoreIndex;
    }

    /** A loss whose mask is {@code targets != padToken} (Keras' mask_zero with padToken 0, captioning's NULL token). */
    public static TemporalCrossentropy ignoring(long padToken) {
        return new TemporalCrossentropy(padToken);
    }

    @Override
    public Tensor apply(Tensor logits, Tensor targets) {
        Losses.present(logits, targets, "TemporalCrossentropy");
        Tensor mask = ignoreIndex == null ? null : targets.ne(targets.scalarLike(ignoreIndex));
        return apply(logits, targets, mask);
    }

    /** The masked mean; a null mask counts every step. */
    public Tensor apply(Tensor logits, Tensor targets, Tensor mask) {
        String op = "TemporalCrossentropy";
        Losses.present(logits, targets, op);
        if (logits.rank() != 3) {
            throw new IllegalArgumentException(op + ": logits must be (N, T, V) — got shape " + logits.shape());
        }
        Tensor idx = Losses.sparseIndex(logits, targets, op);
        Tensor stepLoss = logits.logSoftmax(-1).gather(-1, idx).squeeze(-1).neg();
        if (mask == null) {
            return stepLoss.mean();
        }
        if (mask.rank() != 2 || mask.dim(0) != logits.dim(0) || mask.dim(1) != logits.dim(1)) {
            throw new IllegalArgumentException(op + ": mask must be (N, T) = (" + logits.dim(0) + ", " + logits.dim(1)
                    + ") — got shape " + mask.shape());
        }
        DType dt = logits.dtype();
        Tensor m = mask.dtype() == dt ? mask : mask.to(dt);
        // NOTE: an all-padding batch gives 0 / tiny = 0, not 0 / 0 = NaN.
        Tensor count = m.sum().maximum(m.scalarLike(1e-12));
        return stepLoss.mul(m).sum().div(count);
    }

    @Override
    public String name() {
        return "temporal_crossentropy";
    }
}

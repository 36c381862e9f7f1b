package dev.tessera.ops;

import dev.tessera.Shape;
import dev.tessera.Tensor;
import dev.tessera.autograd.Grad;
import dev.tessera.autograd.Node;
import dev.tessera.memory.MemoryScope;

/** Batch normalisation over every axis but the last (channels-last), in training or inference mode. */
public final class Normalization {
    private Normalization() {
    }

    /**
     * Normalises x (..., C). In training the batch statistics are used and the running ones are
     * updated in place as running = momentum * running + (1 - momentum) * batch (the batch variance
     * is the population one, as Keras uses); in inference the running statistics are used.
     * scale and bias may be null (Keras' scale=False / center=False).
     */
    public static Tensor batchNorm(Tensor x, Tensor scale, Tensor bias, Tensor runningMean, Tensor runningVar,
                                   double momentum, double epsilon, boolean training) {
        Checks.floating("batchNorm", x);
        if (x.rank() < 2) {
            throw new IllegalArgumentException("batchNorm: input must have rank >= 2 — got " + x.shape());
        }
        long c = x.dim(-1);
        Shape cs = Shape.of(c);
        for (Tensor t : new Tensor[] {scale, bias, runningMean, runningVar}) {
            if (t != null && !t.shape().equals(cs)) {
                throw new IllegalArgumentException("batchNorm: parameters must have shape " + cs + " for input "
                        + x.shape() + " — got " + t.shape());
            }
        }
        if (runningMean == null || runningVar == null) {
            throw new IllegalArgumentException("batchNorm: running mean and variance are required");
        }
        if (training && x.numel() == 0) {
            throw new IllegalArgumentException("batchNorm: training needs at least one element per channel — got input " + x.shape());
        }
        Tensor mean;
        Tensor invStd;
        // The statistics' temporaries (x - mean and its square, input-sized) are freed here rather than
        // with the caller's scope: nothing in the graph needs them.
        try (Grad ignored = Grad.disabled(); MemoryScope stats = MemoryScope.open()) {
            int[] axes = new int[x.rank() - 1];
            for (int i = 0; i < axes.length; i++) {
                axes[i] = i;
            }
            if (training) {
                mean = x.mean(axes);
                Tensor var = x.variance(false, axes);
                runningMean.mulInPlace(momentum).addInPlace(mean.mul(1 - momentum));
                runningVar.mulInPlace(momentum).addInPlace(var.mul(1 - momentum));
                invStd = var.add(epsilon).sqrt().reciprocal();
            } else {
                mean = runningMean.to(x.dtype());
                invStd = runningVar.to(x.dtype()).add(epsilon).sqrt().reciprocal();
            }
            stats.keep(mean);
            stats.keep(invStd);
        }
        Tensor s = scale != null ? scale : Tensor.ones(cs, x.dtype(), x.device());
        Tensor b = bias != null ? bias : Tensor.zeros(cs, x.dtype(), x.device());
        Tensor y = Tensor.empty(x.shape(), x.dtype(), x.device());
        x.backend().batchNorm(x.operand(), mean.operand(), invStd.operand(), s.operand(), b.operand(), y.operand());
        Tensor m = mean;
        Tensor is = invStd;
        return Node.record(y, "batchNorm", g -> {
            Tensor dx = Tensor.empty(x.shape(), x.dtype(), x.device());
            Tensor ds = Tensor.empty(cs, x.dtype(), x.device());
            Tensor db = Tensor.empty(cs, x.dtype(), x.device());
            x.backend().batchNormBackward(x.operand(), g.operand(), m.operand(), is.operand(), s.operand(), training,
                    dx.operand(), ds.operand(), db.operand());
            return new Tensor[] {dx, scale != null ? ds : null, bias != null ? db : null};
        }, x, scale, bias);
    }
}

package dev.tessera.testing;

import dev.tessera.DType;
import dev.tessera.Tensor;
import dev.tessera.autograd.Grad;
import dev.tessera.memory.MemoryScope;
import java.util.SplittableRandom;
import org.opentest4j.AssertionFailedError;

/**
 * Float64 gradient check: for L = sum(op(x) * g) with a random upstream gradient g, compares each
 * input's autograd gradient with central differences (L(x + eps) - L(x - eps)) / (2 eps).
 */
public final class GradCheck {
    private GradCheck() {
    }

    /** Checks every input of {@code spec} on the default CPU backend; throws AssertionFailedError naming the op and input. */
    public static void check(OpSpec spec, long seed) {
        if (!spec.differentiable()) {
            throw new IllegalArgumentException("GradCheck: " + spec.name() + " is not differentiable");
        }
        SplittableRandom rnd = new SplittableRandom(seed);
        try (MemoryScope scope = MemoryScope.open()) {
            Tensor[] inputs = spec.inputs(DType.FLOAT64, rnd);
            for (Tensor t : inputs) {
                t.requiresGrad(true);
            }
            Tensor y = spec.apply(inputs);
            double[] g = Domain.ANY.sample(rnd, Math.toIntExact(y.numel()));
            y.backward(Tensor.of(g, y.shape().toArray()).to(y.dtype()));
            for (int i = 0; i < inputs.length; i++) {
                if (inputs[i].grad() == null) {
                    throw new AssertionFailedError(spec.name() + ": no gradient reached input " + i + " " + inputs[i].shape());
                }
                double[] analytic = inputs[i].grad().toDoubleArray();
                double[] numeric = numericGradient(spec, inputs, i, g);
                inputs[i].zeroGrad();
                TensorAssert.assertClose(analytic, inputs[i].shape(), numeric, inputs[i].shape(), spec.gradTol(),
                        spec.gradTol(), spec.name() + " gradient of input " + i + " (autograd vs central differences)");
            }
        }
    }

    private static double[] numericGradient(OpSpec spec, Tensor[] inputs, int which, double[] g) {
        double[] x = inputs[which].toDoubleArray();
        double[] grad = new double[x.length];
        double eps = spec.gradEps();
        for (int j = 0; j < x.length; j++) {
            double keep = x[j];
            x[j] = keep + eps;
            double plus = loss(spec, inputs, which, x, g);
            x[j] = keep - eps;
            double minus = loss(spec, inputs, which, x, g);
            x[j] = keep;
            grad[j] = (plus - minus) / (2 * eps);
        }
        return grad;
    }

    /** sum(op(inputs with input {@code which} replaced by {@code x}) * g), without recording a graph. */
    private static double loss(OpSpec spec, Tensor[] inputs, int which, double[] x, double[] g) {
        try (Grad ignored = Grad.disabled(); MemoryScope scope = MemoryScope.open()) {
            Tensor[] args = new Tensor[inputs.length];
            for (int i = 0; i < args.length; i++) {
                args[i] = i == which ? Tensor.of(x, inputs[i].shape().toArray()) : inputs[i].detach();
            }
            double[] y = spec.apply(args).toDoubleArray();
            double sum = 0;
            for (int k = 0; k < y.length; k++) {
                sum += y[k] * g[k];
            }
            return sum;
        }
    }
}

package dev.tessera.examples;

import dev.tessera.DType;
import dev.tessera.Device;
import dev.tessera.Shape;
import dev.tessera.Tensor;
import dev.tessera.autograd.Grad;
import dev.tessera.memory.MemoryScope;
import dev.tessera.random.Generator;
import java.util.Locale;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * A two-layer network trained with autograd and plain gradient descent on generated data: it
 * learns y = sin(3 x1) * x2 from noisy samples and prints the training and held-out loss as they fall.
 */
@Command(name = "regression-demo", mixinStandardHelpOptions = true,
        description = "Trains a 2-layer MLP on generated data with autograd and prints the falling loss.")
public final class RegressionDemo implements Runnable {
    @Option(names = "--samples", description = "Training samples (default: ${DEFAULT-VALUE}).")
    int samples = 4096;

    @Option(names = "--hidden", description = "Hidden units (default: ${DEFAULT-VALUE}).")
    int hidden = 64;

    @Option(names = "--steps", description = "Gradient steps (default: ${DEFAULT-VALUE}).")
    int steps = 600;

    @Option(names = "--lr", description = "Learning rate (default: ${DEFAULT-VALUE}).")
    double lr = 0.1;

    @Option(names = "--seed", description = "Random seed (default: ${DEFAULT-VALUE}).")
    long seed = 42;

    /** Final held-out mean squared error of the last run. */
    double finalValidationLoss = Double.NaN;

    /** Held-out mean squared error of the untrained network. */
    double initialValidationLoss = Double.NaN;

    @Override
    public void run() {
        Generator gen = new Generator(seed);
        Device cpu = Device.cpu();
        Tensor x = Tensor.uniform(gen, Shape.of(samples, 2), -1, 1, DType.FLOAT32, cpu);
        Tensor y = target(x).add(Tensor.normal(gen, Shape.of(samples, 1), 0, 0.05, DType.FLOAT32, cpu));
        Tensor xv = Tensor.uniform(gen, Shape.of(1024, 2), -1, 1, DType.FLOAT32, cpu);
        Tensor yv = target(xv);

        double limit1 = Math.sqrt(6.0 / (2 + hidden));
        double limit2 = Math.sqrt(6.0 / (hidden + 1));
        Tensor w1 = Tensor.uniform(gen, Shape.of(2, hidden), -limit1, limit1, DType.FLOAT32, cpu).requiresGrad(true);
        Tensor b1 = Tensor.zeros(Shape.of(hidden), DType.FLOAT32, cpu).requiresGrad(true);
        Tensor w2 = Tensor.uniform(gen, Shape.of(hidden, 1), -limit2, limit2, DType.FLOAT32, cpu).requiresGrad(true);
        Tensor b2 = Tensor.zeros(Shape.of(1), DType.FLOAT32, cpu).requiresGrad(true);
        Tensor[] params = {w1, b1, w2, b2};

        System.out.printf(Locale.ROOT, "2-layer MLP (2 -> %d tanh -> 1), %d samples, %d steps of gradient descent, lr %.3f%n",
                hidden, samples, steps, lr);
        initialValidationLoss = validationLoss(xv, yv, params);
        long start = System.nanoTime();
        for (int step = 1; step <= steps; step++) {
            try (MemoryScope scope = MemoryScope.open()) {
                Tensor loss = forward(x, params).sub(y).square().mean();
                loss.backward();
                try (Grad g = Grad.disabled()) {
                    for (Tensor p : params) {
                        p.subInPlace(p.grad().mul(lr));
                        p.zeroGrad();
                    }
                }
                if (step == 1 || step % (steps / 10) == 0) {
                    System.out.printf(Locale.ROOT, "step %4d  train loss %.5f  validation loss %.5f%n",
                            step, loss.item(), validationLoss(xv, yv, params));
                }
            }
        }
        finalValidationLoss = validationLoss(xv, yv, params);
        System.out.printf(Locale.ROOT, "done in %.1f s: validation loss %.5f (untrained %.5f)%n",
                (System.nanoTime() - start) / 1e9, finalValidationLoss, initialValidationLoss);
    }

    private static Tensor target(Tensor x) {
        return x.select(1, 0).mul(3.0).unary(dev.tessera.backend.UnaryOp.SIN, 0).mul(x.select(1, 1)).unsqueeze(1);
    }

    private static Tensor forward(Tensor x, Tensor[] p) {
        return x.matmul(p[0]).add(p[1]).tanh().matmul(p[2]).add(p[3]);
    }

    private static double validationLoss(Tensor xv, Tensor yv, Tensor[] params) {
        try (MemoryScope scope = MemoryScope.open(); Grad g = Grad.disabled()) {
            return forward(xv, params).sub(yv).square().mean().item();
        }
    }
}

package dev.tessera.testing;

import dev.tessera.DType;
import dev.tessera.Shape;
import dev.tessera.Tensor;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.Function;

/**
 * One public op as the tests see it: a name, the shapes and value domains of its floating-point
 * inputs, the op written in the public Tensor API (constants such as indices are made inside the
 * function, on the inputs' device), whether it has a gradient, and the step and relative
 * tolerance its gradient check uses.
 */
public record OpSpec(String name, List<Shape> inputShapes, List<Domain> domains, Function<Tensor[], Tensor> fn,
                     boolean differentiable, double gradEps, double gradTol) {

    /** Central-difference step of the float64 gradient check. */
    public static final double EPS = 1e-6;
    /** Relative tolerance of the float64 gradient check. */
    public static final double TOL = 1e-6;

    public OpSpec {
        if (inputShapes.size() != domains.size()) {
            throw new IllegalArgumentException("OpSpec " + name + ": " + inputShapes.size() + " shapes but "
                    + domains.size() + " domains");
        }
        inputShapes = List.copyOf(inputShapes);
        domains = List.copyOf(domains);
    }

    /** A differentiable op whose inputs all come from {@link Domain#ANY}. */
    public static OpSpec of(String name, Function<Tensor[], Tensor> fn, Shape... shapes) {
        Domain[] d = new Domain[shapes.length];
        Arrays.fill(d, Domain.ANY);
        return new OpSpec(name, List.of(shapes), List.of(d), fn, true, EPS, TOL);
    }

    /** This spec with one domain per input. */
    public OpSpec domains(Domain... d) {
        return new OpSpec(name, inputShapes, List.of(d), fn, differentiable, gradEps, gradTol);
    }

    /** This spec marked as having no gradient. */
    public OpSpec notDifferentiable() {
        return new OpSpec(name, inputShapes, domains, fn, false, gradEps, gradTol);
    }

    /** This spec with a coarser gradient check (for ops that round through FLOAT32). */
    public OpSpec gradCheck(double eps, double tol) {
        return new OpSpec(name, inputShapes, domains, fn, differentiable, eps, tol);
    }

    /** Random inputs of {@code dtype} on the CPU, drawn from each input's domain. */
    public Tensor[] inputs(DType dtype, SplittableRandom rnd) {
        Tensor[] t = new Tensor[inputShapes.size()];
        for (int i = 0; i < t.length; i++) {
            Shape s = inputShapes.get(i);
            double[] v = domains.get(i).sample(rnd, Math.toIntExact(s.numel()));
            t[i] = Tensor.of(v, s.toArray()).to(dtype);
        }
        return t;
    }

    /** Applies the op. */
    public Tensor apply(Tensor... inputs) {
        return fn.apply(inputs);
    }

    @Override
    public String toString() {
        return name + " " + inputShapes;
    }
}

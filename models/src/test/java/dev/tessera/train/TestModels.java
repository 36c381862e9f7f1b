package dev.tessera.train;

import dev.tessera.Shape;
import dev.tessera.Tensor;
import dev.tessera.nn.Module;
import dev.tessera.nn.Parameter;
import dev.tessera.random.Generator;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;

/** Small modules and data sources for the training-loop tests (no layer library needed). */
final class TestModels {
    private TestModels() {
    }

    /** y = x W + b with W drawn from the module generator. */
    static final class Affine extends Module {
        private final int units;
        private Parameter kernel;
        private Parameter bias;

        Affine(String name, int units) {
            super(name);
            this.units = units;
        }

        @Override
        protected void build(Shape... shapes) {
            long in = shapes[0].dim(-1);
            kernel = param("kernel", Shape.of(in, units), (s, dt, dev, g) -> Tensor.normal(g, s, 0, 0.5, dt, dev), true);
            bias = param("bias", Shape.of(units), (s, dt, dev, g) -> Tensor.zeros(s, dt, dev), true);
        }

        @Override
        protected Tensor forward(Tensor... inputs) {
            return inputs[0].matmul(kernel.value()).add(bias.value());
        }
    }

    /**
     * Affine, tanh, inverted dropout whose mask comes from the model generator in training mode,
     * affine: logits over {@code classes}.
     */
    static final class NoisyClassifier extends Module {
        private final Affine hidden;
        private final Affine out;
        private final double keep;

        NoisyClassifier(int hiddenUnits, int classes, double keep) {
            super("noisy_classifier");
            this.hidden = child("hidden", new Affine("hidden", hiddenUnits));
            this.out = child("out", new Affine("out", classes));
            this.keep = keep;
        }

        @Override
        protected Tensor forward(Tensor... inputs) {
            Tensor h = hidden.call(inputs[0]).tanh();
            if (isTraining() && keep < 1.0) {
                Tensor mask = Tensor.bernoulli(generator(), h.shape(), keep, h.dtype(), h.device());
                h = h.mul(mask).div(keep);
            }
            return out.call(h);
        }
    }

    /** Batches of a fixed data set, reshuffled at the start of every pass with a seeded generator. */
    static final class ShuffledBatches implements Iterable<Batch> {
        private final float[][] rows;
        private final long[] labels;
        private final int batchSize;
        private final Generator gen;

        ShuffledBatches(float[][] rows, long[] labels, int batchSize, Generator gen) {
            this.rows = rows;
            this.labels = labels;
            this.batchSize = batchSize;
            this.gen = gen;
        }

        @Override
        public Iterator<Batch> iterator() {
            int n = rows.length;
            int[] order = new int[n];
            for (int i = 0; i < n; i++) {
                order[i] = i;
            }
            if (gen != null) {
                for (int i = n - 1; i > 0; i--) {
                    int j = gen.nextInt(i + 1);
                    int t = order[i];
                    order[i] = order[j];
                    order[j] = t;
                }
            }
            List<Batch> batches = new ArrayList<>();
            int features = rows[0].length;
            for (int start = 0; start < n; start += batchSize) {
                int m = Math.min(batchSize, n - start);
                float[] x = new float[m * features];
                long[] y = new long[m];
                for (int i = 0; i < m; i++) {
                    System.arraycopy(rows[order[start + i]], 0, x, i * features, features);
                    y[i] = labels[order[start + i]];
                }
                batches.add(Batch.of(Tensor.of(x, m, features), Tensor.of(y, m)));
            }
            return batches.iterator();
        }
    }

    /** A separable 3-class problem: the label is the index of the largest of the first three features. */
    static ShuffledBatches threeClasses(int samples, int batchSize, Generator shuffle) {
        Generator g = new Generator(99);
        float[][] rows = new float[samples][4];
        long[] labels = new long[samples];
        for (int i = 0; i < samples; i++) {
            int best = 0;
            for (int f = 0; f < 4; f++) {
                rows[i][f] = (float) g.nextGaussian();
                if (f < 3 && rows[i][f] > rows[i][best]) {
                    best = f;
                }
            }
            labels[i] = best;
        }
        return new ShuffledBatches(rows, labels, batchSize, shuffle);
    }

    /** Every parameter's values, flattened in registration order. */
    static List<float[]> weights(Module m) {
        List<float[]> out = new ArrayList<>();
        for (Parameter p : m.parameters()) {
            out.add(p.value().toFloatArray());
        }
        return out;
    }
}

package dev.tessera.nn.init;

import dev.tessera.DType;
import dev.tessera.Device;
import dev.tessera.Shape;
import dev.tessera.Tensor;
import dev.tessera.ops.Creation;
import dev.tessera.random.Generator;

/** Normal draws kept within two standard deviations of the mean (TensorFlow's truncated normal), drawn on the host. */
final class TruncatedNormal {
    private TruncatedNormal() {
    }

    static Tensor sample(Shape shape, double mean, double stddev, DType dtype, Device device, Generator gen) {
        return Creation.fromDoubleStream(shape, dtype, device, () -> {
            double z;
            do {
                z = gen.nextGaussian();
            } while (Math.abs(z) > 2.0);
            return mean + stddev * z;
        });
    }
}

package dev.tessera.nn.init;

import dev.tessera.DType;
import dev.tessera.Device;
import dev.tessera.Shape;
import dev.tessera.Tensor;
import dev.tessera.random.Generator;

/**
 * Keras' VarianceScaling, the family behind the Glorot, He and LeCun initialisers: the variance is
 * scale / n with n the fan-in, the fan-out or their mean (see {@link Fans}), drawn uniformly, from
 * a normal, or from a normal truncated at two standard deviations (whose stddev is divided by
 * .87962566103423978, the stddev of a unit normal truncated there, so the variance comes out right).
 */
public record VarianceScaling(double scale, Mode mode, Distribution distribution) implements Initializer {

    /** Which fan divides the scale. */
    public enum Mode { FAN_IN, FAN_OUT, FAN_AVG }

    /** What the values are drawn from. */
    public enum Distribution { UNIFORM, NORMAL, TRUNCATED_NORMAL }

    private static final double TRUNCATED_STDDEV = .87962566103423978;

    public VarianceScaling {
        if (!(scale > 0)) {
            throw new IllegalArgumentException("VarianceScaling: expected a positive scale — Received: scale=" + scale);
        }
        if (mode == null || distribution == null) {
            throw new IllegalArgumentException("VarianceScaling: mode and distribution are required — Received: mode="
                    + mode + ", distribution=" + distribution);
        }
    }

    @Override
    public Tensor create(Shape shape, DType dtype, Device device, Generator gen) {
        Fans fans = Fans.of(shape);
        double n = switch (mode) {
            case FAN_IN -> fans.in();
            case FAN_OUT -> fans.out();
            case FAN_AVG -> (fans.in() + fans.out()) / 2.0;
        };
        double variance = scale / Math.max(1.0, n);
        return switch (distribution) {
            case UNIFORM -> {
                double limit = Math.sqrt(3.0 * variance);
                yield Tensor.uniform(gen, shape, -limit, limit, dtype, device);
            }
            case NORMAL -> Tensor.normal(gen, shape, 0.0, Math.sqrt(variance), dtype, device);
            case TRUNCATED_NORMAL -> TruncatedNormal.sample(shape, 0.0, Math.sqrt(variance) / TRUNCATED_STDDEV,
                    dtype, device, gen);
        };
    }
}

package dev.tessera.ops;

/** How convolutions and pooling pad: VALID adds nothing; SAME pads so that out = ceil(in / stride), extra on the bottom/right as TensorFlow does. */
public enum Padding {
    SAME,
    VALID;

    /** {before, after} padding of one spatial dimension for input size {@code in}, kernel {@code k}, stride and dilation. */
    public int[] amounts(long in, int k, int stride, int dilation) {
        if (k < 1 || stride < 1 || dilation < 1) {
            throw new IllegalArgumentException("padding " + this + ": kernel size, stride and dilation must be >= 1 — got kernel "
                    + k + ", stride " + stride + ", dilation " + dilation);
        }
        if (this == VALID) {
            return new int[] {0, 0};
        }
        long effective = (long) (k - 1) * dilation + 1;
        long out = (in + stride - 1) / stride;
        long total = Math.max((out - 1) * stride + effective - in, 0);
        return new int[] {(int) (total / 2), (int) (total - total / 2)};
    }
}

package dev.tessera.cpu.kernel;

import static dev.tessera.cpu.kernel.Mem.U;

import dev.tessera.DType;
import dev.tessera.backend.Conv2dSpec;

/**
 * Stride-1 float32 convolutions from a single channel to at most 8 (an MNIST model's first layer) as direct
 * native loops over a padded copy of each image, eight output columns at a time: im2col + GEMM ran
 * LeNet-5's 5x5, 1 -> 6 layer at 10 GFLOP/s (a 25-deep product with 6 columns). Forward and filter
 * gradient only; the data gradient of such a layer is rarely wanted (the input is data) and keeps
 * col2im.
 */
final class SingleChannelConv {
    /** Images per partial sum of the filter gradient: fixed, so every thread count adds in the same order. */
    private static final int IMAGES_PER_PART = 8;

    private SingleChannelConv() {
    }

    /**
     * Most output channels: with 16 (Fashion-MNIST's 3x3 first layer) the GEMM is 16 columns wide and
     * im2col + GEMM measured faster (forward 0.58 against 0.77-0.87 ms at batch 64).
     */
    private static final long MAX_OUTPUTS = 8;

    /** Whether a convolution from c to o channels under s goes this way. */
    static boolean applies(DType t, Conv2dSpec s, long c, long o) {
        return t == DType.FLOAT32 && NativeKernels.available() && c == 1 && o <= MAX_OUTPUTS && s.strideH() == 1
                && s.strideW() == 1 && s.dilationH() == 1 && s.dilationW() == 1;
    }

    /** Floats of one padded image plus the 8 that the last row's vector loads may read past it. */
    private static long padFloats(long kh, long kw, long oh, long ow) {
        return (oh + kh - 1) * (ow + kw - 1) + 8;
    }

    /** y (n, oh, ow, o) = conv2d(x (n, h, w, 1), k (kh, kw, 1, o)); addresses in bytes. */
    static void forward(Conv2dSpec s, long n, long h, long w, long kh, long kw, long o, long oh, long ow, long x,
                        long k, long y) {
        long padBytes = padFloats(kh, kw, oh, ow) * 4;
        long grain = Math.max(1, Parallel.GRAIN / Math.max(1, oh * ow * o));
        Parallel.forRange(n, grain, (n0, n1) -> {
            long pad = HostBlocks.allocate(padBytes);
            try {
                NativeKernels.conv1chForward(x, k, y, pad, n0, n1, h, w, kh, kw, o, oh, ow, s.padTop(), s.padLeft());
            } finally {
                HostBlocks.free(pad, padBytes);
            }
        });
    }

    /** dw (kh, kw, 1, o) for x (n, h, w, 1) and dy (n, oh, ow, o): lane sums per fixed group of images, then added in order. */
    static void backwardFilter(Conv2dSpec s, long n, long h, long w, long kh, long kw, long o, long oh, long ow, long x,
                               long dy, long dw) {
        int parts = (int) ((n + IMAGES_PER_PART - 1) / IMAGES_PER_PART);
        long accFloats = kh * kw * o * 8;
        long padBytes = padFloats(kh, kw, oh, ow) * 4;
        long accBytes = parts * accFloats * 4;
        long acc = HostBlocks.allocate(accBytes);
        try {
            Mem.zero(acc, accBytes);
            Parallel.forTasks(parts, p -> {
                long pad = HostBlocks.allocate(padBytes);
                try {
                    long n0 = (long) p * IMAGES_PER_PART;
                    NativeKernels.conv1chFilter(x, dy, acc + p * accFloats * 4, pad, n0, Math.min(n, n0 + IMAGES_PER_PART),
                            h, w, kh, kw, o, oh, ow, s.padTop(), s.padLeft());
                } finally {
                    HostBlocks.free(pad, padBytes);
                }
            });
            for (long i = 0; i < kh * kw * o; i++) {
                float sum = 0;
                for (int p = 0; p < parts; p++) {
                    long at = acc + (p * accFloats + i * 8) * 4;
                    for (int j = 0; j < 8; j++) {
                        sum += U.getFloat(at + j * 4L);
                    }
                }
                U.putFloat(dw + i * 4, sum);
            }
        } finally {
            HostBlocks.free(acc, accBytes);
        }
    }
}

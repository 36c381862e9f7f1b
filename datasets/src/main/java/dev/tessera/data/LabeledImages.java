package dev.tessera.data;

import dev.tessera.Shape;
import dev.tessera.Tensor;
import java.util.List;

/**
 * An in-memory image classification set: N images of 8-bit pixels in NHWC order and one integer
 * label each. Pixels stay as bytes (a quarter of the memory of floats) and become FLOAT32 in
 * [0, 1] when turned into tensors.
 */
public final class LabeledImages {
    private final byte[] pixels;
    private final long[] labels;
    /**
     * A batch's scaled pixels, per thread, reused: {@code Tensor.of} copies them out, and a fresh
     * array per step (200 KB at batch 64) was most of an epoch's garbage, which G1 answered by
     * growing the young generation and the process's resident memory with it.
     */
    private final ThreadLocal<float[]> batchScratch = new ThreadLocal<>();
    private final int height;
    private final int width;
    private final int channels;

    /** Wraps {@code pixels} (N×H×W×C unsigned bytes, NHWC) and {@code labels} (N); the arrays are not copied. */
    public LabeledImages(byte[] pixels, long[] labels, int height, int width, int channels) {
        long perImage = (long) height * width * channels;
        if (pixels == null || labels == null || perImage <= 0 || pixels.length != perImage * labels.length) {
            throw new IllegalArgumentException("LabeledImages: " + (pixels == null ? "null" : pixels.length)
                    + " pixel bytes do not hold " + (labels == null ? "null" : labels.length) + " images of ("
                    + height + ", " + width + ", " + channels + ")");
        }
        this.pixels = pixels;
        this.labels = labels;
        this.height = height;
        this.width = width;
        this.channels = channels;
    }

    /** Number of images. */
    public int size() {
        return labels.length;
    }

    /** The shape of one image, (H, W, C). */
    public Shape imageShape() {
        return Shape.of(height, width, channels);
    }

    /** Label of image {@code i}. */
    public long label(int i) {
        return labels[i];
    }

    /** The labels (a copy). */
    public long[] labels() {
        return labels.clone();
    }

    /** Pixel {@code (h, w, c)} of image {@code i} as an unsigned byte value 0–255. */
    public int pixel(int i, int h, int w, int c) {
        return pixels[((i * height + h) * width + w) * channels + c] & 0xFF;
    }

    /** The same images with other labels (CIFAR-100's coarse labels share the fine set's pixels). */
    public LabeledImages withLabels(long[] newLabels) {
        return new LabeledImages(pixels, newLabels, height, width, channels);
    }

    /** Images {@code from} (inclusive) to {@code to} (exclusive) scaled to [0, 1], row-major NHWC. */
    public float[] scaledPixels(int from, int to) {
        checkRange(from, to);
        int per = height * width * channels;
        float[] out = new float[(to - from) * per];
        scale(from * per, out, 0, out.length);
        return out;
    }

    /** All images as a FLOAT32 (N, H, W, C) tensor in [0, 1]. */
    public Tensor images() {
        return Tensor.of(scaledPixels(0, size()), size(), height, width, channels);
    }

    /** All labels as an INT64 (N) tensor. */
    public Tensor labelTensor() {
        return Tensor.of(labels.clone(), labels.length);
    }

    /** Batches in file order of (images (B, H, W, C) FLOAT32 in [0, 1], labels (B) INT64). */
    public Dataset<Pair<Tensor, Tensor>> batches(int batchSize, boolean dropRemainder) {
        return Dataset.range(size()).batch(batchSize, dropRemainder).map(this::gather);
    }

    /** As {@link #batches(int, boolean)} in a seeded random order that changes each epoch (see {@link Dataset#shuffle(int, long)}). */
    public Dataset<Pair<Tensor, Tensor>> shuffledBatches(int batchSize, boolean dropRemainder, long seed) {
        return Dataset.range(size()).shuffle(Math.max(1, size()), seed).batch(batchSize, dropRemainder).map(this::gather);
    }

    private Pair<Tensor, Tensor> gather(List<Long> indices) {
        int per = height * width * channels;
        float[] x = batchScratch.get();
        if (x == null || x.length != indices.size() * per) {
            x = new float[indices.size() * per];
            batchScratch.set(x);
        }
        long[] y = new long[indices.size()];
        for (int b = 0; b < y.length; b++) {
            int i = Math.toIntExact(indices.get(b));
            scale(i * per, x, b * per, per);
            y[b] = labels[i];
        }
        return Pair.of(Tensor.of(x, y.length, height, width, channels), Tensor.of(y, y.length));
    }

    /** Writes {@code n} pixels from {@code from} into {@code out} at {@code at}, scaled to [0, 1]. */
    private void scale(int from, float[] out, int at, int n) {
        for (int k = 0; k < n; k++) {
            out[at + k] = (pixels[from + k] & 0xFF) / 255f;
        }
    }

    private void checkRange(int from, int to) {
        if (from < 0 || to > size() || from > to) {
            throw new IllegalArgumentException("LabeledImages: range [" + from + ", " + to + ") is outside [0, " + size() + ")");
        }
    }
}

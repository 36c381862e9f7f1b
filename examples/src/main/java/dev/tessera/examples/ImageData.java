package dev.tessera.examples;

import dev.tessera.data.LabeledImages;
import dev.tessera.data.idx.IdxReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Arrays;

/**
 * Finds and splits the MNIST-format (IDX) data the image examples train on: a directory given by the user, a
 * default location, or, when neither exists, the 60-image Fashion-MNIST slice shipped in this module for a smoke
 * run (with a message saying what to install or pass).
 */
public final class ImageData {
    /** Where Debian's dataset-fashion-mnist package installs the files. */
    public static final Path DEBIAN_FASHION_MNIST = Path.of("/usr/share/datasets/fashion-mnist");

    private static final String[] FILES = {"train-images-idx3-ubyte.gz", "train-labels-idx1-ubyte.gz",
        "t10k-images-idx3-ubyte.gz", "t10k-labels-idx1-ubyte.gz"};

    /** Training and test images. */
    public record Split(LabeledImages train, LabeledImages test) {
    }

    private ImageData() {
    }

    /**
     * Loads {@code dir}, or {@code fallback} when {@code dir} is null; when that folder lacks the files, says so on
     * {@code out} with {@code hint} and loads the shipped slice. {@code limit} > 0 keeps the first images of each split.
     */
    public static Split load(Path dir, Path fallback, String hint, int limit, PrintStream out) throws IOException {
        Path chosen = dir != null ? dir : fallback;
        if (dir != null && !hasFiles(dir)) {
            throw new IllegalArgumentException("no MNIST-format IDX files (train-images-idx3-ubyte[.gz] and the other three) in "
                    + dir + " — " + hint);
        }
        if (!hasFiles(chosen)) {
            out.println("No IDX files in " + chosen + ": " + hint);
            out.println("Falling back to the 60-image Fashion-MNIST slice shipped with the examples (a smoke run only).");
            chosen = shippedSlice();
        }
        out.println("Reading " + chosen);
        return new Split(head(split(chosen, "train"), limit), head(split(chosen, "t10k"), limit));
    }

    /** Images {@code from} (inclusive) to {@code to} (exclusive) of {@code images}. */
    public static LabeledImages range(LabeledImages images, int from, int to) {
        int h = (int) images.imageShape().dim(0);
        int w = (int) images.imageShape().dim(1);
        int c = (int) images.imageShape().dim(2);
        int per = h * w * c;
        byte[] pixels = new byte[(to - from) * per];
        for (int i = from; i < to; i++) {
            for (int y = 0; y < h; y++) {
                for (int x = 0; x < w; x++) {
                    for (int k = 0; k < c; k++) {
                        pixels[((i - from) * h * w + y * w + x) * c + k] = (byte) images.pixel(i, y, x, k);
                    }
                }
            }
        }
        return new LabeledImages(pixels, Arrays.copyOfRange(images.labels(), from, to), h, w, c);
    }

    private static LabeledImages head(LabeledImages images, int limit) {
        return limit > 0 && limit < images.size() ? range(images, 0, limit) : images;
    }

    private static LabeledImages split(Path dir, String prefix) {
        return IdxReader.readLabeledImages(find(dir, prefix + "-images-idx3-ubyte"), find(dir, prefix + "-labels-idx1-ubyte"));
    }

    private static boolean hasFiles(Path dir) {
        for (String f : FILES) {
            String plain = f.substring(0, f.length() - 3);
            if (!Files.isRegularFile(dir.resolve(f)) && !Files.isRegularFile(dir.resolve(plain))) {
                return false;
            }
        }
        return true;
    }

    private static Path find(Path dir, String name) {
        Path plain = dir.resolve(name);
        return Files.isRegularFile(plain) ? plain : dir.resolve(name + ".gz");
    }

    private static Path shippedSlice() throws IOException {
        Path tmp = Files.createTempDirectory("tessera-fashion-mnist-slice");
        tmp.toFile().deleteOnExit();
        for (String f : FILES) {
            try (InputStream in = ImageData.class.getResourceAsStream("fashion-mnist-slice/" + f)) {
                if (in == null) {
                    throw new IllegalStateException("examples: the shipped resource fashion-mnist-slice/" + f + " is missing");
                }
                Path target = tmp.resolve(f);
                Files.copy(in, target, StandardCopyOption.REPLACE_EXISTING);
                target.toFile().deleteOnExit();
            }
        }
        return tmp;
    }
}

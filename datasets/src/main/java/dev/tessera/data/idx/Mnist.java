package dev.tessera.data.idx;

import dev.tessera.data.LabeledImages;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Loads MNIST or Fashion-MNIST from a directory holding the four standard files
 * ({@code train-images-idx3-ubyte}, {@code train-labels-idx1-ubyte}, {@code t10k-images-idx3-ubyte},
 * {@code t10k-labels-idx1-ubyte}), each plain or with a {@code .gz} suffix.
 */
public record Mnist(LabeledImages train, LabeledImages test) {

    /** Reads the training and test sets from {@code dir}. */
    public static Mnist load(Path dir) {
        return new Mnist(loadSplit(dir, "train"), loadSplit(dir, "t10k"));
    }

    /** Reads one split: {@code prefix} is "train" or "t10k". */
    public static LabeledImages loadSplit(Path dir, String prefix) {
        return IdxReader.readLabeledImages(find(dir, prefix + "-images-idx3-ubyte"), find(dir, prefix + "-labels-idx1-ubyte"));
    }

    private static Path find(Path dir, String name) {
        if (dir == null) {
            throw new IllegalArgumentException("mnist: directory must not be null");
        }
        for (String candidate : new String[] {name, name + ".gz"}) {
            Path p = dir.resolve(candidate);
            if (Files.isRegularFile(p)) {
                return p;
            }
        }
        throw new IllegalArgumentException("mnist: neither " + name + " nor " + name + ".gz is in " + dir);
    }
}

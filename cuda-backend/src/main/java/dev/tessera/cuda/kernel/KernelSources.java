package dev.tessera.cuda.kernel;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * The CUDA C sources of our kernels, one file per family under
 * {@code src/main/resources/dev/tessera/cuda/kernels/}. {@link #program} is the exact text NVRTC
 * compiles (and the nvcc check in the tests): common.cuh followed by the family's file, with
 * {@code #line} markers so that compiler messages name the original file and line.
 */
public final class KernelSources {
    /** Every kernel family, one .cu file each. */
    public static final List<String> FAMILIES =
            List.of("unary", "binary", "reduce", "indexing", "fill", "cast", "copy", "random", "pool", "norm");

    private static final String DIR = "/dev/tessera/cuda/kernels/";

    private KernelSources() {
    }

    /** The compilable text of one family: the common header, then the family's source. */
    public static String program(String family) {
        if (!FAMILIES.contains(family)) {
            throw new IllegalArgumentException("KernelSources: unknown kernel family — got '" + family + "', expected one of "
                    + FAMILIES);
        }
        return "#line 1 \"common.cuh\"\n" + resource("common.cuh") + "\n#line 1 \"" + family + ".cu\"\n"
                + resource(family + ".cu");
    }

    /** The file name NVRTC reports for a family. */
    public static String fileName(String family) {
        return family + ".cu";
    }

    private static String resource(String name) {
        try (InputStream in = KernelSources.class.getResourceAsStream(DIR + name)) {
            if (in == null) {
                throw new IllegalStateException("KernelSources: resource " + DIR + name + " is missing from the jar");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("KernelSources: cannot read " + DIR + name, e);
        }
    }
}

package dev.tessera.cuda.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;
import static org.junit.jupiter.api.DynamicTest.dynamicTest;

import dev.tessera.backend.BinaryOp;
import dev.tessera.backend.RandomOp;
import dev.tessera.backend.ReduceOp;
import dev.tessera.backend.UnaryOp;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;

/**
 * Compiles every kernel family with {@code nvcc -ptx -arch=sm_90} (unoptimised, which is enough to
 * find errors), on exactly the text NVRTC gets
 * ({@link KernelSources#program}), and checks that the PTX defines every kernel the backend asks
 * for by name. Skipped, visibly, where nvcc is not on the PATH.
 */
class KernelSourcesCompileTest {
    private static final String[] DTYPES = {"f32", "f64", "i32", "i64"};
    private static final String[] FLOATS = {"f32", "f64"};

    @TempDir
    static Path dir;

    private static String nvcc;

    @BeforeAll
    static void findNvcc() {
        for (String p : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
            File f = new File(p, "nvcc");
            if (f.canExecute()) {
                nvcc = f.getPath();
                return;
            }
        }
    }

    @TestFactory
    Stream<DynamicTest> everyFamilyCompilesWithNvccAndDefinesItsKernels() {
        List<DynamicTest> tests = new ArrayList<>();
        for (String family : KernelSources.FAMILIES) {
            tests.add(dynamicTest(family, () -> {
                assumeTrue(nvcc != null, "nvcc is not on the PATH: kernel sources not compiled (install the CUDA toolkit)");
                String ptx = compile(family);
                for (String kernel : expectedKernels(family)) {
                    assertTrue(ptx.contains(".entry " + kernel + "("), family + ".cu: PTX has no kernel " + kernel);
                }
            }));
        }
        return tests.stream();
    }

    private static String compile(String family) throws IOException, InterruptedException {
        Path src = dir.resolve(family + ".cu");
        Path ptx = dir.resolve(family + ".ptx");
        Files.writeString(src, KernelSources.program(family), StandardCharsets.UTF_8);
        // NOTE: -Xcicc -O0 skips LLVM's optimiser: the front end finds every error, in a tenth of the time.
        Process p = new ProcessBuilder(nvcc, "-ptx", "-arch=sm_90", "-std=c++17", "-Xcicc", "-O0", "-o", ptx.toString(),
                src.toString())
                .redirectErrorStream(true).start();
        String log = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(120, TimeUnit.SECONDS), "nvcc timed out on " + family + ".cu");
        assertEquals(0, p.exitValue(), "nvcc failed on " + family + ".cu:\n" + log);
        return Files.readString(ptx, StandardCharsets.UTF_8);
    }

    /** The kernel names CudaBackend builds for a family. */
    private static List<String> expectedKernels(String family) {
        List<String> names = new ArrayList<>();
        switch (family) {
            case "unary" -> {
                for (UnaryOp op : UnaryOp.values()) {
                    for (String t : DTYPES) {
                        names.add("unary_" + op.kernel() + "_" + t);
                    }
                }
            }
            case "binary" -> {
                for (String t : DTYPES) {
                    for (BinaryOp op : BinaryOp.values()) {
                        names.add("binary_" + op.kernel() + "_" + t);
                    }
                    for (String c : DTYPES) {
                        names.add("binary_where_" + t + "_" + c);
                    }
                }
            }
            case "reduce" -> {
                for (ReduceOp op : ReduceOp.values()) {
                    for (String t : DTYPES) {
                        names.add("reduce_" + op.kernel() + "_" + t);
                    }
                }
            }
            case "indexing" -> {
                for (String t : DTYPES) {
                    for (String i : new String[] {"i32", "i64"}) {
                        names.add("indexing_gather_" + t + "_" + i);
                        names.add("indexing_scatter_add_" + t + "_" + i);
                    }
                }
            }
            case "fill" -> {
                for (String t : DTYPES) {
                    names.add("fill_value_" + t);
                }
            }
            case "cast" -> {
                for (String from : DTYPES) {
                    for (String to : DTYPES) {
                        if (!from.equals(to)) {
                            names.add("cast_" + from + "_" + to);
                        }
                    }
                }
            }
            case "copy" -> {
                names.add("copy_strided_x32");
                names.add("copy_strided_x64");
            }
            case "random" -> {
                for (RandomOp op : RandomOp.values()) {
                    for (String t : FLOATS) {
                        names.add("random_" + op.name().toLowerCase(Locale.ROOT) + "_" + t);
                    }
                }
            }
            case "pool" -> {
                for (String t : FLOATS) {
                    for (String k : new String[] {"max", "avg"}) {
                        names.add("pool_" + k + "_" + t);
                        names.add("pool_" + k + "_backward_" + t);
                    }
                }
            }
            case "norm" -> {
                for (String t : FLOATS) {
                    names.add("norm_batch_forward_" + t);
                    names.add("norm_batch_param_grads_" + t);
                    names.add("norm_batch_input_grad_" + t);
                }
            }
            default -> throw new IllegalStateException("no expectation for family " + family);
        }
        return names;
    }
}

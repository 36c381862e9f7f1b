package dev.tessera.cuda.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;
import static org.junit.jupiter.api.DynamicTest.dynamicTest;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
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
                for (String kernel : KernelNames.of(family)) {
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
}

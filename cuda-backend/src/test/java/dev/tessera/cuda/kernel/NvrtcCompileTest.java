package dev.tessera.cuda.kernel;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;
import static org.junit.jupiter.api.DynamicTest.dynamicTest;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.bytedeco.cuda.global.nvrtc;
import org.bytedeco.javacpp.Loader;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * Compiles every kernel family with NVRTC itself (the compiler the backend uses at run time) to an
 * sm_90 CUBIN, through {@link CubinDiskCache} (whose key covers the source, options and NVRTC
 * version), and looks for each kernel's name in it. Needs the NVRTC library but no device, so it
 * also runs under ../shared/gpu/local-check.sh; skipped, with the loading error, where NVRTC does
 * not load (it needs libcuda.so.1 through the JavaCPP presets).
 */
class NvrtcCompileTest {

    private static String nvrtcUnavailable() {
        try {
            Loader.load(nvrtc.class);
            return null;
        } catch (Throwable t) {
            return "NVRTC does not load here: " + t;
        }
    }

    @TestFactory
    Stream<DynamicTest> everyFamilyCompilesWithNvrtcToAnSm90Cubin() {
        List<DynamicTest> tests = new ArrayList<>();
        for (String family : KernelSources.FAMILIES) {
            tests.add(dynamicTest(family, () -> {
                String why = nvrtcUnavailable();
                assumeTrue(why == null, why);
                // NOTE: through the disk cache, so that the backend's first use on an sm_90 device reuses this compile.
                byte[] bytes = KernelCache.cubin(CubinDiskCache.fromSystemProperties(), family, 9, 0);
                String cubin = new String(bytes, StandardCharsets.ISO_8859_1);
                for (String kernel : KernelNames.of(family)) {
                    assertTrue(cubin.contains(kernel), family + ".cu: the CUBIN has no kernel " + kernel);
                }
            }));
        }
        return tests.stream();
    }
}

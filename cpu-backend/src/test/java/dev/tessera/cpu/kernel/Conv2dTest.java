package dev.tessera.cpu.kernel;

import static dev.tessera.cpu.Host.CPU;
import static dev.tessera.cpu.Host.assertClose;
import static dev.tessera.cpu.Host.operand;
import static dev.tessera.cpu.Host.random;
import static dev.tessera.cpu.Host.read;
import static dev.tessera.cpu.Host.rounded;
import static dev.tessera.cpu.Host.tol;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.tessera.DType;
import dev.tessera.backend.Conv2dSpec;
import dev.tessera.backend.Operand;
import dev.tessera.cpu.Host;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import java.util.stream.Stream;

/** Convolution forward and both backward passes against direct loops written here. */
class Conv2dTest {

    /** n, h, w, c, kh, kw, o and the spec. */
    record Case(String name, int n, int h, int w, int c, int kh, int kw, int o, Conv2dSpec s) {
        int oh() {
            return (int) s.outH(h, kh);
        }

        int ow() {
            return (int) s.outW(w, kw);
        }

        @Override
        public String toString() {
            return name;
        }
    }

    /** Cases named "by phases" have at least {@link Conv2d#PHASE_MIN_CHANNELS} input channels; the others take col2im. */
    static Stream<Arguments> cases() {
        Case[] cs = {
            new Case("valid 3x2", 2, 5, 6, 3, 3, 2, 4, new Conv2dSpec(1, 1, 0, 0, 0, 0, 1, 1)),
            // TensorFlow 'same' for stride 2 on 7x8 with a 3x3 kernel pads (1, 1) rows and (0, 1) columns.
            new Case("same stride 2 asymmetric", 3, 7, 8, 5, 3, 3, 6, new Conv2dSpec(2, 2, 1, 1, 0, 1, 1, 1)),
            new Case("same stride 2 asymmetric by phases", 2, 7, 8, 40, 3, 3, 6, new Conv2dSpec(2, 2, 1, 1, 0, 1, 1, 1)),
            new Case("dilation 2", 2, 9, 7, 2, 3, 3, 3, new Conv2dSpec(1, 1, 2, 2, 2, 2, 2, 2)),
            new Case("odd strides and dilation", 1, 11, 9, 3, 2, 3, 2, new Conv2dSpec(2, 3, 1, 0, 0, 2, 2, 1)),
            new Case("same 3x3 by phases", 2, 6, 5, 33, 3, 3, 3, new Conv2dSpec(1, 1, 1, 1, 1, 1, 1, 1)),
            // 'same' 4x4 stride 2 on 8x7 pads (1, 1) rows and (1, 2) columns: four phases of 2x2 taps.
            new Case("same 4x4 stride 2 by phases", 2, 8, 7, 32, 4, 4, 5, new Conv2dSpec(2, 2, 1, 1, 1, 2, 1, 1)),
            // Stride 3 with a 2-wide kernel: the third phase of each axis gets no tap and a zero gradient.
            new Case("stride above kernel by phases", 2, 8, 9, 34, 2, 2, 3, new Conv2dSpec(3, 3, 0, 0, 0, 0, 1, 1)),
            // One input channel, stride 1: the direct single-channel kernels for float32 (10 images: two
            // partial sums of the filter gradient; widths with a partial last block of 8 columns).
            new Case("single channel same 5x5", 10, 9, 11, 1, 5, 5, 6, new Conv2dSpec(1, 1, 2, 2, 2, 2, 1, 1)),
            new Case("single channel valid 3x3, 7 filters", 3, 5, 19, 1, 3, 3, 7, new Conv2dSpec(1, 1, 0, 0, 0, 0, 1, 1)),
            new Case("single channel asymmetric pads", 2, 6, 7, 1, 3, 2, 4, new Conv2dSpec(1, 1, 0, 2, 3, 1, 1, 1)),
            new Case("pointwise", 2, 5, 3, 7, 1, 1, 4, new Conv2dSpec(1, 1, 0, 0, 0, 0, 1, 1)),
            new Case("pointwise stride 2", 2, 5, 5, 3, 1, 1, 2, new Conv2dSpec(2, 2, 0, 0, 0, 0, 1, 1)),
        };
        Stream.Builder<Arguments> b = Stream.builder();
        for (Case c : cs) {
            for (DType t : new DType[] {DType.FLOAT64, DType.FLOAT32}) {
                for (boolean chunked : new boolean[] {false, true}) {
                    b.add(Arguments.of(c, t, chunked));
                }
            }
        }
        return b.build();
    }

    /** Stride-1 3x3 cases that {@link Winograd} takes once its size thresholds are lifted. */
    static Stream<Arguments> winogradCases() {
        Case[] cs = {
            new Case("same, odd output", 2, 5, 7, 3, 3, 3, 4, new Conv2dSpec(1, 1, 1, 1, 1, 1, 1, 1)),
            new Case("valid, one output row", 3, 3, 6, 2, 3, 3, 5, new Conv2dSpec(1, 1, 0, 0, 0, 0, 1, 1)),
            new Case("asymmetric pads", 1, 6, 4, 4, 3, 3, 2, new Conv2dSpec(1, 1, 2, 0, 0, 1, 1, 1)),
            new Case("pads beyond the kernel", 2, 4, 5, 3, 3, 3, 3, new Conv2dSpec(1, 1, 3, 1, 1, 3, 1, 1)),
            new Case("single pixel", 2, 1, 1, 5, 3, 3, 6, new Conv2dSpec(1, 1, 1, 1, 1, 1, 1, 1)),
            new Case("many channels", 2, 8, 8, 24, 3, 3, 20, new Conv2dSpec(1, 1, 1, 1, 1, 1, 1, 1)),
        };
        return float32Cases(cs);
    }

    /** 4x4 stride-2 cases that {@link WinogradStride2} takes once its size thresholds are lifted. */
    static Stream<Arguments> stride2Cases() {
        Case[] cs = {
            // TensorFlow 'same' on 8x7: rows pad (1, 1), columns (1, 2).
            new Case("same, odd width", 2, 8, 7, 3, 4, 4, 5, new Conv2dSpec(2, 2, 1, 1, 1, 2, 1, 1)),
            new Case("valid, a row left over", 2, 9, 8, 2, 4, 4, 3, new Conv2dSpec(2, 2, 0, 0, 0, 0, 1, 1)),
            new Case("pads beyond the kernel", 1, 5, 6, 4, 4, 4, 2, new Conv2dSpec(2, 2, 3, 0, 0, 3, 1, 1)),
            new Case("single output", 2, 4, 4, 3, 4, 4, 4, new Conv2dSpec(2, 2, 0, 0, 0, 0, 1, 1)),
            new Case("many channels", 2, 12, 10, 20, 4, 4, 18, new Conv2dSpec(2, 2, 1, 1, 1, 1, 1, 1)),
        };
        return float32Cases(cs);
    }

    private static Stream<Arguments> float32Cases(Case... cs) {
        Stream.Builder<Arguments> b = Stream.builder();
        for (Case c : cs) {
            for (boolean chunked : new boolean[] {false, true}) {
                b.add(Arguments.of(c, DType.FLOAT32, chunked));
            }
        }
        return b.build();
    }

    @AfterEach
    void restoreChunk() {
        Conv2d.columnBytes = 32L << 20;
        Winograd.anySize = false;
        WinogradStride2.anySize = false;
        PanelGemm.anySize = false;
    }

    private static double[] forward(Case k, double[] x, double[] w) {
        Conv2dSpec s = k.s;
        double[] y = new double[k.n * k.oh() * k.ow() * k.o];
        for (int b = 0; b < k.n; b++) {
            for (int i = 0; i < k.oh(); i++) {
                for (int j = 0; j < k.ow(); j++) {
                    for (int q = 0; q < k.o; q++) {
                        double acc = 0;
                        for (int a = 0; a < k.kh; a++) {
                            for (int bb = 0; bb < k.kw; bb++) {
                                int ih = i * s.strideH() - s.padTop() + a * s.dilationH();
                                int iw = j * s.strideW() - s.padLeft() + bb * s.dilationW();
                                if (ih < 0 || ih >= k.h || iw < 0 || iw >= k.w) {
                                    continue;
                                }
                                for (int ch = 0; ch < k.c; ch++) {
                                    acc += x[((b * k.h + ih) * k.w + iw) * k.c + ch] * w[((a * k.kw + bb) * k.c + ch) * k.o + q];
                                }
                            }
                        }
                        y[((b * k.oh() + i) * k.ow() + j) * k.o + q] = acc;
                    }
                }
            }
        }
        return y;
    }

    /** Both gradients by scattering each output gradient back through the same loops. */
    private static double[][] backward(Case k, double[] x, double[] w, double[] dy) {
        Conv2dSpec s = k.s;
        double[] dx = new double[x.length];
        double[] dw = new double[w.length];
        for (int b = 0; b < k.n; b++) {
            for (int i = 0; i < k.oh(); i++) {
                for (int j = 0; j < k.ow(); j++) {
                    for (int q = 0; q < k.o; q++) {
                        double g = dy[((b * k.oh() + i) * k.ow() + j) * k.o + q];
                        for (int a = 0; a < k.kh; a++) {
                            for (int bb = 0; bb < k.kw; bb++) {
                                int ih = i * s.strideH() - s.padTop() + a * s.dilationH();
                                int iw = j * s.strideW() - s.padLeft() + bb * s.dilationW();
                                if (ih < 0 || ih >= k.h || iw < 0 || iw >= k.w) {
                                    continue;
                                }
                                for (int ch = 0; ch < k.c; ch++) {
                                    int xi = ((b * k.h + ih) * k.w + iw) * k.c + ch;
                                    int wi = ((a * k.kw + bb) * k.c + ch) * k.o + q;
                                    dx[xi] += g * w[wi];
                                    dw[wi] += g * x[xi];
                                }
                            }
                        }
                    }
                }
            }
        }
        return new double[][] {dx, dw};
    }

    @ParameterizedTest(name = "{0} {1} chunked={2}")
    @MethodSource("cases")
    void forwardAndBackwardMatchDirectLoops(Case k, DType t, boolean chunked) {
        if (chunked) {
            Conv2d.columnBytes = 1;
        }
        double[] x = random(1, k.n * k.h * k.w * k.c);
        double[] w = random(2, k.kh * k.kw * k.c * k.o);
        double[] dy = random(3, k.n * k.oh() * k.ow() * k.o);
        double[] xr = rounded(x, t);
        double[] wr = rounded(w, t);
        double[] dyr = rounded(dy, t);
        Operand ox = operand(t, x, k.n, k.h, k.w, k.c);
        Operand ow = operand(t, w, k.kh, k.kw, k.c, k.o);
        Operand ody = operand(t, dy, k.n, k.oh(), k.ow(), k.o);

        Operand y = Host.empty(t, k.n, k.oh(), k.ow(), k.o);
        CPU.conv2d(k.s, ox, ow, y);
        assertClose(forward(k, xr, wr), read(y), tol(t));

        double[][] grads = backward(k, xr, wr, dyr);
        Operand dx = Host.empty(t, k.n, k.h, k.w, k.c);
        CPU.conv2dBackwardData(k.s, ody, ow, dx);
        assertClose(grads[0], read(dx), tol(t));
        Operand dw = Host.empty(t, k.kh, k.kw, k.c, k.o);
        CPU.conv2dBackwardFilter(k.s, ox, ody, dw);
        assertClose(grads[1], read(dw), 10 * tol(t));
    }

    @ParameterizedTest(name = "{0} {1} chunked={2}")
    @MethodSource("stride2Cases")
    void stride2WinogradMatchesDirectLoops(Case k, DType t, boolean chunked) {
        WinogradStride2.anySize = true;
        assumeTrue(WinogradStride2.applies(t, k.s, k.kh, k.kw, k.c, k.o, k.oh(), k.ow()), "native kernels not loaded: "
                + NativeKernels.loadError());
        forwardAndBackwardMatchDirectLoops(k, t, chunked);
    }

    /** The float32 half of {@link #cases()}: float64 always takes the Java loops. */
    static Stream<Arguments> float32OfCases() {
        return cases().filter(a -> a.get()[1] == DType.FLOAT32);
    }

    /** The float32 cases again with the Java loops standing in for the native kernels. */
    @ParameterizedTest(name = "{0} {1} chunked={2}")
    @MethodSource("float32OfCases")
    void javaLoopsMatchDirectLoops(Case k, DType t, boolean chunked) {
        boolean was = NativeKernels.use(false);
        try {
            forwardAndBackwardMatchDirectLoops(k, t, chunked);
        } finally {
            NativeKernels.use(was);
        }
    }

    /** The float32 cases, and one long enough for several partial sums, through {@link PanelGemm} at any size. */
    static Stream<Arguments> panelCases() {
        Case several = new Case("3x3 over 4,800 pixels", 3, 40, 40, 2, 3, 3, 5, new Conv2dSpec(1, 1, 1, 1, 1, 1, 1, 1));
        return Stream.concat(float32OfCases(), float32Cases(several));
    }

    @ParameterizedTest(name = "{0} {1} chunked={2}")
    @MethodSource("panelCases")
    void panelGemmMatchesDirectLoops(Case k, DType t, boolean chunked) {
        PanelGemm.anySize = true;
        assumeTrue(PanelGemm.available(), "native GEMM kernels not in use on this CPU (see gemm_supported in "
                + "tessera_gemm.h); native library: " + NativeKernels.loadError());
        forwardAndBackwardMatchDirectLoops(k, t, chunked);
    }

    /** Both Winograd convolutions with their GEMMs in {@link PanelGemm} at any size. */
    static Stream<Arguments> winogradPanelCases() {
        return Stream.concat(winogradCases(), stride2Cases());
    }

    @ParameterizedTest(name = "{0} {1} chunked={2}")
    @MethodSource("winogradPanelCases")
    void winogradThroughPanelGemmMatchesDirectLoops(Case k, DType t, boolean chunked) {
        Winograd.anySize = true;
        WinogradStride2.anySize = true;
        PanelGemm.anySize = true;
        assumeTrue(PanelGemm.available(), "native GEMM kernels not in use on this CPU (see gemm_supported in "
                + "tessera_gemm.h); native library: " + NativeKernels.loadError());
        assumeTrue(Winograd.applies(t, k.s, k.kh, k.kw, k.c, k.o, k.oh(), k.ow())
                || WinogradStride2.applies(t, k.s, k.kh, k.kw, k.c, k.o, k.oh(), k.ow()), "not a Winograd shape");
        forwardAndBackwardMatchDirectLoops(k, t, chunked);
    }

    @ParameterizedTest(name = "{0} {1} chunked={2}")
    @MethodSource("winogradCases")
    void winogradMatchesDirectLoops(Case k, DType t, boolean chunked) {
        Winograd.anySize = true;
        assumeTrue(Winograd.applies(t, k.s, k.kh, k.kw, k.c, k.o, k.oh(), k.ow()), "native kernels not loaded: "
                + NativeKernels.loadError());
        forwardAndBackwardMatchDirectLoops(k, t, chunked);
    }

    @ParameterizedTest(name = "{0} {1} chunked={2}")
    @MethodSource("cases")
    void forwardReadsAStridedInput(Case k, DType t, boolean chunked) {
        if (chunked) {
            Conv2d.columnBytes = 1;
        }
        double[] xt = random(4, k.n * k.w * k.h * k.c);
        double[] w = random(5, k.kh * k.kw * k.c * k.o);
        Operand stored = operand(t, xt, k.n, k.w, k.h, k.c);
        // the same memory seen as (N, H, W, C): H and W swapped by strides
        Operand ox = Host.view(stored, 0, new long[] {k.n, k.h, k.w, k.c},
                (long) k.w * k.h * k.c, k.c, (long) k.h * k.c, 1);
        Operand y = Host.empty(t, k.n, k.oh(), k.ow(), k.o);
        CPU.conv2d(k.s, ox, operand(t, w, k.kh, k.kw, k.c, k.o), y);
        assertClose(forward(k, read(ox), rounded(w, t)), read(y), tol(t));
    }
}

package dev.tessera.cpu;

import static dev.tessera.cpu.Host.CPU;
import static dev.tessera.cpu.Host.assertClose;
import static dev.tessera.cpu.Host.operand;
import static dev.tessera.cpu.Host.random;
import static dev.tessera.cpu.Host.read;
import static dev.tessera.cpu.Host.tol;

import dev.tessera.DType;
import dev.tessera.backend.Operand;
import dev.tessera.backend.PoolSpec;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Max and average pooling and their gradients against direct loops written here. */
class Pool2dTest {
    private static final int N = 2;
    private static final int H = 7;
    private static final int W = 9;
    private static final int C = 3;

    static Stream<Arguments> specs() {
        Stream.Builder<Arguments> b = Stream.builder();
        for (PoolSpec.Kind kind : PoolSpec.Kind.values()) {
            for (DType t : new DType[] {DType.FLOAT64, DType.FLOAT32}) {
                b.add(Arguments.of(new PoolSpec(kind, 2, 2, 2, 2, 0, 0, 0, 0), t));
                // TensorFlow 'same' with a 3x3 window and stride 2 on 7x9 pads (1, 1) and (1, 1).
                b.add(Arguments.of(new PoolSpec(kind, 3, 3, 2, 2, 1, 1, 1, 1), t));
                // asymmetric padding and overlapping windows
                b.add(Arguments.of(new PoolSpec(kind, 3, 2, 1, 2, 0, 2, 1, 0), t));
            }
        }
        return b.build();
    }

    /** {y, dx} by direct loops: max sends the gradient to the first maximum in (kh, kw) order. */
    private static double[][] naive(PoolSpec s, double[] x, double[] dy) {
        int oh = (int) s.outH(H);
        int ow = (int) s.outW(W);
        double[] y = new double[N * oh * ow * C];
        double[] dx = new double[x.length];
        for (int b = 0; b < N; b++) {
            for (int i = 0; i < oh; i++) {
                for (int j = 0; j < ow; j++) {
                    for (int c = 0; c < C; c++) {
                        double best = Double.NEGATIVE_INFINITY;
                        int at = -1;
                        double sum = 0;
                        int count = 0;
                        for (int a = 0; a < s.kernelH(); a++) {
                            for (int d = 0; d < s.kernelW(); d++) {
                                int ih = i * s.strideH() - s.padTop() + a;
                                int iw = j * s.strideW() - s.padLeft() + d;
                                if (ih < 0 || ih >= H || iw < 0 || iw >= W) {
                                    continue;
                                }
                                int xi = ((b * H + ih) * W + iw) * C + c;
                                if (x[xi] > best) {
                                    best = x[xi];
                                    at = xi;
                                }
                                sum += x[xi];
                                count++;
                            }
                        }
                        int yi = ((b * oh + i) * ow + j) * C + c;
                        if (s.kind() == PoolSpec.Kind.MAX) {
                            y[yi] = best;
                            dx[at] += dy[yi];
                        } else {
                            y[yi] = sum / count;
                            for (int a = 0; a < s.kernelH(); a++) {
                                for (int d = 0; d < s.kernelW(); d++) {
                                    int ih = i * s.strideH() - s.padTop() + a;
                                    int iw = j * s.strideW() - s.padLeft() + d;
                                    if (ih >= 0 && ih < H && iw >= 0 && iw < W) {
                                        dx[((b * H + ih) * W + iw) * C + c] += dy[yi] / count;
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
        return new double[][] {y, dx};
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("specs")
    void poolAndGradientMatchDirectLoops(PoolSpec s, DType t) {
        // few distinct values, so windows hold ties and the first-maximum rule matters
        double[] x = random(7, N * H * W * C);
        for (int i = 0; i < x.length; i++) {
            x[i] = Math.floor(x[i] * 3);
        }
        int oh = (int) s.outH(H);
        int ow = (int) s.outW(W);
        double[] dy = Host.rounded(random(8, N * oh * ow * C), t);
        double[][] expected = naive(s, x, dy);
        Operand ox = operand(t, x, N, H, W, C);
        Operand y = Host.empty(t, N, oh, ow, C);
        CPU.pool2d(s, ox, y);
        assertClose(expected[0], read(y), tol(t));
        Operand dx = Host.empty(t, N, H, W, C);
        CPU.pool2dBackward(s, ox, y, operand(t, dy, N, oh, ow, C), dx);
        assertClose(expected[1], read(dx), tol(t));
    }

    @Test
    void maxGradientGoesToTheFirstOfEqualValues() {
        PoolSpec s = new PoolSpec(PoolSpec.Kind.MAX, 2, 2, 2, 2, 0, 0, 0, 0);
        Operand x = operand(DType.FLOAT32, new double[] {5, 5, 5, 5}, 1, 2, 2, 1);
        Operand y = Host.empty(DType.FLOAT32, 1, 1, 1, 1);
        CPU.pool2d(s, x, y);
        Operand dx = Host.empty(DType.FLOAT32, 1, 2, 2, 1);
        CPU.pool2dBackward(s, x, y, operand(DType.FLOAT32, new double[] {2}, 1, 1, 1, 1), dx);
        assertClose(new double[] {2, 0, 0, 0}, read(dx), 0);
    }
}

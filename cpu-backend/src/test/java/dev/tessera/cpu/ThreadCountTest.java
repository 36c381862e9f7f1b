package dev.tessera.cpu;

import static dev.tessera.cpu.Host.CPU;
import static dev.tessera.cpu.Host.operand;
import static dev.tessera.cpu.Host.random;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.tessera.DType;
import dev.tessera.backend.AdamSpec;
import dev.tessera.backend.BinaryOp;
import dev.tessera.backend.Conv2dSpec;
import dev.tessera.backend.Operand;
import dev.tessera.backend.RandomOp;
import dev.tessera.backend.ReduceOp;
import dev.tessera.backend.UnaryOp;
import java.util.ArrayList;
import org.bytedeco.openblas.global.openblas_full;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Every threaded kernel gives the same bits with 1 thread and with several. */
class ThreadCountTest {

    /** Runs a set of large kernels and returns each output's float bits. */
    private static List<float[]> runAll() {
        DType t = DType.FLOAT32;
        int rows = 300;
        int cols = 1031;
        Operand x = operand(t, random(21, rows * cols), rows, cols);
        Operand big = operand(t, random(22, 3 * 70_001), 3, 70_001);
        List<Operand> outs = new ArrayList<>();

        Operand sumAll = Host.empty(t, 1, 1);
        CPU.reduce(ReduceOp.SUM, x, new int[] {0, 1}, sumAll);
        outs.add(sumAll);
        Operand sumRows = Host.empty(t, 3, 1);
        CPU.reduce(ReduceOp.SUM, big, new int[] {1}, sumRows);
        outs.add(sumRows);
        Operand sumCols = Host.empty(t, 1, cols);
        CPU.reduce(ReduceOp.SUM, x, new int[] {0}, sumCols);
        outs.add(sumCols);
        Operand arg = Host.empty(DType.INT64, 3, 1);
        CPU.reduce(ReduceOp.ARGMAX, big, new int[] {1}, arg);
        Operand argF = Host.empty(t, 3, 1);
        CPU.copy(arg, argF);
        outs.add(argF);

        Operand sum = Host.empty(t, rows, cols);
        CPU.binary(BinaryOp.ADD, x, Host.view(x, 0, new long[] {rows, cols}, 0, 1), sum);
        outs.add(sum);
        Operand exp = Host.empty(t, rows, cols);
        CPU.unary(UnaryOp.EXP, x, exp, 0);
        outs.add(exp);
        Operand soft = Host.empty(t, rows, cols);
        CPU.softmax(x, true, soft);
        outs.add(soft);
        Operand rnd = Host.empty(t, rows, cols);
        CPU.random(RandomOp.NORMAL, 7, 3, 0, 1, rnd);
        outs.add(rnd);

        Operand qa = operand(t, random(25, 64 * 9 * 17), 64, 9, 17);
        Operand qb = operand(t, random(26, 64 * 17 * 5), 64, 17, 5);
        Operand qc = Host.empty(t, 64, 9, 5);
        CPU.gemm(qa, qb, qc);
        outs.add(qc);

        Conv2dSpec s = new Conv2dSpec(2, 2, 1, 1, 0, 1, 1, 1);
        Operand img = operand(t, random(23, 4 * 17 * 18 * 8), 4, 17, 18, 8);
        Operand w = operand(t, random(24, 3 * 3 * 8 * 16), 3, 3, 8, 16);
        Operand y = Host.empty(t, 4, 9, 9, 16);
        CPU.conv2d(s, img, w, y);
        outs.add(y);
        Operand dx = Host.empty(t, 4, 17, 18, 8);
        CPU.conv2dBackwardData(s, y, w, dx);
        outs.add(dx);
        Operand dw = Host.empty(t, 3, 3, 8, 16);
        CPU.conv2dBackwardFilter(s, img, y, dw);
        outs.add(dw);

        // Shapes that take Winograd F(2x2, 3x3), F(2x2, 2x2), the single-channel loops and the panel GEMM, large
        // enough for their transforms and image groups to be split over threads.
        convolve(outs, 31, 2, 32, 32, 64, 3, 64, new Conv2dSpec(1, 1, 1, 1, 1, 1, 1, 1));
        convolve(outs, 32, 2, 32, 32, 16, 4, 16, new Conv2dSpec(2, 2, 1, 1, 1, 1, 1, 1));
        convolve(outs, 33, 64, 28, 28, 1, 5, 6, new Conv2dSpec(1, 1, 2, 2, 2, 2, 1, 1));
        // Three channels, 4x4 stride 2 over 2,304 output pixels: the panel GEMM's row products and a
        // filter gradient summed from five partials.
        convolve(outs, 34, 4, 48, 48, 3, 4, 32, new Conv2dSpec(2, 2, 1, 1, 1, 1, 1, 1));

        Operand flat = Host.view(img, 0, new long[] {4 * 17 * 18, 8}, 8, 1);
        Operand ones = operand(t, new double[] {1, 1, 1, 1, 1, 1, 1, 1}, 8);
        Operand bnDx = Host.empty(t, 4 * 17 * 18, 8);
        Operand bnScale = Host.empty(t, 8);
        Operand bnBias = Host.empty(t, 8);
        CPU.batchNormBackward(flat, flat, ones, ones, ones, true, bnDx, bnScale, bnBias);
        outs.add(bnDx);
        outs.add(bnScale);
        outs.add(bnBias);

        long[] idx = new long[rows * cols];
        for (int i = 0; i < idx.length; i++) {
            idx[i] = (i * 7L) % rows;
        }
        Operand index = Host.empty(DType.INT64, rows, cols);
        CPU.copyFromHost(idx, index.storage());
        Operand scat = operand(t, new double[rows * cols], rows, cols);
        CPU.scatterAdd(x, 0, index, scat);
        outs.add(scat);

        Operand aw = operand(t, random(27, 3 * 70_001), 3, 70_001);
        Operand am = operand(t, random(28, 3 * 70_001), 3, 70_001);
        Operand av = Host.empty(t, 3, 70_001);
        CPU.unary(UnaryOp.SQUARE, am, av, 0);
        CPU.adamUpdate(new AdamSpec(1e-3, 0.9, 0.999, 1e-7, 3), aw, big, am, av);
        outs.add(aw);
        outs.add(am);
        outs.add(av);

        List<float[]> bits = new ArrayList<>();
        for (Operand o : outs) {
            float[] f = new float[(int) o.numel()];
            CPU.copyToHost(o.storage(), f);
            bits.add(f);
        }
        return bits;
    }

    /** Adds the forward pass and both gradients of an n x h x w x c -> o, k x k convolution to outs. */
    private static void convolve(List<Operand> outs, int seed, int n, int h, int w, int c, int k, int o, Conv2dSpec s) {
        DType t = DType.FLOAT32;
        int oh = (int) s.outH(h, k);
        int ow = (int) s.outW(w, k);
        Operand x = operand(t, random(seed, n * h * w * c), n, h, w, c);
        Operand kernel = operand(t, random(seed + 100, k * k * c * o), k, k, c, o);
        Operand y = Host.empty(t, n, oh, ow, o);
        CPU.conv2d(s, x, kernel, y);
        outs.add(y);
        Operand dx = Host.empty(t, n, h, w, c);
        CPU.conv2dBackwardData(s, y, kernel, dx);
        outs.add(dx);
        Operand dw = Host.empty(t, k, k, c, o);
        CPU.conv2dBackwardFilter(s, x, y, dw);
        outs.add(dw);
    }

    @Test
    void oneThreadAndFourThreadsGiveIdenticalBits() {
        int before = CpuBackend.threads();
        try {
            CpuBackend.setThreads(1);
            List<float[]> one = runAll();
            CpuBackend.setThreads(4);
            List<float[]> four = runAll();
            for (int k = 0; k < one.size(); k++) {
                assertArrayEquals(one.get(k), four.get(k), "output " + k);
            }
        } finally {
            CpuBackend.setThreads(before);
        }
    }

    @Test
    void settingTheThreadCountSetsOpenBlasToMatch() {
        int before = CpuBackend.threads();
        try {
            for (int n : new int[] {1, 2}) {
                CpuBackend.setThreads(n);
                assertEquals(n, CpuBackend.threads());
                assertEquals(n, openblas_full.openblas_get_num_threads(), "OpenBLAS threads after setThreads(" + n + ")");
            }
        } finally {
            CpuBackend.setThreads(before);
        }
    }
}

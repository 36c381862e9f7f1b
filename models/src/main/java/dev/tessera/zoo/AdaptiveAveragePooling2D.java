package dev.tessera.zoo;

import dev.tessera.Shape;
import dev.tessera.Tensor;
import dev.tessera.nn.Module;

/**
 * Averages NHWC input down (or up) to a fixed height and width, as PyTorch's
 * {@code nn.AdaptiveAvgPool2d}: output cell i of n over an input of size s averages rows
 * floor(i s / n) to ceil((i + 1) s / n) - 1, so the dense layers after it see the same size for
 * every image size; no weights. An input already of the output size passes unchanged.
 */
public class AdaptiveAveragePooling2D extends Module {
    private final int outH;
    private final int outW;

    public AdaptiveAveragePooling2D(int outH, int outW) {
        if (outH < 1 || outW < 1) {
            throw new IllegalArgumentException("AdaptiveAveragePooling2D: output size must be positive — got "
                    + outH + "x" + outW);
        }
        this.outH = outH;
        this.outW = outW;
    }

    @Override
    public Shape computeOutputShape(Shape... inputShapes) {
        expectInputCount(inputShapes.length, 1);
        Shape s = inputShapes[0];
        expectRank(s, 4, "input (batch, height, width, channels)");
        return Shape.of(s.dim(0), outH, outW, s.dim(3));
    }

    @Override
    protected Tensor forward(Tensor... inputs) {
        expectInputCount(inputs.length, 1);
        computeOutputShape(inputs[0].shape());
        Tensor x = inputs[0];
        long h = x.dim(1);
        long w = x.dim(2);
        if (h == outH && w == outW) {
            return x;
        }
        Tensor[] rows = new Tensor[outH];
        for (int i = 0; i < outH; i++) {
            Tensor band = x.slice(1, i * h / outH, ceilDiv((i + 1) * h, outH));
            Tensor[] cells = new Tensor[outW];
            for (int j = 0; j < outW; j++) {
                cells[j] = band.slice(2, j * w / outW, ceilDiv((j + 1) * w, outW)).mean(true, 1, 2);
            }
            rows[i] = Tensor.concat(2, cells);
        }
        return Tensor.concat(1, rows);
    }

    private static long ceilDiv(long a, long b) {
        return (a + b - 1) / b;
    }
}

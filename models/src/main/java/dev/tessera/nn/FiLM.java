package dev.tessera.nn;

import dev.tessera.Shape;
import dev.tessera.Tensor;
import dev.tessera.backend.BinaryOp;
import dev.tessera.ops.Elementwise;
import java.util.Arrays;

/**
 * Feature-wise linear modulation (Perez et al., 2018): from a conditioning vector q (N, Q) two
 * Dense maps give gamma and beta (N, C), and output[n, ..., c] = gamma[n, c] * x[n, ..., c] + beta[n, c].
 * Called as {@code film.call(x, q)}; the Dense maps have no bias unless {@link #useBias} is set.
 */
public class FiLM extends Module {
    private boolean useBias;
    private Dense gamma;
    private Dense beta;

    public FiLM useBias(boolean useBias) {
        requireNotBuilt("useBias");
        this.useBias = useBias;
        return this;
    }

    @Override
    protected void build(Shape... inputShapes) {
        computeOutputShape(inputShapes);
        long channels = inputShapes[0].dim(-1);
        gamma = child("gamma", new Dense(channels).useBias(useBias));
        beta = child("beta", new Dense(channels).useBias(useBias));
        gamma.buildFor(inputShapes[1]);
        beta.buildFor(inputShapes[1]);
    }

    @Override
    public Shape computeOutputShape(Shape... inputShapes) {
        expectInputCount(inputShapes.length, 2);
        Shape x = inputShapes[0];
        Shape q = inputShapes[1];
        expectMinRank(x, 2, "features x (batch, ..., channels)");
        expectRank(q, 2, "conditioning q (batch, features)");
        if (x.dim(0) != q.dim(0)) {
            throw new IllegalArgumentException(where() + ": x and q must have the same batch size — got shapes "
                    + x + " and " + q);
        }
        if (gamma != null) {
            expectLastDim(x, gamma.units(), "features x (batch, ..., channels)");
        }
        return x;
    }

    @Override
    protected Tensor forward(Tensor... inputs) {
        computeOutputShape(Layers.shapes(inputs));
        Tensor x = inputs[0];
        long[] perChannel = new long[x.rank()];
        Arrays.fill(perChannel, 1);
        perChannel[0] = x.dim(0);
        perChannel[x.rank() - 1] = x.dim(-1);
        Tensor g = gamma.call(inputs[1]).reshape(perChannel);
        Tensor b = beta.call(inputs[1]).reshape(perChannel);
        return Elementwise.binaryOver(BinaryOp.ADD, x.mul(g), b);
    }
}

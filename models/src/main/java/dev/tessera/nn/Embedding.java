package dev.tessera.nn;

import dev.tessera.Shape;
import dev.tessera.Tensor;

/**
 * Maps integer tokens (INT32 or INT64, any shape) to rows of a learned (inputDim, outputDim)
 * table, initialised uniform in [-0.05, 0.05] as in Keras. With {@link #maskZero} token 0 is
 * padding: {@link #computeMask} marks it and {@link Sequential} hands that mask to the next layer.
 */
public final class Embedding extends Module {
    private final int inputDim;
    private final int outputDim;
    private boolean maskZero;
    private Parameter embeddings;

    /** A table for tokens 0 .. inputDim - 1 (vocabulary size, padding included) of outputDim-sized vectors. */
    public Embedding(int inputDim, int outputDim) {
        this(null, inputDim, outputDim);
    }

    public Embedding(String name, int inputDim, int outputDim) {
        super(name);
        if (inputDim <= 0 || outputDim <= 0) {
            throw new IllegalArgumentException("Embedding: inputDim and outputDim must be > 0. Received: inputDim="
                    + inputDim + ", outputDim=" + outputDim);
        }
        this.inputDim = inputDim;
        this.outputDim = outputDim;
    }

    /** Treats token 0 as padding and emits a mask for the following layers (Keras' mask_zero). */
    public Embedding maskZero(boolean maskZero) {
        if (isBuilt()) {
            throw new IllegalStateException(path() + ": maskZero must be set before the layer is built");
        }
        this.maskZero = maskZero;
        return this;
    }

    public boolean isMaskZero() {
        return maskZero;
    }

    public int inputDim() {
        return inputDim;
    }

    public int outputDim() {
        return outputDim;
    }

    /** The (inputDim, outputDim) table; null before the layer is built. */
    public Parameter embeddings() {
        return embeddings;
    }

    @Override
    protected void build(Shape... inputShapes) {
        embeddings = param("embeddings", Shape.of(inputDim, outputDim), RnnInit.uniform(-0.05, 0.05), true);
    }

    @Override
    protected Tensor forward(Tensor... inputs) {
        Tensor tokens = inputs[0];
        if (tokens.dtype().isFloating()) {
            throw new IllegalArgumentException(path() + " (Embedding): tokens must be INT32 or INT64 — got "
                    + tokens.dtype() + " of shape " + tokens.shape());
        }
        if (tokens.numel() > 0) {
            long max = (long) tokens.max().item();
            long min = (long) tokens.min().item();
            if (max >= inputDim || min < 0) {
                throw new IllegalArgumentException(path() + " (Embedding): token " + (min < 0 ? min : max)
                        + " is outside [0, inputDim) with inputDim=" + inputDim + " — got tokens of shape "
                        + tokens.shape());
            }
        }
        return embeddings.value().indexSelect(0, tokens);
    }

    /** A (tokens' shape) tensor, nonzero where the token is not 0; null unless {@link #maskZero} is on. */
    @Override
    public Tensor computeMask(Tensor input, Tensor inputMask) {
        return maskZero ? input.ne(input.scalarLike(0)) : null;
    }
}

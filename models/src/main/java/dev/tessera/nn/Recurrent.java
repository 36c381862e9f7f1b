package dev.tessera.nn;

import dev.tessera.Shape;
import dev.tessera.Tensor;
import dev.tessera.nn.init.Initializer;
import java.util.ArrayList;
import java.util.List;

/**
 * The time loop shared by {@link SimpleRNN}, {@link GRU} and {@link LSTM}, with Keras semantics:
 * inputs are (batch, time, features); the input projection for all steps is one matmul; a
 * padding mask (batch, time) keeps the state unchanged at masked steps, where the output repeats
 * the previous step's output (zeros before the first real step). Extra inputs after the sequence
 * are the initial states; {@link #callWithState} also returns the final states.
 */
public abstract class Recurrent extends Module {
    protected final int units;
    protected Parameter kernel;
    protected Parameter recurrentKernel;
    protected Parameter bias;
    private boolean returnSequences;
    private long inputSize = -1;

    protected Recurrent(String name, int units) {
        super(name);
        if (units <= 0) {
            throw new IllegalArgumentException(getClass().getSimpleName() + ": units must be > 0. Received: units=" + units);
        }
        this.units = units;
    }

    /** Output the whole (batch, time, units) sequence instead of the last output (batch, units). */
    public Recurrent returnSequences(boolean returnSequences) {
        if (isBuilt()) {
            throw new IllegalStateException(path() + ": returnSequences must be set before the layer is built");
        }
        this.returnSequences = returnSequences;
        return this;
    }

    public boolean isReturnSequences() {
        return returnSequences;
    }

    public int units() {
        return units;
    }

    /** How many state tensors the layer carries: 1, or 2 for LSTM's h and c. */
    public int stateCount() {
        return 1;
    }

    /** The number of gate blocks of {@code units} columns in the kernels (1, 3 for GRU, 4 for LSTM). */
    protected abstract int gates();

    /** The bias shape: (gates * units) unless overridden. */
    protected Shape biasShape() {
        return Shape.of((long) gates() * units);
    }

    /** The bias initialiser: zeros unless overridden. */
    protected Initializer biasInitializer() {
        return RnnInit.zeros();
    }

    /** The input contribution to every step at once: x (batch, time, in) to (batch, time, gates * units), bias included. */
    protected Tensor projectInputs(Tensor x) {
        return x.matmul(kernel.value()).add(bias.value());
    }

    /** One step from the projected input (batch, gates * units) and the states; the first new state is the step's output. */
    protected abstract Tensor[] step(Tensor projected, Tensor[] states);

    @Override
    protected final void build(Shape... inputShapes) {
        Shape s = inputShapes[0];
        if (s.rank() != 3) {
            throw new IllegalArgumentException(path() + " (" + typeName()
                    + "): expected input of rank 3 (batch, time, features) — got shape " + s);
        }
        inputSize = s.dim(2);
        long width = (long) gates() * units;
        kernel = param("kernel", Shape.of(inputSize, width), RnnInit.glorotUniform(), true);
        recurrentKernel = param("recurrent_kernel", Shape.of(units, width), RnnInit.orthogonal(), true);
        bias = param("bias", biasShape(), biasInitializer(), true);
    }

    @Override
    protected final Tensor forward(Tensor... inputs) {
        return run(null, inputs)[0];
    }

    @Override
    protected final Tensor forwardMasked(Tensor mask, Tensor... inputs) {
        return run(mask, inputs)[0];
    }

    /**
     * Runs the layer and returns {output, final states...} (Keras' return_state): {output, h} for
     * SimpleRNN and GRU, {output, h, c} for LSTM. {@code inputs} are the sequence, optionally
     * followed by the initial states (each (batch, units)); {@code mask} may be null.
     */
    public final Tensor[] callWithState(Tensor mask, Tensor... inputs) {
        ensureBuilt(inputs);
        return run(mask, inputs);
    }

    /** The mask passes on with the sequence; a layer returning only its last output ends it. */
    @Override
    public Tensor computeMask(Tensor input, Tensor inputMask) {
        return returnSequences ? inputMask : null;
    }

    private Tensor[] run(Tensor mask, Tensor[] inputs) {
        Tensor x = inputs[0];
        expectRank(x, 3, "input (batch, time, features)");
        expectLastDim(x, inputSize, "input (batch, time, features)");
        if (x.dtype() != dtype()) {
            throw new IllegalArgumentException(path() + " (" + typeName() + "): expected input of dtype " + dtype()
                    + " — got " + x.dtype() + " of shape " + x.shape());
        }
        long batch = x.dim(0);
        long time = x.dim(1);
        if (time == 0) {
            throw new IllegalArgumentException(path() + " (" + typeName() + "): needs at least one time step — got shape "
                    + x.shape());
        }
        Tensor[] states = initialStates(inputs, batch, x);
        if (mask != null && (mask.rank() != 2 || mask.dim(0) != batch || mask.dim(1) != time)) {
            throw new IllegalArgumentException(path() + " (" + typeName() + "): expected a mask of shape (" + batch + ", "
                    + time + ") for input " + x.shape() + " — got mask shape " + mask.shape());
        }
        Tensor projected = projectInputs(x);
        Tensor output = Tensor.zeros(Shape.of(batch, units), dtype(), x.device());
        List<Tensor> outputs = new ArrayList<>();
        for (long t = 0; t < time; t++) {
            Tensor[] next = step(projected.select(1, t), states);
            if (mask == null) {
                output = next[0];
                states = next;
            } else {
                Tensor keep = mask.select(1, t).unsqueeze(1);
                output = Tensor.where(keep, next[0], output);
                for (int k = 0; k < states.length; k++) {
                    states[k] = Tensor.where(keep, next[k], states[k]);
                }
            }
            if (returnSequences) {
                outputs.add(output);
            }
        }
        Tensor[] result = new Tensor[1 + states.length];
        result[0] = returnSequences ? Tensor.stack(1, outputs.toArray(new Tensor[0])) : output;
        System.arraycopy(states, 0, result, 1, states.length);
        return result;
    }

    private Tensor[] initialStates(Tensor[] inputs, long batch, Tensor x) {
        int given = inputs.length - 1;
        if (given != 0 && given != stateCount()) {
            throw new IllegalArgumentException(path() + " (" + typeName() + "): expected 0 or " + stateCount()
                    + " initial state tensors after the input — got " + given);
        }
        Tensor[] states = new Tensor[stateCount()];
        for (int k = 0; k < states.length; k++) {
            if (given == 0) {
                states[k] = Tensor.zeros(Shape.of(batch, units), dtype(), x.device());
            } else {
                Tensor s = inputs[k + 1];
                if (s.rank() != 2 || s.dim(0) != batch || s.dim(1) != units) {
                    throw new IllegalArgumentException(path() + " (" + typeName() + "): expected initial state " + k
                            + " of shape (" + batch + ", " + units + ") — got shape " + s.shape());
                }
                states[k] = s;
            }
        }
        return states;
    }
}

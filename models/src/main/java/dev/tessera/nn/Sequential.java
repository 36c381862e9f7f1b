package dev.tessera.nn;

import dev.tessera.Shape;
import dev.tessera.Tensor;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/** A stack of modules, each fed the previous one's output. */
public class Sequential extends Module {
    private final List<Module> layers = new ArrayList<>();

    public Sequential(Module... layers) {
        this(null, layers);
    }

    public Sequential(String name, Module... layers) {
        super(name);
        for (Module m : layers) {
            add(m);
        }
    }

    /** Appends a layer; it is registered under its own name. */
    public Sequential add(Module layer) {
        child(layer.name(), layer);
        layers.add(layer);
        return this;
    }

    public List<Module> layers() {
        return Collections.unmodifiableList(layers);
    }

    /**
     * Builds the layers one after another, each for the output shape of the one before, as far as
     * the layers give their output shape by a formula; a layer without one (which would need a
     * dry run, impossible for token-id inputs) and the layers after it are built by the first call.
     */
    @Override
    protected void build(Shape... inputShapes) {
        expectInputs(inputShapes);
        Shape[] shapes = inputShapes;
        for (Module m : layers) {
            if (!m.hasOutputShapeFormula()) {
                return;
            }
            m.buildFor(shapes);
            Shape out = m.computeOutputShape(shapes);
            m.noteOutputShape(out);
            shapes = new Shape[] {out};
        }
        noteOutputShape(shapes[0]);
    }

    @Override
    public Shape computeOutputShape(Shape... inputShapes) {
        expectInputs(inputShapes);
        Shape[] shapes = inputShapes;
        for (Module m : layers) {
            Shape out = m.computeOutputShape(shapes);
            m.noteOutputShape(out);
            shapes = new Shape[] {out};
        }
        return shapes[0];
    }

    private void expectInputs(Shape... inputShapes) {
        if (inputShapes.length == 0) {
            throw new IllegalArgumentException(where() + ": expected at least one input — got none");
        }
    }

    /** Each layer gets the previous output and the mask the previous layer computed (see {@link Module#computeMask}). */
    @Override
    protected Tensor forward(Tensor... inputs) {
        return forwardMasked(null, inputs);
    }

    @Override
    protected Tensor forwardMasked(Tensor mask, Tensor... inputs) {
        if (layers.isEmpty()) {
            return inputs[0];
        }
        Tensor x = layers.get(0).callMasked(mask, inputs);
        Tensor m = layers.get(0).computeMask(inputs[0], mask);
        for (int i = 1; i < layers.size(); i++) {
            Module layer = layers.get(i);
            // An activation may overwrite what the layer before it made, never a tensor handed in.
            Tensor y = layer instanceof ActivationLayer a && !isInput(x, inputs) ? a.callOver(m, x)
                    : layer.callMasked(m, x);
            m = layer.computeMask(x, m);
            x = y;
        }
        return x;
    }

    private static boolean isInput(Tensor x, Tensor[] inputs) {
        for (Tensor in : inputs) {
            if (in == x) {
                return true;
            }
        }
        return false;
    }
}

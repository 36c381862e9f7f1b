package dev.tessera.nn;

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

    @Override
    protected Tensor forward(Tensor... inputs) {
        Tensor x = layers.isEmpty() ? inputs[0] : layers.get(0).call(inputs);
        for (int i = 1; i < layers.size(); i++) {
            x = layers.get(i).call(x);
        }
        return x;
    }
}

package dev.tessera.zoo;

import dev.tessera.nn.Module;
import dev.tessera.nn.Parameter;

/** Parameter counts of a built model, for the zoo's count tests. */
final class ZooCounts {
    private ZooCounts() {
    }

    static long total(Module m) {
        long n = 0;
        for (Parameter p : m.parameters()) {
            n += p.value().numel();
        }
        return n;
    }

    static long trainable(Module m) {
        long n = 0;
        for (Parameter p : m.trainableParameters()) {
            n += p.value().numel();
        }
        return n;
    }

    /** Frees the parameters' memory at once, so that tests building several large models stay small. */
    static void release(Module m) {
        for (Parameter p : m.parameters()) {
            p.value().close();
        }
    }
}

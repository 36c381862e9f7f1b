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
}

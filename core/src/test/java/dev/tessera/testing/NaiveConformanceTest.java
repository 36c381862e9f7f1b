package dev.tessera.testing;

import dev.tessera.backend.Backend;

/** Runs the conformance suite on the naive backend itself, which checks the suite's own plumbing. */
class NaiveConformanceTest extends BackendConformanceSuite {
    @Override
    protected Backend backend() {
        return new NaiveBackend();
    }
}

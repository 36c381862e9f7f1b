package dev.tessera.testing;

import dev.tessera.Device;
import dev.tessera.backend.Backend;
import dev.tessera.backend.BackendProvider;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** Serves {@link NaiveBackend} for CPU devices at the lowest priority, so any real CPU backend on the class path wins. */
public final class NaiveBackendProvider implements BackendProvider {
    private static final Map<Integer, NaiveBackend> OPEN = new ConcurrentHashMap<>();

    @Override
    public Device.Kind kind() {
        return Device.Kind.CPU;
    }

    @Override
    public int priority() {
        return -100;
    }

    @Override
    public boolean isAvailable() {
        return true;
    }

    @Override
    public String unavailableReason() {
        return "always available";
    }

    @Override
    public Backend open(int index) {
        return OPEN.computeIfAbsent(index, i -> new NaiveBackend(new Device(Device.Kind.CPU, i)));
    }
}

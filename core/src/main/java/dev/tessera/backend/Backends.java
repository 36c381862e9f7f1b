package dev.tessera.backend;

import dev.tessera.Device;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.concurrent.ConcurrentHashMap;

/** Finds the backend for a device among the providers on the class path. */
public final class Backends {
    private static final Map<Device, Backend> OPEN = new ConcurrentHashMap<>();
    private static volatile List<BackendProvider> providers;

    private Backends() {
    }

    /** The backend serving {@code device}; throws with an actionable message if none can. */
    public static Backend forDevice(Device device) {
        Backend b = OPEN.get(device);
        if (b != null) {
            return b;
        }
        synchronized (OPEN) {
            b = OPEN.get(device);
            if (b == null) {
                b = provider(device.kind()).open(device.index());
                OPEN.put(device, b);
            }
            return b;
        }
    }

    /** The preferred available provider for a kind of device. */
    public static BackendProvider provider(Device.Kind kind) {
        List<BackendProvider> candidates = new ArrayList<>();
        for (BackendProvider p : all()) {
            if (p.kind() == kind) {
                candidates.add(p);
            }
        }
        if (candidates.isEmpty()) {
            String jar = kind == Device.Kind.CPU ? "tessera-cpu" : "tessera-cuda";
            throw new IllegalStateException("no backend for " + kind.name().toLowerCase(java.util.Locale.ROOT)
                    + " devices: add " + jar + " to the class path");
        }
        candidates.sort(Comparator.comparingInt(BackendProvider::priority).reversed());
        StringBuilder reasons = new StringBuilder();
        for (BackendProvider p : candidates) {
            if (p.isAvailable()) {
                return p;
            }
            reasons.append("\n  ").append(p.getClass().getName()).append(": ").append(p.unavailableReason());
        }
        throw new IllegalStateException("no usable backend for " + kind + ":" + reasons);
    }

    /** Every provider on the class path. */
    public static List<BackendProvider> all() {
        List<BackendProvider> p = providers;
        if (p == null) {
            List<BackendProvider> found = new ArrayList<>();
            ServiceLoader.load(BackendProvider.class).forEach(found::add);
            providers = p = List.copyOf(found);
        }
        return p;
    }
}

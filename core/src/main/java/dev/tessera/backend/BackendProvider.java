package dev.tessera.backend;

import dev.tessera.Device;

/**
 * Found through {@link java.util.ServiceLoader} (META-INF/services/dev.tessera.backend.BackendProvider):
 * putting a backend's jar on the class path makes its devices available.
 */
public interface BackendProvider {

    /** The kind of device served. */
    Device.Kind kind();

    /** Among providers for the same kind, the highest priority wins. */
    default int priority() {
        return 0;
    }

    /** Whether the native libraries and a device are present. */
    boolean isAvailable();

    /** Why {@link #isAvailable()} is false, in words a user can act on. */
    String unavailableReason();

    /** Opens (or returns the open) backend for device ordinal {@code index}. */
    Backend open(int index);
}

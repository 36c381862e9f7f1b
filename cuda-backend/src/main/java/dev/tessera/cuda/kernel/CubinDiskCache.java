package dev.tessera.cuda.kernel;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.function.Supplier;

/**
 * Keeps NVRTC's CUBINs on disk so that a new process skips the compile (tens of seconds for the
 * larger families). A file is named by the SHA-256 of everything that determines its content (the
 * program text, the NVRTC options and version), so a changed source or compiler never reuses a stale
 * binary. Writes go to a temporary file renamed into place; any I/O problem just means compiling.
 * The directory is {@code tessera.cuda.kernelCache} (default ~/.cache/tessera/cuda-kernels); the
 * value "none" disables the cache.
 */
public final class CubinDiskCache {
    private final Path dir;

    /** A cache in {@code dir}, or a disabled one when {@code dir} is null. */
    public CubinDiskCache(Path dir) {
        this.dir = dir;
    }

    /** The cache the system properties ask for. */
    public static CubinDiskCache fromSystemProperties() {
        String p = System.getProperty("tessera.cuda.kernelCache");
        if ("none".equals(p)) {
            return new CubinDiskCache(null);
        }
        return new CubinDiskCache(p != null ? Path.of(p)
                : Path.of(System.getProperty("user.home"), ".cache", "tessera", "cuda-kernels"));
    }

    /** The file a program compiled with {@code key} (options and compiler version) is stored in. */
    public Path file(String family, String program, String key) {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            sha.update(program.getBytes(StandardCharsets.UTF_8));
            sha.update((byte) 0);
            sha.update(key.getBytes(StandardCharsets.UTF_8));
            String hash = HexFormat.of().formatHex(sha.digest()).substring(0, 32);
            return dir.resolve(family + "-" + hash + ".cubin");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("CubinDiskCache: SHA-256 is missing from this JVM", e);
        }
    }

    /** The stored CUBIN for (family, program, key), else {@code compile}'s result, stored for next time. */
    public byte[] get(String family, String program, String key, Supplier<byte[]> compile) {
        if (dir == null) {
            return compile.get();
        }
        Path f = file(family, program, key);
        try {
            if (Files.isRegularFile(f)) {
                byte[] b = Files.readAllBytes(f);
                if (b.length > 0) {
                    return b;
                }
            }
        } catch (IOException e) {
            // unreadable: compile instead
        }
        byte[] cubin = compile.get();
        try {
            Files.createDirectories(dir);
            Path tmp = Files.createTempFile(dir, family, ".tmp");
            Files.write(tmp, cubin);
            try {
                Files.move(tmp, f, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, f, StandardCopyOption.REPLACE_EXISTING);
            }
        } catch (IOException e) {
            // NOTE: a read-only or full disk only costs the next process a compile.
        }
        return cubin;
    }
}

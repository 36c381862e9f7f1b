package dev.tessera.data;

import java.io.FileInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;

/** Opens data files for fast sequential reading. */
public final class DataFiles {
    private DataFiles() {
    }

    /**
     * A stream over {@code path}. On the default file system this is a FileInputStream: on JDK 17
     * it reads large blocks into byte arrays about four times faster than Files.newInputStream
     * (measured 8-9 GB/s against about 2 GB/s from the page cache), and an interrupt does not close it.
     */
    public static InputStream open(Path path) throws IOException {
        if (path.getFileSystem() == FileSystems.getDefault()) {
            return new FileInputStream(path.toFile());
        }
        return Files.newInputStream(path);
    }
}

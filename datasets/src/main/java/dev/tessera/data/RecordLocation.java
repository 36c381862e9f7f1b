package dev.tessera.data;

import java.nio.file.Path;

/**
 * Where a record sits in a data file: the file, the 0-based record index (-1 for a file header)
 * and the byte offset of the record's first byte (in the uncompressed stream for GZIP files).
 */
public record RecordLocation(Path file, long recordIndex, long byteOffset) {

    /** A location in a file header, before the first record. */
    public static RecordLocation header(Path file, long byteOffset) {
        return new RecordLocation(file, -1, byteOffset);
    }

    @Override
    public String toString() {
        String record = recordIndex < 0 ? "header" : "record " + recordIndex;
        return file + ", " + record + " at byte offset " + byteOffset;
    }
}

package dev.tessera.data.tfrecord;

import java.util.zip.CRC32C;

/**
 * CRC-32C (Castagnoli) with TensorFlow's masking, as used in TFRecord framing. The masked form
 * rotates the CRC right by 15 bits and adds a constant, so a CRC stored inside checksummed data
 * does not checksum to a trivial value.
 */
public final class Crc32c {
    /** TensorFlow's masking delta. */
    public static final int MASK_DELTA = 0xa282ead8;

    private Crc32c() {
    }

    /** The plain CRC-32C of {@code len} bytes of {@code data} from {@code off}. */
    public static int crc(byte[] data, int off, int len) {
        // NOTE: java.util.zip.CRC32C is a JIT intrinsic (SSE4.2 / ARMv8 CRC instructions), several GB/s.
        CRC32C c = new CRC32C();
        c.update(data, off, len);
        return (int) c.getValue();
    }

    /** The plain CRC-32C of all of {@code data}. */
    public static int crc(byte[] data) {
        return crc(data, 0, data.length);
    }

    /** TensorFlow's mask of a CRC: {@code ((crc >>> 15) | (crc << 17)) + 0xa282ead8}. */
    public static int mask(int crc) {
        return ((crc >>> 15) | (crc << 17)) + MASK_DELTA;
    }

    /** Inverse of {@link #mask(int)}. */
    public static int unmask(int masked) {
        int rot = masked - MASK_DELTA;
        return (rot >>> 17) | (rot << 15);
    }

    /** The masked CRC-32C of {@code len} bytes of {@code data} from {@code off}, as stored in a TFRecord. */
    public static int maskedCrc(byte[] data, int off, int len) {
        return mask(crc(data, off, len));
    }
}

package dev.tessera.data.tfrecord;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Checks CRC-32C and TensorFlow's mask against a bit-by-bit reference and published check values. */
class Crc32cTest {

    /** Reflected CRC-32C, one bit at a time, polynomial 0x82F63B78: slow but obviously the definition. */
    static int bitwiseCrc32c(byte[] data) {
        int c = 0xFFFFFFFF;
        for (byte b : data) {
            c ^= b & 0xFF;
            for (int k = 0; k < 8; k++) {
                c = (c & 1) != 0 ? (c >>> 1) ^ 0x82F63B78 : c >>> 1;
            }
        }
        return ~c;
    }

    @Test
    void matchesTheStandardCheckValue() {
        byte[] check = "123456789".getBytes(StandardCharsets.US_ASCII);
        assertEquals(0xE3069283, bitwiseCrc32c(check));
        assertEquals(0xE3069283, Crc32c.crc(check));
    }

    @Test
    void matchesBitwiseReferenceOnRandomData() {
        Random r = new Random(7);
        for (int n : new int[] {0, 1, 3, 8, 31, 64, 1000, 4099}) {
            byte[] d = new byte[n];
            r.nextBytes(d);
            assertEquals(bitwiseCrc32c(d), Crc32c.crc(d), "length " + n);
        }
    }

    @Test
    void maskOfEmptyIsTheDelta() {
        assertEquals(0, Crc32c.crc(new byte[0]));
        assertEquals(0xa282ead8, Crc32c.mask(0));
        assertEquals(0xa282ead8, Crc32c.maskedCrc(new byte[0], 0, 0));
    }

    @Test
    void maskRotatesRightFifteenAndAddsDelta() {
        int crc = 0x12345678;
        int rotated = Integer.rotateRight(crc, 15);
        assertEquals(rotated + 0xa282ead8, Crc32c.mask(crc));
        assertEquals(crc, Crc32c.unmask(Crc32c.mask(crc)));
    }
}

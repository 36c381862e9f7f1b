package dev.tessera.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tessera.DType;
import dev.tessera.Tensor;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SafetensorsTest {
    @TempDir
    Path dir;

    @Test
    void roundTripsEveryDtypeAndMetadata() throws IOException {
        Map<String, Tensor> in = new LinkedHashMap<>();
        in.put("a/kernel", Tensor.of(new float[] {1, 2, 3, 4, 5, 6}, 2, 3));
        in.put("b", Tensor.of(new double[] {0.5, -1.25}, 2));
        in.put("c", Tensor.of(new int[] {7}, 1));
        in.put("d", Tensor.of(new long[] {1L << 40, -3}, 2, 1));
        in.put("view", Tensor.of(new float[] {1, 2, 3, 4}, 2, 2).transpose(0, 1));
        Path f = dir.resolve("w.safetensors");
        Safetensors.write(f, in, Map.of("epoch", "3"));
        Safetensors.Contents out = Safetensors.read(f);
        assertEquals("3", out.metadata().get("epoch"));
        assertEquals(in.keySet(), out.tensors().keySet());
        for (String k : in.keySet()) {
            assertEquals(in.get(k).shape(), out.tensors().get(k).shape(), k);
            assertEquals(in.get(k).dtype(), out.tensors().get(k).dtype(), k);
            assertArrayEquals(in.get(k).toDoubleArray(), out.tensors().get(k).toDoubleArray(), k);
        }
        assertArrayEquals(new float[] {1, 3, 2, 4}, out.tensors().get("view").toFloatArray());
    }

    @Test
    void headerMatchesTheFormatByteForByte() throws IOException {
        Path f = dir.resolve("one.safetensors");
        Safetensors.write(f, Map.of("x", Tensor.of(new float[] {1.0f}, 1)));
        byte[] bytes = Files.readAllBytes(f);
        long headerLen = ByteBuffer.wrap(bytes, 0, 8).order(ByteOrder.LITTLE_ENDIAN).getLong();
        assertEquals(0, headerLen % 8);
        String header = new String(bytes, 8, (int) headerLen, StandardCharsets.UTF_8).trim();
        assertEquals("{\"x\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4]}}", header);
        assertEquals(1.0f, ByteBuffer.wrap(bytes, 8 + (int) headerLen, 4).order(ByteOrder.LITTLE_ENDIAN).getFloat());
        assertEquals(DType.FLOAT32, Safetensors.load(f).get("x").dtype());
    }

    @Test
    void truncatedFileIsRefusedNamingFileAndOffset() throws IOException {
        Path f = dir.resolve("t.safetensors");
        Safetensors.write(f, Map.of("x", Tensor.zeros(10, 10)));
        byte[] bytes = Files.readAllBytes(f);
        Files.write(f, Arrays.copyOf(bytes, bytes.length - 7));
        IOException e = assertThrows(IOException.class, () -> Safetensors.read(f));
        assertTrue(e.getMessage().contains("t.safetensors") && e.getMessage().contains("truncated"), e.getMessage());
    }

    @Test
    void garbageHeaderLengthIsRefused() throws IOException {
        Path f = dir.resolve("g.safetensors");
        Files.write(f, new byte[] {(byte) 0xff, (byte) 0xff, (byte) 0xff, (byte) 0xff, 0, 0, 0, 0, '{', '}'});
        IOException e = assertThrows(IOException.class, () -> Safetensors.read(f));
        assertTrue(e.getMessage().contains("header length"), e.getMessage());
    }
}

package dev.tessera.io;

import dev.tessera.DType;
import dev.tessera.Device;
import dev.tessera.Shape;
import dev.tessera.Tensor;
import dev.tessera.ops.Creation;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads and writes the safetensors format (8-byte little-endian header length, a JSON header
 * naming each tensor's dtype, shape and byte range, then raw little-endian data), so weights move
 * to and from PyTorch and Hugging Face tools. Writes are atomic: temp file, fsync, rename.
 */
public final class Safetensors {
    private static final long MAX_HEADER = 100L << 20;

    private Safetensors() {
    }

    /** What a file holds: tensors in file order and the string metadata of "__metadata__". */
    public record Contents(Map<String, Tensor> tensors, Map<String, String> metadata) {
    }

    public static void write(Path path, Map<String, Tensor> tensors) throws IOException {
        write(path, tensors, Map.of());
    }

    /** Writes {@code tensors} (any device, any layout) and {@code metadata} atomically to {@code path}. */
    public static void write(Path path, Map<String, Tensor> tensors, Map<String, String> metadata) throws IOException {
        StringBuilder h = new StringBuilder("{");
        boolean first = true;
        if (!metadata.isEmpty()) {
            h.append("\"__metadata__\":{");
            boolean f2 = true;
            for (Map.Entry<String, String> e : metadata.entrySet()) {
                if (!f2) {
                    h.append(',');
                }
                f2 = false;
                Json.quote(h, e.getKey());
                h.append(':');
                Json.quote(h, e.getValue());
            }
            h.append('}');
            first = false;
        }
        long offset = 0;
        for (Map.Entry<String, Tensor> e : tensors.entrySet()) {
            Tensor t = e.getValue();
            long bytes = t.numel() * t.dtype().byteSize();
            if (!first) {
                h.append(',');
            }
            first = false;
            Json.quote(h, e.getKey());
            h.append(":{\"dtype\":\"").append(code(t.dtype())).append("\",\"shape\":[");
            for (int i = 0; i < t.rank(); i++) {
                h.append(i > 0 ? "," : "").append(t.dim(i));
            }
            h.append("],\"data_offsets\":[").append(offset).append(',').append(offset + bytes).append("]}");
            offset += bytes;
        }
        h.append('}');
        byte[] header = h.toString().getBytes(StandardCharsets.UTF_8);
        int padded = (header.length + 7) / 8 * 8;
        Path dir = path.toAbsolutePath().getParent();
        Files.createDirectories(dir);
        Path tmp = Files.createTempFile(dir, path.getFileName().toString(), ".tmp");
        try {
            try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING)) {
                ByteBuffer head = ByteBuffer.allocate(8 + padded).order(ByteOrder.LITTLE_ENDIAN);
                head.putLong(padded).put(header);
                while (head.hasRemaining()) {
                    head.put((byte) ' ');
                }
                head.flip();
                writeFully(ch, head);
                for (Tensor t : tensors.values()) {
                    writeFully(ch, encode(t));
                }
                ch.force(true);
            }
            try {
                Files.move(tmp, path, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, path, StandardCopyOption.REPLACE_EXISTING);
            }
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    /** Reads every tensor (onto the CPU) and the metadata; a malformed file raises an IOException naming the file and offset. */
    public static Contents read(Path path) throws IOException {
        try (FileChannel ch = FileChannel.open(path, StandardOpenOption.READ)) {
            long size = ch.size();
            if (size < 8) {
                throw bad(path, 0, "file has " + size + " bytes, too short for the 8-byte header length");
            }
            ByteBuffer lenBuf = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN);
            readFully(ch, lenBuf, 0, path);
            long headerLen = lenBuf.flip().getLong();
            if (headerLen < 2 || headerLen > MAX_HEADER || headerLen > size - 8) {
                throw bad(path, 0, "header length " + headerLen + " does not fit a file of " + size + " bytes");
            }
            ByteBuffer hb = ByteBuffer.allocate((int) headerLen);
            readFully(ch, hb, 8, path);
            Object parsed;
            try {
                parsed = Json.parse(new String(hb.array(), StandardCharsets.UTF_8));
            } catch (IllegalArgumentException e) {
                throw bad(path, 8, "header is not valid JSON (" + e.getMessage() + ")");
            }
            if (!(parsed instanceof Map<?, ?> header)) {
                throw bad(path, 8, "header is not a JSON object");
            }
            long dataStart = 8 + headerLen;
            long dataSize = size - dataStart;
            Map<String, Tensor> tensors = new LinkedHashMap<>();
            Map<String, String> metadata = new LinkedHashMap<>();
            for (Map.Entry<?, ?> e : header.entrySet()) {
                String name = (String) e.getKey();
                if (name.equals("__metadata__")) {
                    if (e.getValue() instanceof Map<?, ?> m) {
                        m.forEach((k, v) -> metadata.put(String.valueOf(k), String.valueOf(v)));
                    }
                    continue;
                }
                tensors.put(name, readTensor(ch, path, name, e.getValue(), dataStart, dataSize));
            }
            return new Contents(tensors, metadata);
        }
    }

    /** Just the tensors of {@link #read}. */
    public static Map<String, Tensor> load(Path path) throws IOException {
        return read(path).tensors();
    }

    private static Tensor readTensor(FileChannel ch, Path path, String name, Object spec, long dataStart, long dataSize)
            throws IOException {
        if (!(spec instanceof Map<?, ?> m) || !(m.get("dtype") instanceof String code)
                || !(m.get("shape") instanceof List<?> shapeList) || !(m.get("data_offsets") instanceof List<?> offs)
                || offs.size() != 2) {
            throw bad(path, 8, "entry '" + name + "' lacks dtype, shape or data_offsets");
        }
        DType dtype = dtype(code, path, name);
        long[] dims = new long[shapeList.size()];
        for (int i = 0; i < dims.length; i++) {
            if (!(shapeList.get(i) instanceof Long d) || d < 0) {
                throw bad(path, 8, "entry '" + name + "' has a bad shape " + shapeList);
            }
            dims[i] = d;
        }
        if (!(offs.get(0) instanceof Long begin) || !(offs.get(1) instanceof Long end) || begin < 0 || end < begin) {
            throw bad(path, 8, "entry '" + name + "' has bad data_offsets " + offs);
        }
        Shape shape = Shape.of(dims);
        long bytes = shape.numel() * dtype.byteSize();
        if (end - begin != bytes) {
            throw bad(path, dataStart + begin, "entry '" + name + "' " + shape + " " + code + " needs " + bytes
                    + " bytes but data_offsets span " + (end - begin));
        }
        if (end > dataSize) {
            throw bad(path, dataStart + begin, "entry '" + name + "' ends at byte " + (dataStart + end)
                    + " beyond the end of the file (" + (dataStart + dataSize) + " bytes): the file is truncated");
        }
        if (bytes > Integer.MAX_VALUE - 16) {
            throw bad(path, dataStart + begin, "entry '" + name + "' is too large to read (" + bytes + " bytes)");
        }
        ByteBuffer buf = ByteBuffer.allocate((int) bytes);
        readFully(ch, buf, dataStart + begin, path);
        buf.flip().order(ByteOrder.LITTLE_ENDIAN);
        int n = (int) shape.numel();
        Object arr = switch (dtype) {
            case FLOAT32 -> {
                float[] a = new float[n];
                buf.asFloatBuffer().get(a);
                yield a;
            }
            case FLOAT64 -> {
                double[] a = new double[n];
                buf.asDoubleBuffer().get(a);
                yield a;
            }
            case INT32 -> {
                int[] a = new int[n];
                buf.asIntBuffer().get(a);
                yield a;
            }
            case INT64 -> {
                long[] a = new long[n];
                buf.asLongBuffer().get(a);
                yield a;
            }
        };
        return Creation.fromArray(arr, dtype, shape, Device.cpu());
    }

    private static ByteBuffer encode(Tensor t) {
        ByteBuffer b = ByteBuffer.allocate(Math.toIntExact(t.numel() * t.dtype().byteSize())).order(ByteOrder.LITTLE_ENDIAN);
        switch (t.dtype()) {
            case FLOAT32 -> b.asFloatBuffer().put(t.toFloatArray());
            case FLOAT64 -> b.asDoubleBuffer().put(t.toDoubleArray());
            case INT32 -> b.asIntBuffer().put(t.toIntArray());
            case INT64 -> b.asLongBuffer().put(t.toLongArray());
        }
        return b;
    }

    private static String code(DType d) {
        return switch (d) {
            case FLOAT32 -> "F32";
            case FLOAT64 -> "F64";
            case INT32 -> "I32";
            case INT64 -> "I64";
        };
    }

    private static DType dtype(String code, Path path, String name) throws IOException {
        return switch (code) {
            case "F32" -> DType.FLOAT32;
            case "F64" -> DType.FLOAT64;
            case "I32" -> DType.INT32;
            case "I64" -> DType.INT64;
            default -> throw bad(path, 8, "entry '" + name + "' has unsupported dtype " + code
                    + " (supported: F32, F64, I32, I64)");
        };
    }

    private static void writeFully(FileChannel ch, ByteBuffer b) throws IOException {
        while (b.hasRemaining()) {
            ch.write(b);
        }
    }

    private static void readFully(FileChannel ch, ByteBuffer b, long position, Path path) throws IOException {
        long p = position;
        while (b.hasRemaining()) {
            int r = ch.read(b, p);
            if (r < 0) {
                throw bad(path, p, "unexpected end of file");
            }
            p += r;
        }
    }

    private static IOException bad(Path path, long offset, String what) {
        return new IOException("safetensors: " + path + " at byte " + offset + ": " + what);
    }
}

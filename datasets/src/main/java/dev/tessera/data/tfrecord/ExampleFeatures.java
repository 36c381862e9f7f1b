package dev.tessera.data.tfrecord;

import com.google.protobuf.ByteString;
import com.google.protobuf.CodedInputStream;
import com.google.protobuf.UnsafeByteOperations;
import dev.tessera.Shape;
import dev.tessera.Tensor;
import dev.tessera.data.DataFileException;
import dev.tessera.data.RecordLocation;
import dev.tessera.data.example.Example;
import dev.tessera.data.example.Feature;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.List;
import java.util.TreeSet;

/**
 * Typed access to the features of one tf.train.Example by name, fixed-length or variable-length,
 * and decoding of raw tensor bytes. Every problem (unparsable record, missing feature, wrong
 * kind, wrong count or byte size) raises {@link DataFileException} naming the feature and the record.
 */
public final class ExampleFeatures {
    private static final String OP = "example";

    private final RecordLocation location;
    /** The serialized record and its index, when parsed from bytes; features are then decoded on first use. */
    private final byte[] record;
    private final int offset;
    private final int length;
    private final ExampleIndex index;
    /** The whole message: given, or built from the record when asked for (or when the index gave up). */
    private Example example;

    private ExampleFeatures(Example example, byte[] record, int offset, int length, ExampleIndex index,
            RecordLocation location) {
        this.example = example;
        this.record = record;
        this.offset = offset;
        this.length = length;
        this.index = index;
        this.location = location;
    }

    /** Wraps an Example; {@code location} (may be null for in-memory records) is named in errors. */
    public static ExampleFeatures of(Example example, RecordLocation location) {
        if (example == null) {
            throw new IllegalArgumentException("example: Example must not be null — in " + location);
        }
        return new ExampleFeatures(example, null, 0, 0, null, location);
    }

    /**
     * Parses a serialized Example; bytes features share {@code record}'s memory, so the array must
     * not change afterwards. The record's structure is checked now; a feature's values are decoded
     * (and checked) when first read, so a damaged feature that is never read raises nothing.
     */
    public static ExampleFeatures parse(byte[] record, RecordLocation location) {
        if (record == null) {
            throw new IllegalArgumentException("example: record must not be null — in " + location);
        }
        return parse(record, 0, record.length, location);
    }

    /**
     * As {@link #parse(byte[], RecordLocation)} for the {@code length} bytes of {@code record} from
     * {@code offset}, e.g. a view from {@link TfRecordReader#nextShared()}: the features share that
     * memory and are valid only while it holds this record.
     */
    public static ExampleFeatures parse(byte[] record, int offset, int length, RecordLocation location) {
        if (record == null) {
            throw new IllegalArgumentException("example: record must not be null — in " + location);
        }
        if (offset < 0 || length < 0 || offset > record.length - length) {
            throw new IllegalArgumentException("example: bytes [" + offset + ", " + ((long) offset + length)
                    + ") lie outside a record array of " + record.length + " — in " + location);
        }
        ExampleIndex index = ExampleIndex.scan(record, offset, length);
        if (index != null) {
            return new ExampleFeatures(null, record, offset, length, index, location);
        }
        return new ExampleFeatures(fullParse(record, offset, length, location), null, 0, 0, null, location);
    }

    private static Example fullParse(byte[] record, int offset, int length, RecordLocation location) {
        try {
            return Example.parseFrom(aliasingInput(record, offset, length));
        } catch (IOException e) {
            // A CodedInputStream over an array only fails with InvalidProtocolBufferException (an IOException).
            throw new DataFileException(OP, "record is not a valid tf.train.Example (" + e.getMessage() + ")", location, e);
        }
    }

    /** A protobuf input over part of {@code record} whose bytes values are views of the array, not copies. */
    static CodedInputStream aliasingInput(byte[] record, int offset, int length) {
        // NOTE: protobuf aliases only buffers it is told are immutable; CodedInputStream.newInstance(byte[])
        // is not, so enableAliasing alone would still copy every image (~600 KB per CLEVR record).
        CodedInputStream in = UnsafeByteOperations.unsafeWrap(record, offset, length).newCodedInput();
        in.enableAliasing(true);
        return in;
    }

    /** The whole message. */
    public Example example() {
        if (example == null) {
            example = fullParse(record, offset, length, location);
        }
        return example;
    }

    /** Where the record came from (null for in-memory records). */
    public RecordLocation location() {
        return location;
    }

    /** Whether a feature of that name exists. */
    public boolean has(String name) {
        return index != null ? index.has(name) : example.getFeatures().containsFeature(name);
    }

    /** All values of a bytes feature (variable length). */
    public List<ByteString> bytesList(String name) {
        if (index != null && index.has(name)) {
            List<ByteString> fast = index.bytesList(name);
            if (fast != null) {
                return fast;
            }
        }
        return feature(name, Feature.KindCase.BYTES_LIST).getBytesList().getValueList();
    }

    /** A bytes feature that must hold exactly {@code length} values. */
    public List<ByteString> bytesList(String name, int length) {
        List<ByteString> v = bytesList(name);
        checkCount(name, v.size(), length);
        return v;
    }

    /** The single value of a bytes feature. */
    public ByteString bytes(String name) {
        return bytesList(name, 1).get(0);
    }

    /** All values of a float feature (variable length). */
    public float[] floats(String name) {
        List<Float> v = feature(name, Feature.KindCase.FLOAT_LIST).getFloatList().getValueList();
        float[] r = new float[v.size()];
        for (int i = 0; i < r.length; i++) {
            r[i] = v.get(i);
        }
        return r;
    }

    /** A float feature that must hold exactly {@code length} values. */
    public float[] floats(String name, int length) {
        float[] v = floats(name);
        checkCount(name, v.length, length);
        return v;
    }

    /** All values of an int64 feature (variable length). */
    public long[] int64s(String name) {
        if (index != null && index.has(name)) {
            long[] fast = index.int64s(name);
            if (fast != null) {
                return fast;
            }
        }
        List<Long> v = feature(name, Feature.KindCase.INT64_LIST).getInt64List().getValueList();
        long[] r = new long[v.size()];
        for (int i = 0; i < r.length; i++) {
            r[i] = v.get(i);
        }
        return r;
    }

    /** An int64 feature that must hold exactly {@code length} values. */
    public long[] int64s(String name, int length) {
        long[] v = int64s(name);
        checkCount(name, v.length, length);
        return v;
    }

    /** The single value of an int64 feature. */
    public long int64(String name) {
        return int64s(name, 1)[0];
    }

    /** Decodes the single bytes value of feature {@code name} as a tensor of {@code shape} (see {@link #decode}). */
    public Tensor tensor(String name, RawType type, Shape shape) {
        return decode(bytes(name), type, shape, "feature '" + name + "'", location);
    }

    /** Decodes the single bytes value of feature {@code name} into int values (INT32 or widened UINT8). */
    public int[] ints(String name, RawType type, Shape shape) {
        return decodeInts(bytes(name), type, shape, "feature '" + name + "'", location);
    }

    /**
     * Decodes raw little-endian bytes into a tensor of {@code shape}: float32 → FLOAT32, int32 and
     * uint8 → INT32. The byte count must equal the shape's elements times the element size.
     */
    public static Tensor decode(ByteString raw, RawType type, Shape shape, String what, RecordLocation location) {
        long[] dims = shape.toArray();
        if (type == RawType.FLOAT32) {
            return Tensor.of(decodeFloats(raw, shape, what, location), dims);
        }
        return Tensor.of(decodeInts(raw, type, shape, what, location), dims);
    }

    /** Raw little-endian float32 bytes as a float array, size-checked against {@code shape}. */
    public static float[] decodeFloats(ByteString raw, Shape shape, String what, RecordLocation location) {
        int n = checkBytes(raw, RawType.FLOAT32, shape, what, location);
        float[] r = new float[n];
        littleEndian(raw).asFloatBuffer().get(r);
        return r;
    }

    /** Raw little-endian int32 or uint8 bytes as an int array, size-checked against {@code shape}. */
    public static int[] decodeInts(ByteString raw, RawType type, Shape shape, String what, RecordLocation location) {
        if (type == RawType.FLOAT32) {
            throw new IllegalArgumentException("example: decodeInts needs int32 or uint8 — got " + type);
        }
        int n = checkBytes(raw, type, shape, what, location);
        int[] r = new int[n];
        ByteBuffer b = littleEndian(raw);
        if (type == RawType.INT32) {
            b.asIntBuffer().get(r);
        } else {
            for (int i = 0; i < n; i++) {
                r[i] = b.get(i) & 0xFF;
            }
        }
        return r;
    }

    /** The bytes as a little-endian buffer whose index 0 is the first byte, also when {@code raw} is a view into a larger array. */
    private static ByteBuffer littleEndian(ByteString raw) {
        // NOTE: slice() first — a view's buffer starts at the array's index 0 with its position at the view's offset.
        return raw.asReadOnlyByteBuffer().slice().order(ByteOrder.LITTLE_ENDIAN);
    }

    private static int checkBytes(ByteString raw, RawType type, Shape shape, String what, RecordLocation location) {
        long expected = shape.numel() * type.byteSize();
        if (raw.size() != expected) {
            throw new DataFileException(OP, what + " has " + raw.size() + " bytes, expected " + expected + " for "
                    + shape + " " + type, location);
        }
        if (shape.numel() > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("example: " + shape + " has too many elements for one array — got "
                    + shape.numel());
        }
        return (int) shape.numel();
    }

    private Feature feature(String name, Feature.KindCase kind) {
        if (!has(name)) {
            throw new DataFileException(OP, "missing feature '" + name + "' (present: "
                    + new TreeSet<>(index != null ? index.names() : example.getFeatures().getFeatureMap().keySet()) + ")",
                    location);
        }
        Feature f;
        if (index != null) {
            try {
                f = index.feature(name);
            } catch (IOException e) {
                throw new DataFileException(OP, "feature '" + name + "' is not a valid tf.train.Feature (" + e.getMessage()
                        + ")", location, e);
            }
        } else {
            f = example.getFeatures().getFeatureMap().get(name);
        }
        if (f.getKindCase() != kind && f.getKindCase() != Feature.KindCase.KIND_NOT_SET) {
            throw new DataFileException(OP, "feature '" + name + "' holds a " + kindName(f.getKindCase())
                    + ", expected a " + kindName(kind), location);
        }
        return f;
    }

    private void checkCount(String name, int actual, int expected) {
        if (actual != expected) {
            throw new DataFileException(OP, "feature '" + name + "' has " + actual + " values, expected " + expected,
                    location);
        }
    }

    private static String kindName(Feature.KindCase k) {
        return k.name().toLowerCase(java.util.Locale.ROOT);
    }
}

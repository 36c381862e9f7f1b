package dev.tessera.data.tfrecord;

import com.google.protobuf.ByteString;
import com.google.protobuf.UnsafeByteOperations;
import dev.tessera.data.example.Feature;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A scan of a serialized tf.train.Example that records where each feature's bytes lie, so a
 * feature is parsed only when asked for (as TensorFlow's fast example parser does). For small
 * records this is several times cheaper than building the whole message. Anything unusual
 * (bad varint, bad length, a group, non-UTF-8 name) makes {@link #scan} give up and return null,
 * leaving the verdict to the generated parser. Int64 and bytes features in the plain form writers
 * produce are also decoded here without building protobuf objects ({@link #int64s}, {@link #bytesList});
 * any other form returns null and goes through {@link #feature}.
 */
final class ExampleIndex {
    private static final int VARINT = 0;
    private static final int FIXED64 = 1;
    private static final int LENGTH_DELIMITED = 2;
    private static final int FIXED32 = 5;
    /** Marks a map entry without a value field: an empty Feature. */
    private static final long EMPTY = -1;
    /** Feature's oneof field numbers (tf.train.Feature). */
    private static final int BYTES_LIST = 1;
    private static final int INT64_LIST = 3;

    /** Above this many features a name lookup goes through a hash map instead of comparing names in turn. */
    private static final int LINEAR_LOOKUP = 16;

    private final byte[] record;
    /**
     * Per map entry in record order: where its name lies (offset in the high 32 bits, length in
     * the low) and where its Feature message lies ({@link #EMPTY} when absent). A later entry of
     * the same name overrides an earlier one, as protobuf's map parsing does.
     */
    private long[] nameSlices = new long[4];
    private long[] valueSlices = new long[4];
    private int count;
    /** Name → entry, built on the first lookup of a record with many features. */
    private Map<String, Integer> byName;
    private int p;
    /** [listFrom, listTo) of the list message found by {@link #onlyList}. */
    private int listFrom;
    private int listTo;

    private ExampleIndex(byte[] record) {
        this.record = record;
    }

    /** Indexes the {@code length} bytes of {@code record} from {@code offset}, or returns null if they are not a plain, well-formed Example. */
    static ExampleIndex scan(byte[] record, int offset, int length) {
        ExampleIndex x = new ExampleIndex(record);
        return x.scanMessage(offset, offset + length, 0) ? x : null;
    }

    boolean has(String name) {
        return find(name) >= 0;
    }

    Set<String> names() {
        Set<String> names = new LinkedHashSet<>();
        for (int i = 0; i < count; i++) {
            names.add(name(i));
        }
        return names;
    }

    /** The entry that holds feature {@code name} (the last one of that name), or -1. */
    private int find(String name) {
        if (count > LINEAR_LOOKUP) {
            if (byName == null) {
                byName = new HashMap<>();
                for (int i = 0; i < count; i++) {
                    byName.put(name(i), i);
                }
            }
            Integer i = byName.get(name);
            return i == null ? -1 : i;
        }
        for (int i = count - 1; i >= 0; i--) {
            if (nameEquals(i, name)) {
                return i;
            }
        }
        return -1;
    }

    /** Whether entry {@code i}'s name is {@code name}, compared char by char for ASCII names without decoding. */
    private boolean nameEquals(int i, String name) {
        int from = (int) (nameSlices[i] >>> 32);
        int len = (int) nameSlices[i];
        if (name.length() != len) {
            // Only a name with non-ASCII characters has fewer chars than UTF-8 bytes.
            return name.length() < len && !ascii(from, from + len) && name(i).equals(name);
        }
        for (int k = 0; k < len; k++) {
            char c = name.charAt(k);
            byte b = record[from + k];
            if (c >= 0x80 || b < 0) {
                return name(i).equals(name);
            }
            if (c != b) {
                return false;
            }
        }
        return true;
    }

    private String name(int i) {
        return new String(record, (int) (nameSlices[i] >>> 32), (int) nameSlices[i], StandardCharsets.UTF_8);
    }

    private long slice(String name) {
        return valueSlices[find(name)];
    }

    /** Parses feature {@code name} (which must exist); bytes values share the record's memory. */
    Feature feature(String name) throws IOException {
        long slice = slice(name);
        if (slice == EMPTY) {
            return Feature.getDefaultInstance();
        }
        return Feature.parseFrom(ExampleFeatures.aliasingInput(record, (int) (slice >>> 32), (int) slice));
    }

    /**
     * The values of int64 feature {@code name} (which must exist), or null unless its Feature is
     * exactly one Int64List holding only field 1, packed or not.
     */
    long[] int64s(String name) {
        if (!onlyList(slice(name), INT64_LIST)) {
            return null;
        }
        p = listFrom;
        int to = listTo;
        // Every value takes at least one byte, so the list's length bounds the count.
        long[] out = new long[to - p];
        int n = 0;
        while (p < to) {
            long tag = varint(to);
            boolean packed = tag == (1 << 3 | LENGTH_DELIMITED);
            if (!packed && tag != (1 << 3 | VARINT)) {
                return null;
            }
            int end = to;
            if (packed) {
                long len = varint(to);
                if (len < 0 || len > to - p) {
                    return null;
                }
                end = p + (int) len;
            }
            int first = n;
            while (packed ? p < end : n == first) {
                int before = p;
                out[n++] = signedVarint(end);
                if (p == before) {
                    return null;
                }
            }
        }
        return Arrays.copyOf(out, n);
    }

    /**
     * The values of bytes feature {@code name} (which must exist) as views of the record, or null
     * unless its Feature is exactly one BytesList holding only field 1.
     */
    List<ByteString> bytesList(String name) {
        if (!onlyList(slice(name), BYTES_LIST)) {
            return null;
        }
        p = listFrom;
        int to = listTo;
        List<ByteString> out = null;
        ByteString first = null;
        while (p < to) {
            if (varint(to) != (1 << 3 | LENGTH_DELIMITED)) {
                return null;
            }
            long len = varint(to);
            if (len < 0 || len > to - p) {
                return null;
            }
            ByteString value = UnsafeByteOperations.unsafeWrap(record, p, (int) len);
            p += (int) len;
            if (first == null) {
                first = value;
            } else {
                if (out == null) {
                    out = new ArrayList<>();
                    out.add(first);
                }
                out.add(value);
            }
        }
        return out != null ? Collections.unmodifiableList(out) : first != null ? List.of(first) : List.of();
    }

    /**
     * Whether the Feature slice is one length-delimited field {@code kind} and nothing else; if so
     * the list message lies in [{@link #listFrom}, {@link #listTo}).
     */
    private boolean onlyList(long slice, int kind) {
        if (slice == EMPTY) {
            return false;
        }
        int from = (int) (slice >>> 32);
        int to = from + (int) slice;
        p = from;
        if (varint(to) != ((long) kind << 3 | LENGTH_DELIMITED)) {
            return false;
        }
        long len = varint(to);
        if (len < 0 || len != to - p) {
            return false;
        }
        listFrom = p;
        listTo = to;
        return true;
    }

    /** A varint below {@code to} as the full 64-bit value (int64 negatives take ten bytes); leaves p unchanged when malformed. */
    private long signedVarint(int to) {
        int start = p;
        long v = 0;
        for (int shift = 0; shift < 64 && p < to; shift += 7) {
            byte b = record[p++];
            v |= (long) (b & 0x7F) << shift;
            if (b >= 0) {
                return v;
            }
        }
        p = start;
        return 0;
    }

    /**
     * Walks the fields in [from, to) at nesting {@code depth}: 0 = Example (field 1 is Features),
     * 1 = Features (field 1 is a map entry), 2 = map entry (field 1 name, field 2 Feature).
     */
    private boolean scanMessage(int from, int to, int depth) {
        p = from;
        long name = 0;
        long value = EMPTY;
        while (p < to) {
            long tag = varint(to);
            if (tag < 8) {
                return false; // malformed, or field number 0, which the generated parser rejects with its own message
            }
            int field = (int) (tag >>> 3);
            int wire = (int) (tag & 7);
            if (wire == LENGTH_DELIMITED) {
                long len = varint(to);
                if (len < 0 || len > to - p) {
                    return false;
                }
                int start = p;
                int end = p + (int) len;
                if (field == 1 && depth < 2) {
                    if (!scanMessage(start, end, depth + 1)) {
                        return false;
                    }
                } else if (field == 1) {
                    if (!validUtf8(start, end)) {
                        return false;
                    }
                    name = (long) start << 32 | (end - start);
                } else if (field == 2 && depth == 2) {
                    value = (long) start << 32 | (end - start);
                }
                p = end;
            } else if (!skip(wire, to)) {
                return false;
            }
        }
        if (depth == 2) {
            add(name, value);
        }
        return p == to;
    }

    private void add(long name, long value) {
        if (count == nameSlices.length) {
            nameSlices = Arrays.copyOf(nameSlices, 2 * count);
            valueSlices = Arrays.copyOf(valueSlices, 2 * count);
        }
        nameSlices[count] = name;
        valueSlices[count] = value;
        count++;
    }

    /** Whether [from, to) of the record is valid UTF-8; ASCII, the usual case, is checked here without protobuf. */
    private boolean validUtf8(int from, int to) {
        return ascii(from, to) || UnsafeByteOperations.unsafeWrap(record, from, to - from).isValidUtf8();
    }

    private boolean ascii(int from, int to) {
        for (int i = from; i < to; i++) {
            if (record[i] < 0) {
                return false;
            }
        }
        return true;
    }

    private boolean skip(int wire, int to) {
        switch (wire) {
            case VARINT:
                return varint(to) >= 0;
            case FIXED64:
                p += 8;
                return p <= to;
            case FIXED32:
                p += 4;
                return p <= to;
            default:
                return false;
        }
    }

    /** Reads a varint below {@code to}; -1 when malformed or cut off (a valid varint here is never negative as used). */
    private long varint(int to) {
        long v = 0;
        for (int shift = 0; shift < 64 && p < to; shift += 7) {
            byte b = record[p++];
            v |= (long) (b & 0x7F) << shift;
            if (b >= 0) {
                return v < 0 ? -1 : v;
            }
        }
        return -1;
    }
}

package dev.tessera.data.tfrecord;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.ByteString;
import dev.tessera.data.DataFileException;
import dev.tessera.data.example.BytesList;
import dev.tessera.data.example.Example;
import dev.tessera.data.example.Feature;
import dev.tessera.data.example.Features;
import dev.tessera.data.example.FloatList;
import dev.tessera.data.example.Int64List;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Checks the lazy feature index against the generated parser on random and malformed records. */
class ExampleIndexTest {

    private static Feature randomFeature(Random r) {
        int n = r.nextInt(4);
        switch (r.nextInt(4)) {
            case 0: {
                BytesList.Builder b = BytesList.newBuilder();
                for (int i = 0; i < n; i++) {
                    byte[] v = new byte[r.nextInt(300)];
                    r.nextBytes(v);
                    b.addValue(ByteString.copyFrom(v));
                }
                return Feature.newBuilder().setBytesList(b).build();
            }
            case 1: {
                FloatList.Builder b = FloatList.newBuilder();
                for (int i = 0; i < n; i++) {
                    b.addValue(r.nextFloat() * 100 - 50);
                }
                return Feature.newBuilder().setFloatList(b).build();
            }
            case 2: {
                Int64List.Builder b = Int64List.newBuilder();
                for (int i = 0; i < n; i++) {
                    b.addValue(r.nextLong());
                }
                return Feature.newBuilder().setInt64List(b).build();
            }
            default:
                return Feature.getDefaultInstance();
        }
    }

    @Test
    void lazyFeaturesEqualTheGeneratedParse() {
        Random r = new Random(21);
        for (int t = 0; t < 300; t++) {
            Features.Builder f = Features.newBuilder();
            for (int k = r.nextInt(6); k > 0; k--) {
                f.putFeature(r.nextBoolean() ? "feature/" + r.nextInt(9) : "ünï" + r.nextInt(3), randomFeature(r));
            }
            Example e = Example.newBuilder().setFeatures(f).build();
            byte[] wire = e.toByteArray();
            ExampleIndex index = ExampleIndex.scan(wire, 0, wire.length);
            assertNotNull(index, "a well-formed example is indexed");
            assertEquals(e.getFeatures().getFeatureMap().keySet(), index.names());
            ExampleFeatures lazy = ExampleFeatures.parse(wire, null);
            for (var entry : e.getFeatures().getFeatureMap().entrySet()) {
                assertTrue(lazy.has(entry.getKey()));
                assertEquals(entry.getValue(), assertDoesNotThrowFeature(index, entry.getKey()));
            }
            assertEquals(e, lazy.example());
        }
    }

    @Test
    void namesAreFoundByTheirBytesInSmallAndLargeExamples() throws Exception {
        for (int count : new int[] {3, 16, 17, 40}) {
            Features.Builder f = Features.newBuilder();
            for (int k = 0; k < count; k++) {
                String name = k % 3 == 0 ? "ünï/" + k : k % 3 == 1 ? "f" + k : "f" + k + "x";
                f.putFeature(name, Feature.newBuilder().setInt64List(Int64List.newBuilder().addValue(k)).build());
            }
            Example e = Example.newBuilder().setFeatures(f).build();
            // Concatenated messages merge, and a repeated map key keeps its last value in the generated parser too.
            Example later = Example.newBuilder().setFeatures(Features.newBuilder().putFeature("f1",
                    Feature.newBuilder().setInt64List(Int64List.newBuilder().addValue(-7)).build())).build();
            byte[] first = e.toByteArray();
            byte[] second = later.toByteArray();
            byte[] wire = Arrays.copyOf(first, first.length + second.length);
            System.arraycopy(second, 0, wire, first.length, second.length);
            Example merged = Example.parseFrom(wire);
            ExampleFeatures lazy = ExampleFeatures.parse(wire, null);
            for (String name : merged.getFeatures().getFeatureMap().keySet()) {
                assertArrayEquals(merged.getFeatures().getFeatureMap().get(name).getInt64List().getValueList().stream()
                        .mapToLong(Long::longValue).toArray(), lazy.int64s(name), name);
            }
            assertEquals(-7, lazy.int64("f1"));
            for (String absent : new String[] {"f", "f1x", "ünï", "ünï/1", "", "f" + count}) {
                assertEquals(merged.getFeatures().containsFeature(absent), lazy.has(absent), absent);
            }
            assertEquals(merged.getFeatures().getFeatureMap().keySet(), ExampleIndex.scan(wire, 0, wire.length).names());
        }
    }

    @Test
    void handDecodedInt64AndBytesEqualTheGeneratedParse() {
        Random r = new Random(22);
        for (int t = 0; t < 500; t++) {
            Feature feature = randomFeature(r);
            byte[] wire = Example.newBuilder().setFeatures(Features.newBuilder().putFeature("f", feature)).build().toByteArray();
            ExampleIndex index = ExampleIndex.scan(wire, 0, wire.length);
            long[] ints = index.int64s("f");
            if (feature.getKindCase() == Feature.KindCase.INT64_LIST) {
                assertArrayEquals(feature.getInt64List().getValueList().stream().mapToLong(Long::longValue).toArray(), ints);
            } else {
                assertNull(ints, "not an int64 list: " + feature.getKindCase());
            }
            var bytes = index.bytesList("f");
            if (feature.getKindCase() == Feature.KindCase.BYTES_LIST) {
                assertEquals(feature.getBytesList().getValueList(), bytes);
            } else {
                assertNull(bytes, "not a bytes list: " + feature.getKindCase());
            }
            ExampleFeatures f = ExampleFeatures.parse(wire, null);
            if (feature.getKindCase() == Feature.KindCase.INT64_LIST) {
                assertArrayEquals(ints, f.int64s("f"));
            }
        }
    }

    @Test
    void unpackedInt64sAndOtherFormsDecodeOrFallBack() {
        // Feature{int64_list{value: 5, value: -1}} written unpacked (field 1, wire type 0, one tag per value).
        byte[] unpacked = {0x1a, 13, 0x08, 5, 0x08, -1, -1, -1, -1, -1, -1, -1, -1, -1, 1};
        byte[] wire = wrap("u", unpacked);
        ExampleIndex index = ExampleIndex.scan(wire, 0, wire.length);
        assertArrayEquals(new long[] {5, -1}, index.int64s("u"));
        assertArrayEquals(new long[] {5, -1}, ExampleFeatures.parse(wire, null).int64s("u"));
        // An unknown field inside the list: the generated parser keeps the values and skips the field.
        byte[] wire2 = wrap("x", new byte[] {0x1a, 5, 0x0a, 1, 7, 0x10, 3});
        assertNull(ExampleIndex.scan(wire2, 0, wire2.length).int64s("x"));
        assertArrayEquals(new long[] {7}, ExampleFeatures.parse(wire2, null).int64s("x"));
        // Two kinds in one Feature: the oneof's last field wins, as in the generated parser.
        byte[] wire3 = wrap("k", new byte[] {0x1a, 2, 0x08, 9, 0x0a, 3, 0x0a, 1, 'a'});
        assertNull(ExampleIndex.scan(wire3, 0, wire3.length).int64s("k"));
        assertEquals(ByteString.copyFromUtf8("a"), ExampleFeatures.parse(wire3, null).bytes("k"));
        DataFileException wrongKind = assertThrows(DataFileException.class, () -> ExampleFeatures.parse(wire3, null).int64s("k"));
        assertTrue(wrongKind.getMessage().contains("bytes_list"), wrongKind.getMessage());
    }

    /** An Example holding one feature {@code name} whose serialized Feature is {@code feature}. */
    private static byte[] wrap(String name, byte[] feature) {
        byte[] key = name.getBytes(java.nio.charset.StandardCharsets.UTF_8);
        byte[] entry = concat(new byte[] {0x0a, (byte) key.length}, key, new byte[] {0x12, (byte) feature.length}, feature);
        byte[] features = concat(new byte[] {0x0a, (byte) entry.length}, entry);
        return concat(new byte[] {0x0a, (byte) features.length}, features);
    }

    private static byte[] concat(byte[]... parts) {
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        for (byte[] part : parts) {
            out.writeBytes(part);
        }
        return out.toByteArray();
    }

    @Test
    void aRecordInsideALargerArrayParsesAsOnItsOwn() {
        Example e = Example.newBuilder().setFeatures(Features.newBuilder()
                .putFeature("label", Feature.newBuilder().setInt64List(Int64List.newBuilder().addValue(7)).build())
                .putFeature("image", Feature.newBuilder().setBytesList(BytesList.newBuilder()
                        .addValue(ByteString.copyFromUtf8("pixels"))).build())).build();
        byte[] wire = e.toByteArray();
        byte[] padded = new byte[wire.length + 9];
        Arrays.fill(padded, (byte) 0x80);
        System.arraycopy(wire, 0, padded, 5, wire.length);
        ExampleFeatures f = ExampleFeatures.parse(padded, 5, wire.length, null);
        assertEquals(7L, f.int64("label"));
        assertEquals("pixels", f.bytes("image").toStringUtf8());
        assertEquals(e, f.example());
        assertThrows(IllegalArgumentException.class, () -> ExampleFeatures.parse(padded, 5, padded.length, null));
    }

    private static ExampleIndex scan(byte[] wire) {
        return ExampleIndex.scan(wire, 0, wire.length);
    }

    private static Feature assertDoesNotThrowFeature(ExampleIndex index, String name) {
        try {
            return index.feature(name);
        } catch (java.io.IOException ex) {
            throw new AssertionError("feature " + name + " did not parse", ex);
        }
    }

    @Test
    void mergesRepeatedFeaturesFieldsLikeProtobuf() {
        Example a = Example.newBuilder().setFeatures(Features.newBuilder()
                .putFeature("x", Feature.newBuilder().setInt64List(Int64List.newBuilder().addValue(1)).build())).build();
        Example b = Example.newBuilder().setFeatures(Features.newBuilder()
                .putFeature("y", Feature.newBuilder().setInt64List(Int64List.newBuilder().addValue(2)).build())
                .putFeature("x", Feature.newBuilder().setInt64List(Int64List.newBuilder().addValue(3)).build())).build();
        byte[] both = new byte[a.getSerializedSize() + b.getSerializedSize()];
        System.arraycopy(a.toByteArray(), 0, both, 0, a.getSerializedSize());
        System.arraycopy(b.toByteArray(), 0, both, a.getSerializedSize(), b.getSerializedSize());
        ExampleFeatures f = ExampleFeatures.parse(both, null);
        assertEquals(3L, f.int64("x"));
        assertEquals(2L, f.int64("y"));
    }

    @Test
    void malformedRecordsAreLeftToTheGeneratedParser() {
        assertNull(scan(new byte[] {0x0A, 0x05, 0x0A}));
        assertNull(scan(new byte[] {0x00, 0x01}));
        assertNull(scan(new byte[] {(byte) 0x80}));
        assertThrows(DataFileException.class, () -> ExampleFeatures.parse(new byte[] {0x00, 0x01}, null));
    }

    @Test
    void damagedFeatureIsReportedWhenRead() {
        Example e = Example.newBuilder().setFeatures(Features.newBuilder()
                .putFeature("ok", Feature.newBuilder().setInt64List(Int64List.newBuilder().addValue(5)).build())
                .putFeature("bad", Feature.newBuilder().setInt64List(Int64List.newBuilder().addValue(300)).build()))
                .build();
        byte[] wire = e.toByteArray();
        // The packed varint 300 is 0xAC 0x02; cutting its continuation makes the Feature invalid.
        for (int i = 0; i < wire.length - 1; i++) {
            if ((wire[i] & 0xFF) == 0xAC && wire[i + 1] == 0x02) {
                wire[i + 1] = (byte) 0x82;
            }
        }
        ExampleFeatures f = ExampleFeatures.parse(wire, null);
        assertEquals(5L, f.int64("ok"));
        DataFileException ex = assertThrows(DataFileException.class, () -> f.int64s("bad"));
        assertTrue(ex.getMessage().contains("feature 'bad' is not a valid tf.train.Feature"), ex.getMessage());
    }
}

package dev.tessera.data.tfrecord;

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

package dev.tessera.data.tfrecord;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.ByteString;
import com.google.protobuf.UnsafeByteOperations;
import dev.tessera.Shape;
import dev.tessera.data.DataFileException;
import dev.tessera.data.RecordLocation;
import dev.tessera.data.example.BytesList;
import dev.tessera.data.example.Example;
import dev.tessera.data.example.Feature;
import dev.tessera.data.example.Features;
import dev.tessera.data.example.FloatList;
import dev.tessera.data.example.Int64List;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Reads features by name and decodes raw tensor bytes, with errors naming the feature and the record. */
class ExampleFeaturesTest {
    private static final RecordLocation WHERE = new RecordLocation(Path.of("train-00001.tfrecord"), 12, 4096);

    private static Example sample() {
        ByteBuffer img = ByteBuffer.allocate(2 * 3 * 4).order(ByteOrder.LITTLE_ENDIAN);
        for (int i = 0; i < 6; i++) {
            img.putInt(i * 1000 - 1);
        }
        return Example.newBuilder().setFeatures(Features.newBuilder()
                .putFeature("image", Feature.newBuilder().setBytesList(BytesList.newBuilder()
                        .addValue(ByteString.copyFrom(img.array()))).build())
                .putFeature("question", Feature.newBuilder().setBytesList(BytesList.newBuilder()
                        .addValue(ByteString.copyFromUtf8("Is there a cube?"))
                        .addValue(ByteString.copyFromUtf8("What colour is it?"))).build())
                .putFeature("label", Feature.newBuilder().setInt64List(Int64List.newBuilder().addValue(7)).build())
                .putFeature("box", Feature.newBuilder().setFloatList(FloatList.newBuilder()
                        .addValue(0.5f).addValue(-2f)).build()))
                .build();
    }

    @Test
    void readsFixedAndVariableLengthFeaturesFromParsedBytes() {
        ExampleFeatures f = ExampleFeatures.parse(sample().toByteArray(), WHERE);
        assertEquals(7L, f.int64("label"));
        assertArrayEquals(new float[] {0.5f, -2f}, f.floats("box", 2));
        List<ByteString> q = f.bytesList("question");
        assertEquals("What colour is it?", q.get(1).toStringUtf8());
        assertArrayEquals(new int[] {-1, 999, 1999, 2999, 3999, 4999}, f.ints("image", RawType.INT32, Shape.of(2, 3)));
        assertTrue(f.has("box"));
    }

    @Test
    void bytesFeaturesShareTheRecordInsteadOfCopying() {
        byte[] record = sample().toByteArray();
        ByteString image = ExampleFeatures.parse(record, WHERE).bytes("image");
        int first = image.byteAt(0);
        int at = -1;
        for (int i = 0; i + 3 < record.length && at < 0; i++) {
            if (record[i] == (byte) 0xFF && record[i + 1] == (byte) 0xFF && record[i + 2] == (byte) 0xFF && record[i + 3] == (byte) 0xFF) {
                at = i;
            }
        }
        record[at] = 0x12;
        assertEquals(0x12, image.byteAt(0) & 0xFF, "the image is a view of the record array");
        assertEquals(0xFF, first & 0xFF);
    }

    @Test
    void decodesUint8AndFloat32LittleEndian() {
        ByteString u8 = ByteString.copyFrom(new byte[] {0, 1, (byte) 200, (byte) 255});
        assertArrayEquals(new int[] {0, 1, 200, 255},
                ExampleFeatures.decodeInts(u8, RawType.UINT8, Shape.of(2, 2), "pixels", WHERE));
        ByteString f32 = ByteString.copyFrom(new byte[] {0, 0, (byte) 0x80, 0x3F, 0, 0, 0, (byte) 0xC0});
        assertArrayEquals(new float[] {1f, -2f}, ExampleFeatures.decodeFloats(f32, Shape.of(2), "x", WHERE));
    }

    @Test
    void decodesViewsIntoLargerArraysFromTheirOwnStart() {
        byte[] backing = {9, 9, 9, 1, 2, 3, 4, 0, 0, 0};
        ByteString u8 = UnsafeByteOperations.unsafeWrap(backing, 3, 4);
        assertArrayEquals(new int[] {1, 2, 3, 4}, ExampleFeatures.decodeInts(u8, RawType.UINT8, Shape.of(4), "v", WHERE));
        ByteString i32 = UnsafeByteOperations.unsafeWrap(backing, 3, 4);
        assertArrayEquals(new int[] {0x04030201}, ExampleFeatures.decodeInts(i32, RawType.INT32, Shape.of(1), "v", WHERE));
    }

    @Test
    void missingFeatureNamesFeatureRecordAndOffset() {
        ExampleFeatures f = ExampleFeatures.of(sample(), WHERE);
        DataFileException e = assertThrows(DataFileException.class, () -> f.bytesList("answer"));
        assertEquals("example: missing feature 'answer' (present: [box, image, label, question]) — in "
                + "train-00001.tfrecord, record 12 at byte offset 4096", e.getMessage());
    }

    @Test
    void wrongKindAndWrongCountAreReported() {
        ExampleFeatures f = ExampleFeatures.of(sample(), WHERE);
        DataFileException kind = assertThrows(DataFileException.class, () -> f.floats("label"));
        assertTrue(kind.getMessage().contains("feature 'label' holds a int64_list, expected a float_list"), kind.getMessage());
        DataFileException count = assertThrows(DataFileException.class, () -> f.bytes("question"));
        assertTrue(count.getMessage().contains("feature 'question' has 2 values, expected 1"), count.getMessage());
    }

    @Test
    void wrongImageByteCountNamesShapeAndType() {
        ExampleFeatures f = ExampleFeatures.of(sample(), WHERE);
        DataFileException e = assertThrows(DataFileException.class,
                () -> f.ints("image", RawType.INT32, Shape.of(224, 224, 3)));
        assertEquals("example: feature 'image' has 24 bytes, expected 602112 for (224, 224, 3) int32 — in "
                + "train-00001.tfrecord, record 12 at byte offset 4096", e.getMessage());
    }

    @Test
    void garbageRecordIsNotAnExample() {
        DataFileException e = assertThrows(DataFileException.class,
                () -> ExampleFeatures.parse(new byte[] {0x0A, 0x7F, 1}, WHERE));
        assertTrue(e.getMessage().startsWith("example: record is not a valid tf.train.Example"), e.getMessage());
        assertEquals(WHERE, e.location());
    }
}

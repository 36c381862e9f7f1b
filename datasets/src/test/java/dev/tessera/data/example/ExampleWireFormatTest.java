package dev.tessera.data.example;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.google.protobuf.ByteString;
import org.junit.jupiter.api.Test;

/** Checks the generated tf.train.Example classes against wire bytes worked out by hand from TensorFlow's field numbers. */
class ExampleWireFormatTest {

    private static Example single(String name, Feature feature) {
        return Example.newBuilder()
                .setFeatures(Features.newBuilder().putFeature(name, feature))
                .build();
    }

    @Test
    void int64FeatureSerializesWithTensorFlowFieldNumbers() {
        Example e = single("a", Feature.newBuilder().setInt64List(Int64List.newBuilder().addValue(1)).build());
        byte[] expected = {
            0x0A, 0x0C,                   // Example.features (1), 12 bytes
            0x0A, 0x0A,                   // Features.feature map entry (1), 10 bytes
            0x0A, 0x01, 'a',              // entry key (1) "a"
            0x12, 0x05,                   // entry value (2), 5 bytes
            0x1A, 0x03,                   // Feature.int64_list (3), 3 bytes
            0x0A, 0x01, 0x01              // Int64List.value (1) packed: [1]
        };
        assertArrayEquals(expected, e.toByteArray());
    }

    @Test
    void floatAndBytesFeaturesUseFieldsTwoAndOne() {
        Example f = single("x", Feature.newBuilder().setFloatList(FloatList.newBuilder().addValue(1.0f)).build());
        byte[] expectedFloat = {
            0x0A, 0x0F, 0x0A, 0x0D, 0x0A, 0x01, 'x', 0x12, 0x08,
            0x12, 0x06,                   // Feature.float_list (2), 6 bytes
            0x0A, 0x04,                   // FloatList.value (1) packed, 4 bytes
            0x00, 0x00, (byte) 0x80, 0x3F // 1.0f little-endian
        };
        assertArrayEquals(expectedFloat, f.toByteArray());

        Example b = single("s", Feature.newBuilder()
                .setBytesList(BytesList.newBuilder().addValue(ByteString.copyFromUtf8("hi"))).build());
        byte[] expectedBytes = {
            0x0A, 0x0D, 0x0A, 0x0B, 0x0A, 0x01, 's', 0x12, 0x06,
            0x0A, 0x04,                   // Feature.bytes_list (1), 4 bytes
            0x0A, 0x02, 'h', 'i'          // BytesList.value (1): "hi"
        };
        assertArrayEquals(expectedBytes, b.toByteArray());
    }

    @Test
    void parsesHandWrittenBytesBack() throws Exception {
        byte[] wire = {0x0A, 0x0C, 0x0A, 0x0A, 0x0A, 0x01, 'a', 0x12, 0x05, 0x1A, 0x03, 0x0A, 0x01, 0x07};
        Example e = Example.parseFrom(wire);
        assertEquals(7L, e.getFeatures().getFeatureOrThrow("a").getInt64List().getValue(0));
    }
}

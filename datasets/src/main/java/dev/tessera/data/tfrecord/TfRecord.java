package dev.tessera.data.tfrecord;

import dev.tessera.data.RecordLocation;

/** One TFRecord payload and where it was read from, so later parse errors can name the file, record and offset. */
public record TfRecord(RecordLocation location, byte[] data) {

    /** Parses the payload as a tf.train.Example. */
    public ExampleFeatures features() {
        return ExampleFeatures.parse(data, location);
    }
}

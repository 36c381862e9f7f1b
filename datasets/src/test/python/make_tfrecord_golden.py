"""Writes src/test/resources/tfrecord-golden/ with TensorBoard's TensorFlow-compatible RecordWriter,
and checks a TFRecord file written by Tessera with TensorBoard's reader.

The framing (length, masked CRC-32C, data, masked CRC-32C) comes from TensorBoard's own code, an
implementation independent of Tessera's; the Example payloads are encoded by the small protobuf
wire encoder below from TensorFlow's field numbers, independent of protoc. Needs the tensorboard
package (pip install tensorboard, or its wheel and its dependencies unzipped on PYTHONPATH).

  python3 make_tfrecord_golden.py                 # (re)write the fixtures
  python3 make_tfrecord_golden.py check FILE...   # read Tessera-written files with TensorBoard's reader
"""
import gzip
import io
import struct
import sys

from tensorboard.compat.tensorflow_stub.pywrap_tensorflow import PyRecordReader_New
from tensorboard.summary.writer.record_writer import RecordWriter

OUT = "../resources/tfrecord-golden/"


def varint(n):
    n &= (1 << 64) - 1
    out = bytearray()
    while True:
        b = n & 0x7F
        n >>= 7
        if n:
            out.append(b | 0x80)
        else:
            out.append(b)
            return bytes(out)


def field(number, payload):
    """A length-delimited field (wire type 2)."""
    return varint(number << 3 | 2) + varint(len(payload)) + payload


def feature(kind, values):
    if kind == "bytes":
        body = b"".join(field(1, v) for v in values)
        return field(1, body)
    if kind == "float":
        return field(2, field(1, b"".join(struct.pack("<f", v) for v in values)))
    return field(3, field(1, b"".join(varint(v) for v in values)))


def example(features):
    entries = b"".join(field(1, field(1, name.encode()) + field(2, feature(kind, values)))
                       for name, (kind, values) in features.items())
    return field(1, entries)


RECORDS = [
    example({"label": ("int64", [7, -1, 1 << 40]),
             "score": ("float", [0.5, -2.25]),
             "text": ("bytes", ["héllo".encode(), b""])}),
    b"",
    example({"image": ("bytes", [bytes(range(256)) * 4])}),
]


def write():
    buf = io.BytesIO()
    writer = RecordWriter(buf)
    for r in RECORDS:
        writer.write(r)
    data = buf.getvalue()
    with open(OUT + "tensorboard-writer.tfrecord", "wb") as f:
        f.write(data)
    with gzip.GzipFile(OUT + "tensorboard-writer.tfrecord.gz", "wb", mtime=0) as f:
        f.write(data)


def check(paths):
    for p in paths:
        reader = PyRecordReader_New(p)
        n = 0
        while True:
            try:
                reader.GetNext()
            except Exception as e:  # the stub raises OutOfRangeError at the end and DataLossError on bad CRCs
                if type(e).__name__ != "OutOfRangeError":
                    raise
                break
            n += 1
        print(p + ": " + str(n) + " records, CRCs verified by TensorBoard's reader")


if __name__ == "__main__":
    if len(sys.argv) > 1 and sys.argv[1] == "check":
        check(sys.argv[2:])
    else:
        write()

"""Writes the Fashion-MNIST slice in src/test/resources/fashion-mnist-slice (run once, from this directory).

Source: the Debian package dataset-fashion-mnist (Zalando Research, MIT licence). Keeps the first
60 training and the first 40 test items, re-encoded as IDX with their first dimension rewritten,
GZIP-compressed with mtime 0 so the bytes are reproducible.
"""
import gzip
import struct

SRC = "/usr/share/datasets/fashion-mnist/"
OUT = "../resources/fashion-mnist-slice/"


def write_slice(name, count):
    raw = gzip.open(SRC + name + ".gz").read()
    magic = struct.unpack(">I", raw[:4])[0]
    rank = magic & 0xFF
    dims = list(struct.unpack(">" + "I" * rank, raw[4:4 + 4 * rank]))
    item = 1
    for d in dims[1:]:
        item *= d
    header = 4 + 4 * rank
    dims[0] = count
    with gzip.GzipFile(OUT + name + ".gz", "wb", mtime=0) as f:
        f.write(struct.pack(">I", magic) + struct.pack(">" + "I" * rank, *dims))
        f.write(raw[header:header + count * item])


if __name__ == "__main__":
    write_slice("train-images-idx3-ubyte", 60)
    write_slice("train-labels-idx1-ubyte", 60)
    write_slice("t10k-images-idx3-ubyte", 40)
    write_slice("t10k-labels-idx1-ubyte", 40)

"""Writes the golden fixtures GoldenLayerTest compares Tessera's layers with.

Each case draws float32 inputs, weights and an upstream gradient, computes the layer's output and
the gradients of sum(output * upstream) with PyTorch in float64, and writes everything (as F64) to
models/src/test/resources/golden/<case>.safetensors. Tensors are stored in Tessera's layouts
(NHWC images, HWIO kernels, Keras' (kh, kw, filters, in) transposed-conv kernels); the NCHW/OIHW
conversions happen here. Names: inputs "x" (and "q"), parameters by their Tessera path
("kernel", "gamma/kernel", ...), "dy" the upstream gradient, "y" the output, "grad/<name>" the
gradients, "after/<name>" state after the call (batch-norm moving statistics).

Run from the repository root: python3 models/src/test/python/make_golden_layers.py
(PyTorch 1.13 from Debian's python3-torch; the safetensors package is not needed.)
"""
import json
import os
import struct
import zlib

import torch
import torch.nn.functional as F

OUT = os.path.join(os.path.dirname(__file__), "..", "resources", "golden")
DTYPES = {torch.float32: "F32", torch.float64: "F64", torch.int64: "I64"}


def write_safetensors(path, tensors):
    """A minimal safetensors writer: 8-byte little-endian header length, JSON header, raw data."""
    header, blobs, offset = {}, [], 0
    for name, t in tensors.items():
        t = t.detach().contiguous().cpu()
        data = t.numpy().astype(t.numpy().dtype.newbyteorder("<")).tobytes()
        header[name] = {"dtype": DTYPES[t.dtype], "shape": list(t.shape),
                        "data_offsets": [offset, offset + len(data)]}
        blobs.append(data)
        offset += len(data)
    raw = json.dumps(header, separators=(",", ":")).encode("utf-8")
    raw += b" " * (-len(raw) % 8)
    with open(path, "wb") as f:
        f.write(struct.pack("<Q", len(raw)))
        f.write(raw)
        for b in blobs:
            f.write(b)


def draw(gen, *shape, scale=1.0):
    """float32 normal draws, held in float64 so that both precisions start from the same values."""
    return (torch.randn(*shape, generator=gen, dtype=torch.float32) * scale).double()


def same_pads(size, k, stride, dilation=1):
    """TensorFlow's 'same' padding: out = ceil(size / stride), the odd pixel at the bottom/right."""
    out = -(-size // stride)
    total = max((out - 1) * stride + (k - 1) * dilation + 1 - size, 0)
    return total // 2, total - total // 2


def run_case(name, inputs, params, fn, state=None):
    """Evaluates fn(inputs, params) -> y, back-propagates a random upstream gradient, writes the fixture."""
    gen = torch.Generator().manual_seed(zlib.crc32(name.encode("utf-8")))
    leaves = {k: v.clone().requires_grad_(True) for k, v in {**inputs, **params}.items()}
    y = fn(leaves)
    dy = draw(gen, *y.shape)
    (y * dy).sum().backward()
    out = {**inputs, **params, "dy": dy, "y": y.detach()}
    for k, v in leaves.items():
        if v.grad is not None:
            out["grad/" + k] = v.grad
    for k, v in (state or {}).items():
        out["after/" + k] = v
    write_safetensors(os.path.join(OUT, name + ".safetensors"), out)


def nhwc_to_nchw(x):
    return x.permute(0, 3, 1, 2)


def nchw_to_nhwc(x):
    return x.permute(0, 2, 3, 1)


def main():
    os.makedirs(OUT, exist_ok=True)
    gen = torch.Generator().manual_seed(20261122)

    # Dense over (..., in): y = x @ kernel + bias.
    run_case("dense", {"x": draw(gen, 2, 3, 5)}, {"kernel": draw(gen, 5, 4), "bias": draw(gen, 4)},
             lambda t: t["x"] @ t["kernel"] + t["bias"])

    # Conv2D 4x4, stride 2, 'same' on 7x8: TensorFlow pads rows (1, 2) and columns (1, 1).
    def conv_same(t):
        ph, pw = same_pads(7, 4, 2), same_pads(8, 4, 2)
        x = F.pad(nhwc_to_nchw(t["x"]), (pw[0], pw[1], ph[0], ph[1]))
        w = t["kernel"].permute(3, 2, 0, 1)
        return nchw_to_nhwc(F.conv2d(x, w, t["bias"], stride=2))
    run_case("conv2d_same_stride2", {"x": draw(gen, 2, 7, 8, 3)},
             {"kernel": draw(gen, 4, 4, 3, 6, scale=0.3), "bias": draw(gen, 6)}, conv_same)

    # Conv2DTranspose 3x3, stride 2, 'same': out = in * 2; Keras' kernel (kh, kw, filters, in) is
    # PyTorch's (in, filters, kh, kw); the full transposed output is cropped by the 'same' pads.
    def conv_transpose_same(t):
        w = t["kernel"].permute(3, 2, 0, 1)
        full = F.conv_transpose2d(nhwc_to_nchw(t["x"]), w, t["bias"], stride=2)
        ph, pw = same_pads(3 * 2, 3, 2), same_pads(4 * 2, 3, 2)
        cropped = full[:, :, ph[0]:full.shape[2] - ph[1], pw[0]:full.shape[3] - pw[1]]
        return nchw_to_nhwc(cropped)
    run_case("conv2d_transpose_same_stride2", {"x": draw(gen, 2, 3, 4, 3)},
             {"kernel": draw(gen, 3, 3, 5, 3, scale=0.3), "bias": draw(gen, 5)}, conv_transpose_same)

    # Conv2DTranspose 2x2, stride 3, 'valid': Keras' output is in * 3 long, one row and column
    # past PyTorch's last tap, which hold only the bias.
    def conv_transpose_valid(t):
        w = t["kernel"].permute(3, 2, 0, 1)
        full = F.pad(F.conv_transpose2d(nhwc_to_nchw(t["x"]), w, stride=3), (0, 1, 0, 1))
        return nchw_to_nhwc(full + t["bias"][None, :, None, None])
    run_case("conv2d_transpose_valid_stride3", {"x": draw(gen, 2, 3, 2, 3)},
             {"kernel": draw(gen, 2, 2, 4, 3, scale=0.3), "bias": draw(gen, 4)}, conv_transpose_valid)

    # Conv2D 3x3, 'valid', dilation 2, ReLU.
    def conv_dilated(t):
        w = t["kernel"].permute(3, 2, 0, 1)
        return torch.relu(nchw_to_nhwc(F.conv2d(nhwc_to_nchw(t["x"]), w, t["bias"], dilation=2)))
    run_case("conv2d_valid_dilated_relu", {"x": draw(gen, 2, 7, 6, 2)},
             {"kernel": draw(gen, 3, 3, 2, 3, scale=0.3), "bias": draw(gen, 3)}, conv_dilated)

    # AveragePooling2D 3x3, stride 2, 'same' on 6x5: TensorFlow leaves the padding out of each mean.
    def avg_pool_same(t):
        ph, pw = same_pads(6, 3, 2), same_pads(5, 3, 2)
        pads = (pw[0], pw[1], ph[0], ph[1])
        x = nhwc_to_nchw(t["x"])
        sums = F.avg_pool2d(F.pad(x, pads), 3, 2, divisor_override=1)
        counts = F.avg_pool2d(F.pad(torch.ones_like(x), pads), 3, 2, divisor_override=1)
        return nchw_to_nhwc(sums / counts)
    run_case("average_pooling_same", {"x": draw(gen, 2, 6, 5, 3)}, {}, avg_pool_same)

    # MaxPooling2D 2x2, stride 2, 'valid' (the odd last row and column are dropped).
    run_case("max_pooling_valid", {"x": draw(gen, 2, 5, 7, 3)}, {},
             lambda t: nchw_to_nhwc(F.max_pool2d(nhwc_to_nchw(t["x"]), 2, 2)))

    # BatchNormalization, training: batch statistics (population variance, as Keras), and the
    # moving statistics updated with momentum 0.99.
    x = draw(gen, 4, 3, 3, 5)
    mm, mv = draw(gen, 5, scale=0.1), draw(gen, 5, scale=0.1).abs() + 0.5
    mean, var = x.mean(dim=(0, 1, 2)), x.var(dim=(0, 1, 2), unbiased=False)
    run_case("batchnorm_training", {"x": x},
             {"gamma": draw(gen, 5), "beta": draw(gen, 5), "moving_mean": mm, "moving_variance": mv},
             lambda t: (t["x"] - t["x"].mean(dim=(0, 1, 2))) / torch.sqrt(
                 t["x"].var(dim=(0, 1, 2), unbiased=False) + 1e-3) * t["gamma"] + t["beta"],
             state={"moving_mean": 0.99 * mm + 0.01 * mean, "moving_variance": 0.99 * mv + 0.01 * var})

    # BatchNormalization, inference: the moving statistics normalise.
    run_case("batchnorm_inference", {"x": draw(gen, 4, 3, 3, 5)},
             {"gamma": draw(gen, 5), "beta": draw(gen, 5), "moving_mean": draw(gen, 5, scale=0.1),
              "moving_variance": draw(gen, 5, scale=0.1).abs() + 0.5},
             lambda t: (t["x"] - t["moving_mean"].detach()) / torch.sqrt(t["moving_variance"].detach() + 1e-3)
             * t["gamma"] + t["beta"])

    # LayerNormalization over the last axis, epsilon 1e-3.
    run_case("layernorm", {"x": draw(gen, 2, 3, 6)}, {"gamma": draw(gen, 6), "beta": draw(gen, 6)},
             lambda t: F.layer_norm(t["x"], (6,), t["gamma"], t["beta"], eps=1e-3))

    # FiLM without bias: gamma = q @ Wg, beta = q @ Wb, y = gamma * x + beta per channel.
    run_case("film", {"x": draw(gen, 2, 3, 3, 4), "q": draw(gen, 2, 5)},
             {"gamma/kernel": draw(gen, 5, 4), "beta/kernel": draw(gen, 5, 4)},
             lambda t: t["x"] * (t["q"] @ t["gamma/kernel"])[:, None, None, :]
             + (t["q"] @ t["beta/kernel"])[:, None, None, :])


if __name__ == "__main__":
    main()

"""Writes the golden fixtures for the loss and optimizer tests (models/src/test/resources/golden).

Run from the repository root with Debian's python3-torch:  python3 models/src/test/python/make_golden_train.py
Everything is float64. Losses follow Keras' formulas (probabilities renormalised and clipped to
[1e-7, 1 - 1e-7]); Adam and RMSprop are written out with Keras' update rules, because PyTorch's
Adam puts epsilon after the bias correction and PyTorch's RMSprop puts it outside the root.
"""
import json
import os
import struct

import torch

torch.manual_seed(1234)
torch.set_default_dtype(torch.float64)
EPS = 1e-7
OUT = os.path.join(os.path.dirname(__file__), "..", "resources", "golden")


def save(path, tensors):
    """A minimal safetensors writer: 8-byte little-endian header length, JSON header, raw data."""
    header, blobs, offset = {}, [], 0
    for name, t in tensors.items():
        t = t.detach().contiguous()
        code = {torch.float64: "F64", torch.float32: "F32", torch.int64: "I64", torch.int32: "I32"}[t.dtype]
        data = t.numpy().astype(t.numpy().dtype.newbyteorder("<")).tobytes()
        header[name] = {"dtype": code, "shape": list(t.shape), "data_offsets": [offset, offset + len(data)]}
        blobs.append(data)
        offset += len(data)
    text = json.dumps(header, separators=(",", ":")).encode("utf-8")
    text += b" " * ((8 - len(text) % 8) % 8)
    with open(path, "wb") as f:
        f.write(struct.pack("<Q", len(text)))
        f.write(text)
        for b in blobs:
            f.write(b)


def f32(t):
    """Values representable in float32, so the float32 Java test starts from the same inputs."""
    return t.float().double()


def log_probs(pred, from_logits):
    if from_logits:
        return torch.log_softmax(pred, dim=-1)
    p = pred / pred.sum(dim=-1, keepdim=True)
    return torch.log(torch.clamp(p, EPS, 1 - EPS))


def losses():
    out = {}

    def record(name, pred, target, fn, extra=None):
        pred = pred.clone().requires_grad_(True)
        loss = fn(pred, target) if extra is None else fn(pred, target, extra)
        loss.backward()
        out[name + "/pred"] = pred
        out[name + "/target"] = target
        if extra is not None:
            out[name + "/mask"] = extra
        out[name + "/loss"] = loss.reshape(())
        out[name + "/grad"] = pred.grad

    labels = torch.tensor([0, 3, 4, 1, 2, 3], dtype=torch.int64)
    logits = f32(torch.randn(6, 5) * 2)
    probs = f32(torch.softmax(torch.randn(6, 5), dim=-1))
    probs[0, 0] = 1e-9  # below the clipping floor: gradient 0 there, as in Keras
    onehot = torch.nn.functional.one_hot(labels, 5).double()
    soft = f32(torch.softmax(torch.randn(6, 5), dim=-1))

    sparse = lambda fl: (lambda p, t: -log_probs(p, fl).gather(-1, t.unsqueeze(-1)).mean())
    categorical = lambda fl: (lambda p, t: -(t * log_probs(p, fl)).sum(-1).mean())
    record("sparse_logits", logits, labels, sparse(True))
    record("sparse_probs", probs, labels, sparse(False))
    record("categorical_logits", logits, soft, categorical(True))
    record("categorical_probs", probs, onehot, categorical(False))

    bin_logits = f32(torch.randn(4, 3) * 3)
    bin_logits[0, 0] = 0.0
    bin_targets = torch.tensor([[1.0, 0.0, 1.0], [0.0, 0.0, 1.0], [1.0, 1.0, 0.0], [0.25, 0.5, 1.0]])
    bin_probs = f32(torch.sigmoid(torch.randn(4, 3) * 2))

    def bce_probs(p, z):
        p = torch.clamp(p, EPS, 1 - EPS)
        return -(z * torch.log(p) + (1 - z) * torch.log(1 - p)).mean()

    record("binary_logits", bin_logits, bin_targets,
           lambda x, z: torch.nn.functional.binary_cross_entropy_with_logits(x, z))
    record("binary_probs", bin_probs, bin_targets, bce_probs)
    record("mse", f32(torch.randn(4, 3)), f32(torch.randn(4, 3)), lambda p, t: ((p - t) ** 2).mean())

    seq_logits = f32(torch.randn(3, 4, 6))
    seq_targets = torch.tensor([[1, 2, 3, 0], [4, 5, 0, 0], [2, 2, 2, 2]], dtype=torch.int64)
    seq_mask = (seq_targets != 0).double()

    def temporal(x, t, m):
        step = -torch.log_softmax(x, dim=-1).gather(-1, t.unsqueeze(-1)).squeeze(-1)
        return (step * m).sum() / m.sum()

    record("temporal", seq_logits, seq_targets, temporal, seq_mask)
    return out


def optimizers():
    """Ten steps of each optimizer on y = x W + b with a mean-squared-error loss."""
    x = f32(torch.randn(8, 3))
    y = f32(torch.randn(8, 2))
    w0 = f32(torch.randn(3, 2) * 0.5)
    b0 = f32(torch.randn(2) * 0.1)
    out = {"x": x, "y": y, "w0": w0, "b0": b0}

    def run(name, update):
        w = w0.clone().requires_grad_(True)
        b = b0.clone().requires_grad_(True)
        state = {}
        for step in range(10):
            loss = ((x @ w + b - y) ** 2).mean()
            w.grad = b.grad = None
            loss.backward()
            with torch.no_grad():
                for pname, p in (("w", w), ("b", b)):
                    update(step, state.setdefault(pname, {}), p, p.grad)
            out[f"{name}/w/{step + 1}"] = w.detach().clone()
            out[f"{name}/b/{step + 1}"] = b.detach().clone()

    def torch_sgd(nesterov):
        def update(step, st, p, g):
            if "opt" not in st:
                st["opt"] = torch.optim.SGD([p], lr=0.1, momentum=0.9, nesterov=nesterov)
            p.grad = g
            st["opt"].step()
        return update

    def keras_adam(step, st, p, g, lr=0.01, b1=0.9, b2=0.999, eps=1e-7):
        m = st.setdefault("m", torch.zeros_like(p))
        v = st.setdefault("v", torch.zeros_like(p))
        t = step + 1
        alpha = lr * (1 - b2 ** t) ** 0.5 / (1 - b1 ** t)
        m += (g - m) * (1 - b1)
        v += (g * g - v) * (1 - b2)
        p -= alpha * m / (v.sqrt() + eps)

    def keras_rmsprop(step, st, p, g, lr=0.01, rho=0.9, eps=1e-7):
        s = st.setdefault("s", torch.zeros_like(p))
        s.mul_(rho).add_((1 - rho) * g * g)
        p -= lr * g / (s + eps).sqrt()

    def keras_adamw(step, st, p, g, lr=0.01, wd=0.1):
        p -= lr * wd * p
        keras_adam(step, st, p, g, lr=lr)

    run("sgd_momentum", torch_sgd(False))
    run("sgd_nesterov", torch_sgd(True))
    run("adam", keras_adam)
    run("rmsprop", keras_rmsprop)
    run("adamw", keras_adamw)
    return out


if __name__ == "__main__":
    os.makedirs(OUT, exist_ok=True)
    save(os.path.join(OUT, "losses.safetensors"), losses())
    save(os.path.join(OUT, "optimizers.safetensors"), optimizers())
    print("wrote", os.path.abspath(OUT))

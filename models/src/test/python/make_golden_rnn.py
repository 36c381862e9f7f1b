#!/usr/bin/env python3
"""Writes the golden fixtures for the recurrent, embedding and attention layers.

Each case is one .safetensors file in models/src/test/resources/golden/: float64 inputs and
weights in Keras' layout, a fixed upstream gradient for every output, the outputs, and the
gradients of the loss sum(output * upstream) with respect to every input and weight. The layers
are written out in torch ops following Keras' formulas (GRU with reset_after, gate orders z, r, h
and i, f, c, o; masked steps keep the state and repeat the previous output), so no weight mapping
from torch.nn modules is involved.

Run from the repository root: python3 models/src/test/python/make_golden_rnn.py
"""
import json
import math
import os
import struct

import torch

torch.manual_seed(1234)
torch.set_default_dtype(torch.float64)
OUT = os.path.join(os.path.dirname(__file__), "..", "resources", "golden")


def write_safetensors(path, tensors):
    """A minimal writer: u64 LE header length, JSON header, raw little-endian data."""
    header = {}
    blobs = []
    offset = 0
    for name, t in tensors.items():
        t = t.detach().contiguous()
        if t.dtype == torch.float64:
            code, fmt = "F64", "<%dd"
        elif t.dtype == torch.int64:
            code, fmt = "I64", "<%dq"
        else:
            raise ValueError(f"{name}: unsupported dtype {t.dtype}")
        values = t.reshape(-1).tolist()
        blob = struct.pack(fmt % len(values), *values)
        header[name] = {"dtype": code, "shape": list(t.shape), "data_offsets": [offset, offset + len(blob)]}
        blobs.append(blob)
        offset += len(blob)
    text = json.dumps(header, separators=(",", ":")).encode("utf-8")
    text += b" " * (-len(text) % 8)
    with open(path, "wb") as f:
        f.write(struct.pack("<Q", len(text)))
        f.write(text)
        for blob in blobs:
            f.write(blob)


def leaf(*shape, scale=1.0):
    return (torch.randn(*shape) * scale).requires_grad_(True)


def glorot(*shape):
    fan_in, fan_out = shape[-2], shape[-1]
    for d in shape[:-2]:
        fan_in, fan_out = fan_in * d, fan_out * d
    limit = math.sqrt(6.0 / (fan_in + fan_out))
    return ((torch.rand(*shape) * 2 - 1) * limit).requires_grad_(True)


def run_rnn(step, x, states, mask, return_sequences):
    """Keras' masked time loop: masked steps keep the states and repeat the previous output."""
    batch, time = x.shape[0], x.shape[1]
    output = torch.zeros(batch, states[0].shape[1])
    outputs = []
    for t in range(time):
        new = step(x[:, t], states)
        if mask is None:
            output, states = new[0], new
        else:
            keep = mask[:, t:t + 1] != 0
            output = torch.where(keep, new[0], output)
            states = [torch.where(keep, n, s) for n, s in zip(new, states)]
        outputs.append(output)
    return (torch.stack(outputs, 1) if return_sequences else output), states


def gru_step(kernel, recurrent_kernel, bias, units):
    def step(x_t, states):
        h = states[0]
        mx = x_t @ kernel + bias[0]
        mh = h @ recurrent_kernel + bias[1]
        z = torch.sigmoid(mx[:, :units] + mh[:, :units])
        r = torch.sigmoid(mx[:, units:2 * units] + mh[:, units:2 * units])
        hh = torch.tanh(mx[:, 2 * units:] + r * mh[:, 2 * units:])
        return [z * h + (1 - z) * hh]
    return step


def lstm_step(kernel, recurrent_kernel, bias, units):
    def step(x_t, states):
        h, c = states
        g = x_t @ kernel + h @ recurrent_kernel + bias
        i = torch.sigmoid(g[:, :units])
        f = torch.sigmoid(g[:, units:2 * units])
        cc = torch.tanh(g[:, 2 * units:3 * units])
        o = torch.sigmoid(g[:, 3 * units:])
        c = f * c + i * cc
        return [o * torch.tanh(c), c]
    return step


def simple_step(kernel, recurrent_kernel, bias):
    def step(x_t, states):
        return [torch.tanh(x_t @ kernel + bias + states[0] @ recurrent_kernel)]
    return step


def check_against_torch_nn():
    """The hand-written Keras maths agrees with torch.nn.GRU and torch.nn.LSTM once the gates are reordered."""
    b, t, n, u = 2, 4, 3, 5
    x = torch.randn(b, t, n)
    kernel, rk, bias = torch.randn(n, 3 * u), torch.randn(u, 3 * u), torch.randn(2, 3 * u)
    ours, _ = run_rnn(gru_step(kernel, rk, bias, u), x, [torch.zeros(b, u)], None, True)
    zrh_to_rzn = lambda w: torch.cat([w[..., u:2 * u], w[..., :u], w[..., 2 * u:]], -1)
    gru = torch.nn.GRU(n, u, batch_first=True)
    with torch.no_grad():
        gru.weight_ih_l0.copy_(zrh_to_rzn(kernel).T)
        gru.weight_hh_l0.copy_(zrh_to_rzn(rk).T)
        gru.bias_ih_l0.copy_(zrh_to_rzn(bias[0]))
        gru.bias_hh_l0.copy_(zrh_to_rzn(bias[1]))
        ref, _ = gru(x)
    assert torch.allclose(ours, ref, atol=1e-12), "GRU maths differ from torch.nn.GRU"
    kernel, rk, bias = torch.randn(n, 4 * u), torch.randn(u, 4 * u), torch.randn(4 * u)
    ours, _ = run_rnn(lstm_step(kernel, rk, bias, u), x, [torch.zeros(b, u), torch.zeros(b, u)], None, True)
    lstm = torch.nn.LSTM(n, u, batch_first=True)
    with torch.no_grad():
        lstm.weight_ih_l0.copy_(kernel.T)
        lstm.weight_hh_l0.copy_(rk.T)
        lstm.bias_ih_l0.copy_(bias)
        lstm.bias_hh_l0.zero_()
        ref, _ = lstm(x)
    assert torch.allclose(ours, ref, atol=1e-12), "LSTM maths differ from torch.nn.LSTM"


def finish(name, inputs, outputs):
    """Adds upstream gradients g_<output>, back-propagates sum(out * g) and writes the file."""
    loss = 0
    tensors = dict(inputs)
    for key, out in outputs.items():
        g = torch.randn(*out.shape)
        tensors["g_" + key] = g
        tensors[key] = out
        loss = loss + (out * g).sum()
    loss.backward()
    for key, t in inputs.items():
        if t.dtype == torch.float64 and t.requires_grad:
            tensors["grad_" + key] = t.grad
    write_safetensors(os.path.join(OUT, name + ".safetensors"), tensors)
    print(name, {k: list(v.shape) for k, v in tensors.items()})


def gru_case():
    b, t, n, u = 3, 5, 4, 6
    x, h0 = leaf(b, t, n), leaf(b, u, scale=0.5)
    kernel, rk, bias = glorot(n, 3 * u), leaf(u, 3 * u, scale=0.4), leaf(2, 3 * u, scale=0.3)
    mask = torch.tensor([[1, 1, 1, 1, 1], [1, 1, 1, 0, 0], [0, 1, 1, 0, 0]])
    seq, (h,) = run_rnn(gru_step(kernel, rk, bias, u), x, [h0], mask, True)
    finish("gru", {"x": x, "h0": h0, "mask": mask, "kernel": kernel, "recurrent_kernel": rk, "bias": bias},
           {"out": seq, "state_h": h})


def lstm_case():
    b, t, n, u = 3, 4, 5, 3
    x, h0, c0 = leaf(b, t, n), leaf(b, u, scale=0.5), leaf(b, u, scale=0.5)
    kernel, rk, bias = glorot(n, 4 * u), leaf(u, 4 * u, scale=0.4), leaf(4 * u, scale=0.3)
    mask = torch.tensor([[1, 1, 1, 1], [1, 1, 0, 0], [1, 0, 0, 0]])
    last, (h, c) = run_rnn(lstm_step(kernel, rk, bias, u), x, [h0, c0], mask, False)
    finish("lstm", {"x": x, "h0": h0, "c0": c0, "mask": mask, "kernel": kernel, "recurrent_kernel": rk, "bias": bias},
           {"out": last, "state_h": h, "state_c": c})


def simple_rnn_case():
    b, t, n, u = 2, 4, 3, 5
    x = leaf(b, t, n)
    kernel, rk, bias = glorot(n, u), leaf(u, u, scale=0.4), leaf(u, scale=0.3)
    seq, _ = run_rnn(simple_step(kernel, rk, bias), x, [torch.zeros(b, u)], None, True)
    finish("simple_rnn", {"x": x, "kernel": kernel, "recurrent_kernel": rk, "bias": bias}, {"out": seq})


def embedding_gru_case():
    """Embedding(maskZero) feeding a GRU that returns its last output: the mask must reach the GRU."""
    vocab, dim, u = 7, 4, 5
    tokens = torch.tensor([[3, 1, 4, 1, 5, 0], [2, 6, 0, 0, 0, 0], [6, 5, 3, 2, 0, 0]])
    embeddings = leaf(vocab, dim, scale=0.5)
    kernel, rk, bias = glorot(dim, 3 * u), leaf(u, 3 * u, scale=0.4), leaf(2, 3 * u, scale=0.3)
    x = embeddings[tokens]
    last, _ = run_rnn(gru_step(kernel, rk, bias, u), x, [torch.zeros(3, u)], tokens != 0, False)
    finish("embedding_gru", {"tokens": tokens, "embeddings": embeddings, "kernel": kernel, "recurrent_kernel": rk,
                             "bias": bias}, {"out": last})


def embedding_case():
    """Repeated tokens accumulate their rows' gradients."""
    tokens = torch.tensor([[0, 3, 3], [5, 0, 3]])
    embeddings = leaf(6, 4)
    finish("embedding", {"tokens": tokens, "embeddings": embeddings}, {"out": embeddings[tokens]})


def mha_case():
    b, tq, tv, dq, dv, dk, heads, key_dim, value_dim = 2, 3, 4, 8, 6, 5, 2, 3, 4
    q, v, k = leaf(b, tq, dq), leaf(b, tv, dv), leaf(b, tv, dk)
    w = {
        "query_kernel": glorot(dq, heads, key_dim), "query_bias": leaf(heads, key_dim, scale=0.2),
        "key_kernel": glorot(dk, heads, key_dim), "key_bias": leaf(heads, key_dim, scale=0.2),
        "value_kernel": glorot(dv, heads, value_dim), "value_bias": leaf(heads, value_dim, scale=0.2),
        "output_kernel": glorot(heads, value_dim, dq), "output_bias": leaf(dq, scale=0.2),
    }
    mask = torch.tensor([[[1, 1, 0, 1], [1, 0, 0, 0], [1, 1, 1, 1]], [[0, 1, 1, 0], [1, 1, 1, 1], [0, 0, 1, 1]]])
    qp = torch.einsum("btd,dhk->bhtk", q, w["query_kernel"]) + w["query_bias"].unsqueeze(1)
    kp = torch.einsum("btd,dhk->bhtk", k, w["key_kernel"]) + w["key_bias"].unsqueeze(1)
    vp = torch.einsum("btd,dhk->bhtk", v, w["value_kernel"]) + w["value_bias"].unsqueeze(1)
    scores = torch.einsum("bhqk,bhvk->bhqv", qp / math.sqrt(key_dim), kp)
    scores = scores + (1.0 - mask.unsqueeze(1).double()) * -1e9
    weights = torch.softmax(scores, -1)
    ctx = torch.einsum("bhqv,bhvd->bqhd", weights, vp)
    out = torch.einsum("bqhd,hdo->bqo", ctx, w["output_kernel"]) + w["output_bias"]
    finish("mha", dict({"query": q, "value": v, "key": k, "mask": mask}, **w), {"out": out, "scores": weights})


def additive_case():
    b, tq, tv, d, dv = 2, 3, 5, 4, 6
    q, v, k = leaf(b, tq, d), leaf(b, tv, dv), leaf(b, tv, d)
    scale = glorot(d, 1).reshape(d).detach().requires_grad_(True)
    q_mask = torch.tensor([[1, 1, 0], [1, 1, 1]])
    v_mask = torch.tensor([[1, 1, 1, 0, 0], [1, 0, 1, 1, 1]])
    scores = (scale * torch.tanh(q.unsqueeze(2) + k.unsqueeze(1))).sum(-1)
    scores = scores - 1e9 * (v_mask == 0).double().unsqueeze(1)
    out = torch.softmax(scores, -1) @ v
    out = out * q_mask.double().unsqueeze(-1)
    finish("additive_attention", {"query": q, "value": v, "key": k, "query_mask": q_mask, "value_mask": v_mask,
                                  "scale": scale}, {"out": out})


if __name__ == "__main__":
    os.makedirs(OUT, exist_ok=True)
    check_against_torch_nn()
    gru_case()
    lstm_case()
    simple_rnn_case()
    embedding_case()
    embedding_gru_case()
    mha_case()
    additive_case()

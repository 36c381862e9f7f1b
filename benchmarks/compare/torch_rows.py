"""PyTorch side of Tessera's CPU comparison: runs one row and prints one JSON line.

Usage: python3 torch_rows.py ROW WARMUP ITERATIONS THREADS [DATA_DIR] [--device=cpu|--device=cuda]

Each row builds the same workload as dev.tessera.bench.compare.TesseraRows (same shapes, same
parameter counts, float32, same optimiser), in PyTorch's native NCHW layout. TensorFlow's "same"
padding is symmetric for every shape used here, so it is passed as Conv2d's padding.
"""

import gzip
import json
import resource
import struct
import sys
import time

import torch
import torch.nn as nn
import torch.nn.functional as F

ROWS = [
    "conv 224x224x3-128x4x4-s2", "conv 112x112x128-128x4x4-s2", "conv 56x56x130-128x1x1-s1",
    "conv 56x56x128-128x3x3-s1", "conv 56x56x130-512x1x1-s1", "gru 2x128 b64 t40", "lenet5 step b64",
    "fashion-cnn step b64", "film step b8", "film step b64", "resnet18 forward b8", "fashion-cnn epoch",
    "resnet50 step b64",
]
VOCABULARY, ANSWERS, MAX_QUESTION = 82, 30, 20


def same_padding(size, kernel, stride):
    out = -(-size // stride)
    total = max((out - 1) * stride + kernel - size, 0)
    if total % 2:
        raise ValueError(f"asymmetric 'same' padding for size {size}, kernel {kernel}, stride {stride}")
    return total // 2


def sync(device):
    if device.type == "cuda":
        torch.cuda.synchronize()


def conv(shape, device):
    inp, ker, st = shape.split("-")
    h, w, c = map(int, inp.split("x"))
    f, kh, kw = map(int, ker.split("x"))
    s = int(st[1:])
    g = torch.Generator().manual_seed(3)
    x = (torch.rand(8, c, h, w, generator=g) * 2 - 1).to(device).requires_grad_()
    k = ((torch.rand(f, c, kh, kw, generator=g) * 2 - 1) * 0.1).to(device).requires_grad_()
    pad = (same_padding(h, kh, s), same_padding(w, kw, s))
    with torch.no_grad():
        out = F.conv2d(x, k, stride=s, padding=pad)
    upstream = torch.rand(out.shape, generator=g).to(device) * 2 - 1

    def step():
        F.conv2d(x, k, stride=s, padding=pad).backward(upstream)
        x.grad = None
        k.grad = None
    return step


def gru(device):
    torch.manual_seed(2)
    model = nn.GRU(64, 128, num_layers=2, batch_first=True).to(device)
    g = torch.Generator().manual_seed(4)
    x = (torch.rand(64, 40, 64, generator=g) * 2 - 1).to(device).requires_grad_()
    upstream = (torch.rand(64, 40, 128, generator=g) * 2 - 1).to(device)

    def step():
        model(x)[0].backward(upstream)
        x.grad = None
        model.zero_grad(set_to_none=True)
    return step


def lenet5():
    return nn.Sequential(
        nn.Conv2d(1, 6, 5, padding=2), nn.Tanh(), nn.AvgPool2d(2),
        nn.Conv2d(6, 16, 5), nn.Tanh(), nn.AvgPool2d(2), nn.Flatten(),
        nn.Linear(16 * 5 * 5, 120), nn.Tanh(), nn.Linear(120, 84), nn.Tanh(), nn.Linear(84, 10))


def fashion_cnn():
    return nn.Sequential(
        nn.Conv2d(1, 16, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2),
        nn.Conv2d(16, 32, 3), nn.ReLU(), nn.MaxPool2d(2), nn.Flatten(),
        nn.Linear(32 * 6 * 6, 600), nn.ReLU(), nn.Dropout(0.5),
        nn.Linear(600, 120), nn.ReLU(), nn.Linear(120, 10), nn.LogSoftmax(dim=1))


def train_step(model, inputs, target, optimizer):
    """One forward, cross-entropy, backward and optimiser step, reading the loss as Tessera's step does."""
    def step():
        loss = F.cross_entropy(model(*inputs), target)
        loss.item()
        loss.backward()
        optimizer.step()
        optimizer.zero_grad(set_to_none=True)
    return step


def classifier_step(model, device):
    torch.manual_seed(1)
    model = model.to(device)
    g = torch.Generator().manual_seed(5)
    images = torch.rand(64, 1, 28, 28, generator=g).to(device)
    labels = torch.randint(0, 10, (64,), generator=g).to(device)
    return train_step(model, (images,), labels, torch.optim.SGD(model.parameters(), lr=0.01))


def coords(x):
    n, _, h, w = x.shape
    xs = torch.linspace(-1, 1, w, device=x.device).view(1, 1, 1, w).expand(n, 1, h, w)
    ys = torch.linspace(-1, 1, h, device=x.device).view(1, 1, h, 1).expand(n, 1, h, w)
    return torch.cat([x, xs, ys], dim=1)


class FiLMVqa(nn.Module):
    """The coursework FiLM model as Tessera's FiLMVqaModel builds it (990,878 parameters and statistics)."""

    def __init__(self, vocabulary, answers):
        super().__init__()
        self.embedding = nn.Embedding(vocabulary, 64, padding_idx=0)
        self.gru = nn.GRU(64, 128, num_layers=2, batch_first=True)
        self.features = nn.Sequential(
            nn.Conv2d(3, 128, 4, stride=2, padding=1), nn.BatchNorm2d(128), nn.ReLU(),
            nn.Conv2d(128, 128, 4, stride=2, padding=1), nn.BatchNorm2d(128), nn.ReLU())
        self.conv1 = nn.Conv2d(130, 128, 1)
        self.conv2 = nn.Conv2d(128, 128, 3, padding=1)
        self.bn = nn.BatchNorm2d(128, affine=False)
        self.gamma = nn.Linear(128, 128, bias=False)
        self.beta = nn.Linear(128, 128, bias=False)
        self.head = nn.Conv2d(130, 512, 1)
        self.dense = nn.Linear(512, 512)
        self.out = nn.Linear(512, answers)

    def forward(self, tokens, images):
        lengths = (tokens != 0).sum(dim=1).cpu()
        packed = nn.utils.rnn.pack_padded_sequence(self.embedding(tokens), lengths, batch_first=True,
                                                   enforce_sorted=False)
        q = self.gru(packed)[1][-1]
        x = coords(self.features(images))
        h = F.relu(self.conv1(x))
        y = self.bn(self.conv2(h))
        y = F.relu(self.gamma(q)[:, :, None, None] * y + self.beta(q)[:, :, None, None]) + h
        x = self.head(coords(y))
        x = torch.amax(x, dim=(2, 3))
        return self.out(F.relu(self.dense(x)))


def parameter_count(model):
    buffers = sum(b.numel() for name, b in model.named_buffers() if not name.endswith("num_batches_tracked"))
    return sum(p.numel() for p in model.parameters()) + buffers


def film_step(batch, device):
    torch.manual_seed(1)
    model = FiLMVqa(VOCABULARY, ANSWERS)
    count = parameter_count(model)
    if count != 990_878:
        raise AssertionError(f"FiLM port has {count} parameters and statistics, expected 990,878")
    model = model.to(device)
    g = torch.Generator().manual_seed(5)
    tokens = torch.zeros(batch, MAX_QUESTION, dtype=torch.long)
    for b in range(batch):
        length = int(torch.randint(5, MAX_QUESTION + 1, (1,), generator=g))
        tokens[b, :length] = torch.randint(1, VOCABULARY, (length,), generator=g)
    tokens = tokens.to(device)
    images = torch.rand(batch, 3, 224, 224, generator=g).to(device)
    answers = torch.randint(0, ANSWERS, (batch,), generator=g).to(device)
    return train_step(model, (tokens, images), answers, torch.optim.Adam(model.parameters(), lr=3e-4))


class Block(nn.Module):
    """torchvision's BasicBlock (expansion 1) or Bottleneck (expansion 4)."""

    def __init__(self, cin, width, stride, bottleneck):
        super().__init__()
        cout = width * (4 if bottleneck else 1)
        if bottleneck:
            self.body = nn.Sequential(
                nn.Conv2d(cin, width, 1, bias=False), nn.BatchNorm2d(width), nn.ReLU(inplace=True),
                nn.Conv2d(width, width, 3, stride, 1, bias=False), nn.BatchNorm2d(width), nn.ReLU(inplace=True),
                nn.Conv2d(width, cout, 1, bias=False), nn.BatchNorm2d(cout))
        else:
            self.body = nn.Sequential(
                nn.Conv2d(cin, width, 3, stride, 1, bias=False), nn.BatchNorm2d(width), nn.ReLU(inplace=True),
                nn.Conv2d(width, width, 3, 1, 1, bias=False), nn.BatchNorm2d(width))
        self.down = None
        if stride != 1 or cin != cout:
            self.down = nn.Sequential(nn.Conv2d(cin, cout, 1, stride, bias=False), nn.BatchNorm2d(cout))

    def forward(self, x):
        identity = x if self.down is None else self.down(x)
        return F.relu(self.body(x) + identity)


def resnet(blocks, bottleneck, classes=1000):
    layers = [nn.Conv2d(3, 64, 7, 2, 3, bias=False), nn.BatchNorm2d(64), nn.ReLU(inplace=True), nn.MaxPool2d(3, 2, 1)]
    cin = 64
    for stage, count in enumerate(blocks):
        width = 64 * 2 ** stage
        for i in range(count):
            layers.append(Block(cin, width, 2 if stage > 0 and i == 0 else 1, bottleneck))
            cin = width * (4 if bottleneck else 1)
    layers += [nn.AdaptiveAvgPool2d(1), nn.Flatten(), nn.Linear(cin, classes)]
    return nn.Sequential(*layers)


def resnet18_forward(device):
    torch.manual_seed(1)
    model = resnet([2, 2, 2, 2], False)
    count = sum(p.numel() for p in model.parameters())
    if count != 11_689_512:
        raise AssertionError(f"ResNet-18 port has {count} parameters, expected 11,689,512")
    model = model.to(device).eval()
    images = torch.rand(8, 3, 224, 224, generator=torch.Generator().manual_seed(12)).to(device)

    def step():
        with torch.no_grad():
            model(images).sum().item()
    return step


def resnet50_step(device):
    torch.manual_seed(1)
    model = resnet([3, 4, 6, 3], True)
    count = sum(p.numel() for p in model.parameters())
    if count != 25_557_032:
        raise AssertionError(f"ResNet-50 port has {count} parameters, expected 25,557,032")
    model = model.to(device)
    g = torch.Generator().manual_seed(12)
    images = torch.rand(64, 3, 224, 224, generator=g).to(device)
    labels = torch.randint(0, 1000, (64,), generator=g).to(device)
    return train_step(model, (images,), labels, torch.optim.SGD(model.parameters(), lr=0.01, momentum=0.9))


def read_idx(path):
    opener = gzip.open if path.endswith(".gz") else open
    with opener(path, "rb") as f:
        data = f.read()
    magic, = struct.unpack(">i", data[:4])
    dims = struct.unpack(">" + "i" * (magic & 0xFF), data[4:4 + 4 * (magic & 0xFF)])
    return torch.frombuffer(bytearray(data[4 + 4 * len(dims):]), dtype=torch.uint8).view(*dims)


def find(directory, name):
    import os
    for candidate in (os.path.join(directory, name), os.path.join(directory, name + ".gz")):
        if os.path.isfile(candidate):
            return candidate
    raise FileNotFoundError(f"Fashion-MNIST file {name}[.gz] not found in {directory}")


def fashion_epoch(directory, device):
    images = read_idx(find(directory, "train-images-idx3-ubyte"))
    labels = read_idx(find(directory, "train-labels-idx1-ubyte")).long()
    torch.manual_seed(1)
    model = fashion_cnn().to(device)
    sgd = torch.optim.SGD(model.parameters(), lr=0.01)
    epoch = [0]

    def step():
        order = torch.randperm(images.shape[0], generator=torch.Generator().manual_seed(100 + epoch[0]))
        total, steps = 0.0, 0
        for start in range(0, images.shape[0], 64):
            idx = order[start:start + 64]
            x = (images[idx].float() / 255.0).unsqueeze(1).to(device)
            loss = F.cross_entropy(model(x), labels[idx].to(device))
            total += loss.item()
            loss.backward()
            sgd.step()
            sgd.zero_grad(set_to_none=True)
            steps += 1
        epoch[0] += 1
        print(f"epoch {epoch[0]}: {steps} steps, mean loss {total / steps:.4f}", file=sys.stderr)
    return step


def workload(row, data, device):
    if row.startswith("conv "):
        return conv(row[5:], device)
    table = {
        "gru 2x128 b64 t40": lambda: gru(device),
        "lenet5 step b64": lambda: classifier_step(lenet5(), device),
        "fashion-cnn step b64": lambda: classifier_step(fashion_cnn(), device),
        "film step b8": lambda: film_step(8, device),
        "film step b64": lambda: film_step(64, device),
        "resnet18 forward b8": lambda: resnet18_forward(device),
        "resnet50 step b64": lambda: resnet50_step(device),
        "fashion-cnn epoch": lambda: fashion_epoch(data, device),
    }
    if row not in table:
        raise SystemExit(f"unknown row '{row}'; rows: {', '.join(ROWS)}")
    return table[row]()


def main():
    args = [a for a in sys.argv[1:] if not a.startswith("--device")]
    device = torch.device("cuda" if "--device=cuda" in sys.argv[1:] else "cpu")
    if len(args) < 4:
        raise SystemExit(__doc__)
    row, warmup, iterations, threads = args[0], int(args[1]), int(args[2]), int(args[3])
    data = args[4] if len(args) > 4 else "/usr/share/datasets/fashion-mnist"
    torch.set_num_threads(threads)
    baseline = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    step = workload(row, data, device)
    for _ in range(warmup):
        step()
    sync(device)
    if device.type == "cuda":
        torch.cuda.reset_peak_memory_stats()
    times = []
    for _ in range(iterations):
        start = time.perf_counter()
        step()
        sync(device)
        times.append((time.perf_counter() - start) * 1e3)
    times.sort()
    n = len(times)
    median = times[n // 2] if n % 2 else (times[n // 2 - 1] + times[n // 2]) / 2
    result = {
        "framework": "pytorch", "row": row, "median_ms": round(median, 3), "min_ms": round(times[0], 3),
        "peak_rss_mib": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
        "baseline_rss_mib": round(baseline / 1024, 1), "threads": torch.get_num_threads(), "iterations": n,
        "version": torch.__version__, "device": str(device),
    }
    if device.type == "cuda":
        result["peak_device_mib"] = round(torch.cuda.max_memory_allocated() / 2 ** 20, 1)
        result["gpu"] = torch.cuda.get_device_name(0)
    print(json.dumps(result))


if __name__ == "__main__":
    main()

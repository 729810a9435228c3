#!/usr/bin/env python3
"""The peer of `./tessera mnist-custom`: the same residual MLP in PyTorch on the CPU.

flatten, Linear(784, 256), two residual blocks x + fc2(relu(fc1(x))) of 256 -> 256 -> 256, ReLU, Linear(256, 10);
softmax cross-entropy, Adam(lr=1e-3) decayed by StepLR(1, 0.7) after each epoch, batch 128 shuffled each epoch, images as ToTensor + Normalize((0.1307,),
(0.3081,)); trained on the 60,000 training images, evaluated on the 10,000 test images (batch 1000) after every epoch.
Reads the four MNIST IDX files (.gz or not) from --data.

  /usr/bin/python3 bench/mnist_custom_pytorch.py --data DIR [--epochs 5] [--threads 2] [--lr-gamma 0.7] [--seed 1] [--json FILE]

--threads caps PyTorch's pool and, where OpenBLAS is loaded (Debian's torch uses the generic libblas.so.3, which the
peers' with_openblas.sh swaps for OpenBLAS), OpenBLAS's own pool as well.
"""
import argparse
import ctypes
import gzip
import json
import os
import struct
import time

import numpy as np
import torch
import torch.nn.functional as F


def set_threads(n):
    torch.set_num_threads(n)
    blas = []
    with open("/proc/self/maps") as f:
        libs = sorted({line.split()[-1] for line in f if "openblas" in line.lower() and ".so" in line})
    for path in libs:
        try:
            lib = ctypes.CDLL(path)
            lib.openblas_set_num_threads(ctypes.c_int(n))
            blas.append(f"{os.path.basename(path)}: {lib.openblas_get_num_threads()} threads")
        except (OSError, AttributeError):
            pass
    return blas or ["no OpenBLAS loaded"]


def read_idx(path):
    with (gzip.open if path.endswith(".gz") else open)(path, "rb") as f:
        data = f.read()
    zero, code, ndim = struct.unpack(">HBB", data[:4])
    if zero != 0 or code != 0x08:
        raise ValueError(f"{path}: not an unsigned-byte IDX file")
    dims = struct.unpack(">" + "I" * ndim, data[4:4 + 4 * ndim])
    return np.frombuffer(data, dtype=np.uint8, offset=4 + 4 * ndim).reshape(dims)


def load(data_dir, split):
    def find(stem):
        for name in (stem + ".gz", stem):
            if os.path.exists(os.path.join(data_dir, name)):
                return os.path.join(data_dir, name)
        raise FileNotFoundError(f"{stem}[.gz] not found in {data_dir}")

    images = read_idx(find(f"{split}-images-idx3-ubyte"))
    labels = read_idx(find(f"{split}-labels-idx1-ubyte"))
    x = (torch.from_numpy(images.astype(np.float32) / 255.0).unsqueeze(1) - 0.1307) / 0.3081
    return x, torch.from_numpy(labels.astype(np.int64))


class Block(torch.nn.Module):
    def __init__(self, width):
        super().__init__()
        self.fc1 = torch.nn.Linear(width, width)
        self.fc2 = torch.nn.Linear(width, width)

    def forward(self, x):
        return x + self.fc2(F.relu(self.fc1(x)))


class ResidualMlp(torch.nn.Module):
    def __init__(self, inputs=784, width=256, blocks=2, classes=10):
        super().__init__()
        self.stem = torch.nn.Linear(inputs, width)
        self.blocks = torch.nn.Sequential(*[Block(width) for _ in range(blocks)])
        self.head = torch.nn.Linear(width, classes)

    def forward(self, x):
        return self.head(F.relu(self.blocks(self.stem(torch.flatten(x, 1)))))


def evaluate(model, x, y, batch=1000):
    model.eval()
    loss, correct = 0.0, 0
    with torch.no_grad():
        for i in range(0, len(x), batch):
            out = model(x[i:i + batch])
            loss += F.cross_entropy(out, y[i:i + batch], reduction="sum").item()
            correct += (out.argmax(1) == y[i:i + batch]).sum().item()
    return loss / len(x), correct / len(x)


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--data", required=True, help="folder holding the four MNIST IDX files")
    p.add_argument("--epochs", type=int, default=5)
    p.add_argument("--threads", type=int, default=2)
    p.add_argument("--batch-size", type=int, default=128)
    p.add_argument("--lr", type=float, default=1e-3)
    p.add_argument("--lr-gamma", type=float, default=0.7, help="StepLR(1, gamma) after every epoch; 1: constant")
    p.add_argument("--seed", type=int, default=1)
    p.add_argument("--json", default=None)
    args = p.parse_args()

    blas = set_threads(args.threads)
    torch.manual_seed(args.seed)
    train_x, train_y = load(args.data, "train")
    test_x, test_y = load(args.data, "t10k")
    model = ResidualMlp()
    optimizer = torch.optim.Adam(model.parameters(), lr=args.lr)
    schedule = torch.optim.lr_scheduler.StepLR(optimizer, step_size=1, gamma=args.lr_gamma)
    print(f"pytorch {torch.__version__}, {torch.get_num_threads()} threads; "
          f"{sum(q.numel() for q in model.parameters()):,} parameters; BLAS: {', '.join(blas)}", flush=True)

    history = []
    for epoch in range(args.epochs):
        model.train()
        order = torch.randperm(len(train_x))
        total, batches = 0.0, 0
        start = time.perf_counter()
        for i in range(0, len(order), args.batch_size):
            rows = order[i:i + args.batch_size]
            optimizer.zero_grad()
            loss = F.cross_entropy(model(train_x[rows]), train_y[rows])
            loss.backward()
            optimizer.step()
            total += loss.item()
            batches += 1
        train_s = time.perf_counter() - start
        schedule.step()
        start = time.perf_counter()
        test_loss, test_acc = evaluate(model, test_x, test_y)
        eval_s = time.perf_counter() - start
        history.append({"epoch": epoch, "train_loss": total / batches, "train_seconds": train_s,
                        "samples_per_second": len(order) / train_s, "test_loss": test_loss, "test_acc": test_acc,
                        "eval_seconds": eval_s})
        print(f"Epoch [{epoch}] train {train_s:.2f} s ({len(order) / train_s:,.0f} samples/s), train_loss {total / batches:.4f}"
              f" | test {eval_s:.2f} s, loss {test_loss:.4f}, accuracy {test_acc:.4f}", flush=True)

    if args.json:
        with open(args.json, "w") as f:
            json.dump({"framework": f"pytorch {torch.__version__}", "model": "residual-mlp", "threads": torch.get_num_threads(), "blas": blas,
                       "epochs": args.epochs, "lr": args.lr, "lr_gamma": args.lr_gamma, "batch_size": args.batch_size, "seed": args.seed,
                       "history": history, "test_acc": history[-1]["test_acc"] if history else None}, f, indent=1)


if __name__ == "__main__":
    main()

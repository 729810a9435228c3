#!/usr/bin/env python3
"""The peer of `./tessera extreme --layer dense`: the same network in PyTorch on the CPU.

sparse features -> EmbeddingBag(sum, per-sample weights) + bias -> ReLU -> Linear(hidden, classes), softmax
cross-entropy on each sample's first label, Adam (SparseAdam for the embedding rows, as PyTorch users train sparse
inputs), batch 128, a shuffled order per epoch; precision@1 on the test file after every epoch, exact (every class
scored). Reads the extreme-classification repository's text format, as written by
`./tessera extreme --write-data DIR`.

  bench/extreme_pytorch.py DIR/train.txt DIR/test.txt [--epochs 3] [--threads 2] [--json FILE]
"""
import argparse
import json
import time

import torch


def read(path):
    with open(path) as f:
        samples, features, labels = map(int, f.readline().split())
        offsets, indices, values, first = [0], [], [], []
        for line in f:
            head, _, rest = line.rstrip("\n").partition(" ")
            if not head:
                continue
            first.append(int(head.split(",")[0]))
            for pair in rest.split():
                i, v = pair.split(":")
                indices.append(int(i))
                values.append(float(v))
            offsets.append(len(indices))
    return (torch.tensor(offsets), torch.tensor(indices), torch.tensor(values, dtype=torch.float32),
            torch.tensor(first), features, labels)


class Net(torch.nn.Module):
    def __init__(self, features, hidden, classes):
        super().__init__()
        self.embedding = torch.nn.EmbeddingBag(features, hidden, mode="sum", sparse=True)
        bound = 1.0 / features ** 0.5
        torch.nn.init.uniform_(self.embedding.weight, -bound, bound)
        self.bias = torch.nn.Parameter(torch.empty(hidden).uniform_(-bound, bound))
        self.out = torch.nn.Linear(hidden, classes)

    def forward(self, indices, offsets, weights):
        return self.out(torch.relu(self.embedding(indices, offsets, per_sample_weights=weights) + self.bias))


def batch(data, rows):
    offsets, indices, values = data[0], data[1], data[2]
    starts, ends = offsets[rows], offsets[rows + 1]
    lengths = ends - starts
    idx = torch.cat([torch.arange(s, e) for s, e in zip(starts.tolist(), ends.tolist())])
    return indices[idx], torch.cat([torch.zeros(1, dtype=torch.long), torch.cumsum(lengths, 0)[:-1]]), values[idx]


def main():
    p = argparse.ArgumentParser()
    p.add_argument("train")
    p.add_argument("test")
    p.add_argument("--epochs", type=int, default=3)
    p.add_argument("--threads", type=int, default=2)
    p.add_argument("--hidden", type=int, default=128)
    p.add_argument("--batch-size", type=int, default=128)
    p.add_argument("--lr", type=float, default=0.005)
    p.add_argument("--seed", type=int, default=42)
    p.add_argument("--json")
    a = p.parse_args()
    torch.set_num_threads(a.threads)
    torch.manual_seed(a.seed)
    train, test = read(a.train), read(a.test)
    features, classes = train[4], train[5]
    net = Net(features, a.hidden, classes)
    sparse = torch.optim.SparseAdam(list(net.embedding.parameters()), lr=a.lr)
    dense = torch.optim.Adam([net.bias] + list(net.out.parameters()), lr=a.lr)
    n = len(train[3])
    history = []
    for epoch in range(a.epochs):
        net.train()
        order = torch.randperm(n)
        t0 = time.perf_counter()
        total = 0.0
        for start in range(0, n, a.batch_size):
            rows = order[start:start + a.batch_size]
            idx, off, val = batch(train, rows)
            loss = torch.nn.functional.cross_entropy(net(idx, off, val), train[3][rows])
            sparse.zero_grad()
            dense.zero_grad()
            loss.backward()
            sparse.step()
            dense.step()
            total += loss.item() * len(rows)
        train_s = time.perf_counter() - t0
        net.eval()
        hits = 0
        with torch.no_grad():
            m = len(test[3])
            for start in range(0, m, 1024):
                rows = torch.arange(start, min(m, start + 1024))
                idx, off, val = batch(test, rows)
                hits += (net(idx, off, val).argmax(1) == test[3][rows]).sum().item()
        p1 = hits / len(test[3])
        history.append({"epoch": epoch, "train_s": train_s, "train_loss": total / n, "test_p_at_1": p1})
        print(f"Epoch [{epoch}], train_loss: {total / n:.4f}, train_s: {train_s:.1f}, test_p@1: {p1:.4f}", flush=True)
    if a.json:
        with open(a.json, "w") as f:
            json.dump({"framework": "pytorch " + torch.__version__, "threads": a.threads, "history": history,
                       "train_s_total": sum(e["train_s"] for e in history)}, f, indent=1)


if __name__ == "__main__":
    main()

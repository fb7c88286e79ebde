#!/usr/bin/env python3
"""Times PyTorch soft Dice forward+backward at 1M float32 elements, with 1 and 2 threads.

The same loss as `loss-doctor bench` (Sources/LossDoctor/Benchmark/Benchmark.swift):
    1 - (2 * sum(y * p) + 1) / (sum(y) + sum(p) + 1)
pooled over a (1, 1024, 1024, 1) target with about 10 % foreground and a uniform random prediction.
Optional: the package and CI never run it. Needs `pip install torch` (the CPU build is enough).

Usage: python3 Scripts/bench-pytorch.py [--runs N]
"""
import argparse
import statistics
import time

import torch


def soft_dice(y, p):
    return 1 - (2 * (y * p).sum() + 1) / (y.sum() + p.sum() + 1)


def step(y, p_data):
    p = p_data.detach().requires_grad_(True)
    loss = soft_dice(y, p)
    loss.backward()
    return loss.item() + p.grad[0, 0, 0, 0].item()


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=100)
    args = parser.parse_args()

    generator = torch.Generator().manual_seed(2024)
    shape = (1, 1024, 1024, 1)
    y = (torch.rand(shape, generator=generator) < 0.1).float()
    p = torch.rand(shape, generator=generator)

    print(f"PyTorch {torch.__version__} eager CPU, soft Dice fwd+bwd at 1M float32 elements "
          f"(milliseconds, median and min of {args.runs} runs)")
    print(f"{'threads':>7} {'median':>10} {'min':>10}")
    for threads in (1, 2):
        torch.set_num_threads(threads)
        for _ in range(10):  # warm-up
            step(y, p)
        samples = []
        for _ in range(args.runs):
            start = time.perf_counter_ns()
            step(y, p)
            samples.append((time.perf_counter_ns() - start) / 1e6)
        print(f"{threads:>7} {statistics.median(samples):>10.3f} {min(samples):>10.3f}")


if __name__ == "__main__":
    main()

"""Top-10 retrieval time over memory streams of 1k, 10k and 100k nodes.

    python benchmarks/retrieval_speed.py [--dim D] [--repeat 200]

Streams hold random unit embeddings (the offline embedder's dimensions by default), random
importance and spread-out access times; each query is a fresh random vector. Prints the median
and 95th percentile per call; last access is updated as in a real run.
"""

from __future__ import annotations

import argparse
import statistics
import time

import numpy as np

from runner.agent.memory import MemoryStream, Node
from runner.agent.retrieve import retrieve
from runner.llm.hashed import EMBED_DIM


def build(n: int, dim: int, rng: np.random.Generator) -> MemoryStream:
    stream = MemoryStream(dim, capacity=n)
    vectors = rng.standard_normal((n, dim)).astype(np.float32)
    vectors /= np.linalg.norm(vectors, axis=1, keepdims=True)
    importance = rng.integers(1, 11, n)
    for i in range(n):
        stream.add(Node("event", i, f"memory {i}", int(importance[i])), vectors[i])
    return stream


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--dim", type=int, default=EMBED_DIM)
    parser.add_argument("--repeat", type=int, default=200)
    args = parser.parse_args()
    rng = np.random.default_rng(0)
    for n in (1_000, 10_000, 100_000):
        stream = build(n, args.dim, rng)
        times = []
        for r in range(args.repeat):
            query = rng.standard_normal(args.dim).astype(np.float32)
            query /= np.linalg.norm(query)
            began = time.perf_counter()
            retrieve(stream, query, step=n + r, steps_per_hour=360, k=10)
            times.append((time.perf_counter() - began) * 1000)
        times.sort()
        p95 = times[int(0.95 * len(times)) - 1]
        print(
            f"{n:>7} nodes: median {statistics.median(times):.3f} ms, p95 {p95:.3f} ms "
            f"per top-10 retrieval (dim {args.dim})"
        )


if __name__ == "__main__":
    main()

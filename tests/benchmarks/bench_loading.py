"""How fast `vizgmm fit` reads a big CSV, against numpy.loadtxt on the same file.

Run: python tests/benchmarks/bench_loading.py [rows]   (default 1,000,000)
load_data does more than loadtxt (sniffing, header, names, text labels, line
numbers in errors), so it is slower; the ratio keeps that cost in view.
"""

import sys
import tempfile
import time
from pathlib import Path

import numpy as np

from vizgmm import simulate
from vizgmm.data.loading import load_data


def best_of(fn, repeat=3):
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return min(times)


def main(rows=1_000_000):
    x, labels = simulate([(240, 7, rows * 7 // 10), (270, 6, rows - rows * 7 // 10)], seed=0)
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "big.csv"
        path.write_text("x,label\n" + "".join(f"{v!r},{c}\n" for v, c in zip(x.tolist(), labels.tolist())))
        ours = best_of(lambda: load_data(path, column="x", labels_column="label"))
        baseline = best_of(lambda: np.loadtxt(path, delimiter=",", skiprows=1))
    print(f"{rows:,} rows ({path.name}): load_data {ours:.2f} s, numpy.loadtxt {baseline:.2f} s, "
          f"ratio {ours / baseline:.1f}x")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 1_000_000)

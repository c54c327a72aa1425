"""The full pipeline at scale: fit, GIF and report for n = 10,000,000 points.

Run: python tests/benchmarks/bench_scale.py [--n 10000000] [--epochs 50] [--out DIR]

Target (issue 6): n = 10,000,000 one-dimensional points, k = 3, 50 epochs, fit + GIF
+ report on a 2-core, 24 GB machine with peak memory under 4 GB; issue 12:
under 1.5 GB. Prints each stage's wall time and the process's peak resident
memory after it.

Where the memory goes (n = 10⁷, k = 3, 51 snapshots): the data, 80 MB; every
epoch's labels, one byte per point, 510 MB; the E-step's (k, n) log
densities, 240 MB, which the responsibilities then overwrite, plus a few
(n,) temporaries of 80 MB each; saving adds the delta-encoded labels (510 MB,
written into one array rather than stacked and copied). Rendering and the
report add little: the renderer draws a fixed subsample of points.
"""

import argparse
import resource
import tempfile
import time
from pathlib import Path

import numpy as np

import vizgmm


def peak_mb():
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def stage(name, fn):
    start = time.perf_counter()
    result = fn()
    print(f"{name:<8} {time.perf_counter() - start:7.1f} s   peak RSS so far {peak_mb():7.0f} MB", flush=True)
    return result


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=10_000_000)
    parser.add_argument("--epochs", type=int, default=50)
    parser.add_argument("--out", default=None)
    args = parser.parse_args()
    out = Path(args.out or tempfile.mkdtemp(prefix="vizgmm-scale-"))

    rng = np.random.default_rng(0)
    counts = [args.n // 2, args.n * 3 // 10, args.n - args.n // 2 - args.n * 3 // 10]
    x = stage("data", lambda: np.concatenate([
        rng.normal(240, 7, counts[0]), rng.normal(270, 6, counts[1]), rng.normal(300, 10, counts[2])]))
    history = stage("fit", lambda: vizgmm.fit(x, 3, seed=0, tol=0, max_iter=args.epochs))  # noqa: F821 (x is bound above)
    del x
    stage("save", lambda: history.save(out / "history.json"))
    gif = stage("gif", lambda: vizgmm.render_gif(history, out / "animation.gif"))
    stage("report", lambda: vizgmm.report(history, out / "report.html", animation="gif", gif_path=gif))
    peak = peak_mb()
    sizes = ", ".join(f"{p.name} {p.stat().st_size / 2**20:.1f} MB" for p in sorted(out.iterdir()))
    print(f"n={args.n:,} k=3 epochs={history.epochs}: peak memory {peak:.0f} MB "
          f"({peak / 4096:.2f} of the 4 GB budget); files: {sizes}")


if __name__ == "__main__":
    main()

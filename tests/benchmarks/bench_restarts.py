"""The restart race and the restarts grid against rendering the N histories one by one (issue 23.2).

Run:  python tests/benchmarks/bench_restarts.py

Ten starts of k = 3 on iris' petal length and sepal width (scikit-learn's copy),
kmeans++ and random-from-data in turn, blog preset, GIF. Each way is timed
three times, interleaved, best of three:

- "one by one": ``render_gif`` of each history (what a user had before);
- "race": :func:`vizgmm.animate_race`, one canvas, the best start in full and
  the others as ghosts, plus the ranking frame;
- "grid": :func:`vizgmm.animate_restarts`, one panel per start.

Goal: the race is not slower than one by one. Prints ratios; asserts nothing.
"""

import tempfile
import time
from pathlib import Path

from sklearn.datasets import load_iris

import vizgmm


def main():
    iris = load_iris()
    X = iris.data[:, [2, 1]]
    starts = vizgmm.restarts(X, 3, n_init=10, init=("kmeans++", "random-from-data"), seed=0)
    for h in starts.histories:
        h.meta["feature_names"] = ["petal length (cm)", "sepal width (cm)"]
    print(starts.summary)
    frames = sum(len(h) for h in starts.histories)
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp)
        ways = {
            "one by one": lambda: [vizgmm.render_gif(h, out / f"start{i}.gif") for i, h in enumerate(starts.histories)],
            "race": lambda: vizgmm.animate_race(starts, out / "race.gif"),
            "grid": lambda: vizgmm.animate_restarts(starts.histories, out / "grid.gif", best=starts.best),
        }
        best = {name: float("inf") for name in ways}
        for _ in range(3):
            for name, way in ways.items():
                t0 = time.perf_counter()
                way()
                best[name] = min(best[name], time.perf_counter() - t0)
    for name, seconds in best.items():
        print(f"{name:>10}: {seconds:6.2f} s")
    print(f"race / one by one: {best['race'] / best['one by one']:.2f}x (goal <= 1x; {frames} epoch frames one by one)")
    print(f"grid / one by one: {best['grid'] / best['one by one']:.2f}x")


if __name__ == "__main__":
    main()

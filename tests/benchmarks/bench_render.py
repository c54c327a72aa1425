"""Renderer speed and size against the walk-through's naive GIF, measured in the same run.

Run:  /work/venv/bin/python tests/benchmarks/bench_render.py [--quick]

Baseline: what a reader of the walk-through writes to get a GIF: for every
frame a new pyplot figure (hist, two curves, two scatters, legend, title),
savefig to a PNG file, close; then read the PNGs back and stitch them with
imageio (duration in ms, loop=0). Both sides draw the same 60 frame states
(the walk-through's fit, 12 snapshots × (tween 4 + 1)) at 640×480.

Targets (issue 3): frames per second (render + GIF encode) ≥ 8× the
baseline; GIF bytes ≤ 0.5× the baseline's; render time per frame at
n = 1,000,000 ≤ 1.5× that at n = 1,000. Prints ratios; asserts nothing.
"""

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

import vizgmm
from vizgmm.animate import presets, render
from vizgmm.animate import timing as frames
from vizgmm.animate.scenes import make_scene


def walkthrough_history(n_scale=1, epochs=11):
    x, _ = vizgmm.simulate([(240, 7, 700 * n_scale), (270, 6, 300 * n_scale)], seed=0)
    return vizgmm.fit(x, 2, method="hard", init=vizgmm.WALKTHROUGH_INIT, tol=0, max_iter=epochs)


def baseline_gif(history, tween, path, folder):
    """The naive way: new pyplot figure per frame, savefig PNG, imageio stitching."""
    import imageio.v3 as iio
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    from scipy.stats import norm

    data = history.X[:, 0]
    x = np.linspace(180, 330, 400)
    files = []
    for state in frames.frame_states(history, tween):
        mu = state.means[:, 0]
        std = np.sqrt(state.covariances[:, 0, 0])
        phi = state.weights
        labels = history[state.snapshot].labels
        data1, data2 = data[labels == 0], data[labels == 1]
        plt.figure(figsize=(6.4, 4.8), dpi=100)
        plt.xlabel("x")
        plt.ylabel("density")
        plt.hist(data, color="green", alpha=0.4, bins=50, density=True)
        plt.plot(x, norm(mu[0], std[0]).pdf(x) * phi[0])
        plt.plot(x, norm(mu[1], std[1]).pdf(x) * phi[1])
        plt.scatter(data1, np.zeros(len(data1)))
        plt.scatter(data2, np.zeros(len(data2)))
        plt.title(f"epochs={history[state.snapshot].epoch}")
        plt.legend((f"N({mu[0]:.2f}, {std[0]:.2f})", f"N({mu[1]:.2f}, {std[1]:.2f})"), loc="upper right")
        name = folder / f"f{state.index:04d}.png"
        plt.savefig(name)
        plt.close()
        files.append(name)
    images = [iio.imread(f) for f in files]
    iio.imwrite(path, images, duration=100, loop=0)


def best_of(repeats, fn):
    times = []
    for _ in range(repeats):
        t = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t)
    return min(times)


def render_per_frame(history, tween, repeats):
    """Seconds per frame: building the scene (histogram over all the data) plus drawing every frame."""
    count = frames.frame_count(history, tween)

    def run():
        scene = make_scene(history, preset=presets.preset("blog"), theme=presets.theme("light"))
        for state in frames.frame_states(history, tween):
            scene.render(state)
        scene.close()

    return best_of(repeats, run) / count


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="one repeat instead of three")
    args = parser.parse_args(argv)
    repeats = 1 if args.quick else 3
    tween = 4
    history = walkthrough_history()
    count = frames.frame_count(history, tween)
    print(f"scenario: walk-through, n={history.n}, {len(history)} snapshots × (tween {tween} + 1) = {count} frames, 640×480")
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        (tmp / "png").mkdir()
        base_path = tmp / "baseline.gif"
        t_base = best_of(repeats, lambda: baseline_gif(history, tween, base_path, tmp / "png"))
        ours = {}
        for label, extra in (("one process, gifsicle off", {"gifsicle": False, "workers": 1}),
                             ("two processes, gifsicle off", {"gifsicle": False, "workers": 2}),
                             ("one process, gifsicle -O3", {"gifsicle": True, "workers": 1}),
                             ("default: workers auto, gifsicle auto", {})):
            path = tmp / f"ours-{len(ours)}.gif"
            t = best_of(repeats, lambda: render.render_gif(history, path, tween=tween, **extra))
            ours[label] = (t, path.stat().st_size)
        base_bytes = base_path.stat().st_size
        print(f"baseline: {count / t_base:7.1f} frames/s  {base_bytes / 1024:8.1f} KiB")
        for label, (t, size) in ours.items():
            print(
                f"vizgmm ({label}): {count / t:7.1f} frames/s  {size / 1024:8.1f} KiB"
                f"   speed ratio {t_base / t:5.1f}x (target >= 8)   size ratio {size / base_bytes:5.2f} (target <= 0.5)"
            )
        t = best_of(repeats, lambda: render.render_mp4(history, tmp / "a.mp4", tween=tween))
        print(f"vizgmm MP4: {count / t:7.1f} frames/s  {(tmp / 'a.mp4').stat().st_size / 1024:8.1f} KiB")
        for preset in ("blog", "slides"):
            times = [
                best_of(repeats, lambda: render.render_gif(history, tmp / "w.gif", tween=tween, preset=preset,
                                                           gifsicle=False, workers=workers))
                for workers in (1, 2)
            ]
            print(f"{preset} GIF, one process {count / times[0]:6.1f} frames/s, two processes "
                  f"{count / times[1]:6.1f} frames/s: ratio {times[0] / times[1]:4.2f} (load {os.getloadavg()[0]:.1f})")

    small = walkthrough_history(1, epochs=11)
    large = walkthrough_history(1000, epochs=11)
    per_small = render_per_frame(small, tween, repeats)
    per_large = render_per_frame(large, tween, repeats)
    print(
        f"render per frame (scene set-up included, {count} frames): n=1,000 {per_small * 1e3:6.2f} ms, "
        f"n=1,000,000 {per_large * 1e3:6.2f} ms   ratio {per_large / per_small:4.2f} (target <= 1.5)"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())

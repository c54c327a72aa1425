"""Bytes and encode time of the walk-through demo as GIF, WebP, WebM and MP4, blog and slides presets.

Run:  python tests/benchmarks/bench_formats.py

The demo is `vizgmm demo`'s fit (hard EM, 10 epochs, one frame per epoch,
500 ms each, the first held 1 s and the last 2 s longer). A second blog row
adds 4 in-between frames per epoch (smooth motion), where the frames change
a little at a time. Frames are drawn once per row; then each writer is fed
the same frames, so "encode ms/frame" is the format's own cost per frame
state (quantising, compressing, ffmpeg) without the drawing. Each format's
default settings and the renderer's own set-up (palette
samples and exact colours); WebP is lossless over the GIF's 64-colour palette.

Targets (issue 14): WebM ≤ 0.3× and WebP ≤ 0.7× the GIF's bytes at the
blog preset. Prints; asserts nothing.
"""

import tempfile
import time
from pathlib import Path

import numpy as np

import vizgmm
from vizgmm.animate import api as render
from vizgmm.animate import options
from vizgmm.animate.frames import timing as frames
from vizgmm.animate.scenes import scene_for
from vizgmm.animate.stream import writer_setup
from vizgmm.animate.writers import registry
from vizgmm.animate.writers.palette import known_colours

WRITERS = {
    "GIF": lambda path: registry.get("gif").writer(path),
    "WebP": lambda path: registry.get("webp").writer(path),
    "WebM": lambda path: registry.get("webm").writer(path),
    "MP4": lambda path: registry.get("mp4").writer(path),
}
ROWS = [("blog", 0), ("blog", 4), ("slides", 0)]


def demo_history():
    """The fit and the labels `vizgmm demo` draws (its title and axis name included, as in the README's table)."""
    x, _ = vizgmm.walkthrough_data(seed=0)
    history = vizgmm.fit(x, 2, method="hard", init=vizgmm.WALKTHROUGH_INIT, tol=0, max_iter=10, seed=0)
    history.meta.update(feature_names=["foot size (mm)"], title="Hard EM on the walk-through's foot sizes")
    return history


def drawn_frames(history, preset, tween):
    """Every frame's pixels, and each writer's set-up as the renderer gives it (palette, exact colours, padding)."""
    opts = options.resolve({"preset": preset, "tween": tween}, "gif")
    scene = scene_for(history, opts)
    try:
        count = frames.frame_count(history, tween)

        def draw(g):
            return scene.render(frames.state_at(history, g, tween))

        setups = {kind: writer_setup(registry.get(kind.lower()), make(Path("unused")), scene.size,
                                     scene.theme["background"], lambda: render.palette_samples(scene, count, draw),
                                     lambda: known_colours(scene.theme, scene.colors))
                  for kind, make in WRITERS.items()}
        pixels = [np.array(scene.render(state)[..., :3]) for state in frames.frame_states(history, tween)]
        return pixels, scene.size, setups
    finally:
        scene.close()


def encode(kind, path, pixels, size, setup, tween):
    timing = frames.make_timing(tween)
    durations = timing.durations(len(pixels))
    writer = WRITERS[kind](path)
    start = time.perf_counter()
    setup = {k: v for k, v in setup.items() if k != "size"}
    with writer.saving(size, timing.frame_ms, **setup):
        for pixel, duration in zip(pixels, durations):
            writer.grab_frame(pixel, duration)
    return time.perf_counter() - start


def main():
    history = demo_history()
    print(__doc__.split("\n\n")[0])
    print(f"{'preset':<8}{'tween':>6}{'frames':>7}  {'format':<6}{'bytes':>11}{'× GIF':>8}{'encode ms/frame':>17}")
    with tempfile.TemporaryDirectory() as scratch:
        for preset, tween in ROWS:
            start = time.perf_counter()
            pixels, size, setups = drawn_frames(history, preset, tween)
            draw_ms = 1000 * (time.perf_counter() - start) / len(pixels)
            sizes = {}
            for kind in WRITERS:
                path = Path(scratch) / f"{preset}-{tween}.{kind.lower()}"
                seconds = encode(kind, path, pixels, size, setups[kind], tween)
                sizes[kind] = path.stat().st_size
                print(f"{preset:<8}{tween:>6}{len(pixels):>7}  {kind:<6}{sizes[kind]:>11,}"
                      f"{sizes[kind] / sizes['GIF']:>8.2f}{1000 * seconds / len(pixels):>17.1f}")
            print(f"{'':<8}{'':>6}{'':>7}  (drawing: {draw_ms:.1f} ms/frame, the same for every format)")
            if preset == "blog" and tween == 0:
                webm, webp = sizes["WebM"] / sizes["GIF"], sizes["WebP"] / sizes["GIF"]
                print(f"  targets at blog: WebM {webm:.2f}× GIF (target ≤ 0.30: {'met' if webm <= 0.3 else 'not met'}), "
                      f"WebP {webp:.2f}× GIF (target ≤ 0.70: {'met' if webp <= 0.7 else 'not met'})")


if __name__ == "__main__":
    main()

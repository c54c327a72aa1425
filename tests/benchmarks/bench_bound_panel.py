"""Per-frame render cost with the bound side panel against the loglik panel and none (issue 22).

Run:  python tests/benchmarks/bench_bound_panel.py

The walk-through's hard EM with tween 4, blog preset; each configuration is
timed over every frame in this process' CPU time (``time.process_time``: on a
shared machine the wall clock also counts other jobs' turns), five interleaved
rounds, best of five. Building the scene (which
computes every epoch's bound once) is timed apart. Goal: a frame
with the bound panel costs ≤ 1.5× one without. The full-frame bound scene
(``focus="bound"``: the bound fills the frame, the data beside it) is timed the
same way against the plain frame. Prints ratios; asserts nothing.

Where a bound frame's extra time goes (cProfile, issue 22): matplotlib's
per-artist overhead for the panel's moving artists (path line, cursor point)
and the ones drawn over them (dashed bound, touch, peak, caption: ~0.05 ms
each when pasted from the pixel cache), and once per epoch laying out the new
caption string (~1-2 ms, FreeType). The gap is drawn once per snapshot
(scenes/bound_panel.py), except on an E-step's rising tween.
"""

import time

import vizgmm
from vizgmm.animate.frames import timing as frames
from vizgmm.animate.scenes import make_scene
from vizgmm.look import presets


def _time(history, panels, states, focus="data"):
    t0 = time.process_time()
    scene = make_scene(history, preset=presets.preset("blog"), theme=presets.theme("light"), panels=panels,
                       focus=focus)
    build = time.process_time() - t0
    t0 = time.process_time()
    for state in states:
        scene.render(state)
    per_frame = (time.process_time() - t0) / len(states)
    scene.close()
    return build, per_frame


def main():
    x, _ = vizgmm.walkthrough_data()
    history = vizgmm.fit(x, 2, method="hard", init=vizgmm.WALKTHROUGH_INIT)
    states = list(frames.frame_states(history, tween=4))
    configs = {"none": ((), "data"), "loglik": (("loglik",), "data"), "bound": (("bound",), "data"),
               "focus": (("bound",), "bound")}
    best = {name: (float("inf"), float("inf")) for name in configs}
    for _ in range(5):
        for name, (panels, focus) in configs.items():
            build, per = _time(history, panels, states, focus)
            best[name] = (min(best[name][0], build), min(best[name][1], per))
    for name, (build, per) in best.items():
        print(f"{name:>7}: build {build * 1e3:7.1f} ms, {per * 1e3:6.2f} ms/frame over {len(states)} frames")
    print(f"bound / none per frame: {best['bound'][1] / best['none'][1]:.2f}x (goal <= 1.5x)")
    print(f"bound / loglik per frame: {best['bound'][1] / best['loglik'][1]:.2f}x")
    print(f"focus='bound' (full-frame bound scene) / none per frame: {best['focus'][1] / best['none'][1]:.2f}x "
          "(goal <= 1.5x)")


if __name__ == "__main__":
    main()

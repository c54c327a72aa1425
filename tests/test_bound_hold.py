"""The bound panel's speed-up changes no pixel (issue 22).

The gap, which stands still while only the cursor moves along EM's path, is
drawn once per snapshot (``BlitLayers.draw_snapshot(held=...)``) and the
bound's curve, touch, peak and caption are not reset on frames that show the
same bound. Frames drawn that way must equal frames drawn the straightforward
way: every frame artist set and drawn anew on every frame, without the pixel
cache — including the half-step tweens (E-step: the new bound rises to touch;
M-step: the cursor slides to its peak).
"""

import numpy as np
import pytest

import vizgmm
from vizgmm.animate.frames import timing as frames
from vizgmm.animate.frames.halfsteps import half_step_history
from vizgmm.animate.scenes import make_scene
from vizgmm.look import presets

# Agg is deterministic and the held gap is drawn over the same pixels as on a
# frame, so the frames are equal; one level of slack would still be invisible.
TOLERANCE = 1


def _walk(method):
    x, _ = vizgmm.walkthrough_data()
    return vizgmm.fit(x, 2, method=method, init=vizgmm.WALKTHROUGH_INIT)


def _frames(history, tween, fast, theme="light", **options):
    scene = make_scene(history, preset=presets.preset("blog"), theme=presets.theme(theme), **options)
    if not fast:
        scene.layers.hold = False
        scene.layers.cache.enabled = False
    pixels, held = [], 0
    for state in frames.frame_states(history, tween):
        pixels.append(np.array(scene.render(state)))
        held += bool(scene.layers.held)
    scene.close()
    return pixels, held


@pytest.mark.parametrize("method, halves, tween, options", [
    ("hard", False, 4, {"panels": ("bound",)}),
    ("soft", False, 3, {"panels": ("bound", "params")}),
    ("hard", True, 3, {"panels": ("bound",)}),
    ("soft", True, 2, {"focus": "bound", "theme": "dark"}),
])
def test_held_gap_frames_equal_straightforward_frames(method, halves, tween, options):
    history = _walk(method)
    if halves:
        history = half_step_history(history)
    plain, held_plain = _frames(history, tween, fast=False, **dict(options))
    fast, held_fast = _frames(history, tween, fast=True, **dict(options))
    assert held_plain == 0
    # Every frame of a snapshot where only the cursor moves holds the gap; not the E-step's rising tweens.
    assert 0 < held_fast < len(fast) if halves else held_fast == len(fast)
    assert len(plain) == len(fast)
    for i, (a, b) in enumerate(zip(plain, fast)):
        assert np.abs(a.astype(int) - b.astype(int)).max() <= TOLERANCE, f"frame {i} differs"


def test_frames_drawn_out_of_order_are_the_same():
    """A rising tween drawn first in its snapshot (a player seeking) must not leave a stale gap behind."""
    history = half_step_history(_walk("hard"))
    tween = 3
    states = list(frames.frame_states(history, tween))
    plain, _ = _frames(history, tween, fast=False, panels=("bound",))
    scene = make_scene(history, preset=presets.preset("blog"), theme=presets.theme("light"), panels=("bound",))
    order = [len(states) - 1, 5, 4, 7, 6, 3, 0, 9, 8]
    for i in order:
        got = np.array(scene.render(states[i]))
        assert np.abs(got.astype(int) - plain[i].astype(int)).max() <= TOLERANCE, f"frame {i} differs"
    scene.close()

"""The fit as a matplotlib ``Animation``, for docs (sphinx-gallery, ``to_jshtml``) and ``Animation.save``.

Each frame is the renderer's own scene (the GIF's and MP4's pixels), shown in
a figure of the same size with one image artist that the animation updates.
Holds (first and last epoch) repeat frames, so any ``interval``-based writer
plays them as the GIF does.
"""

from typing import Any

import numpy as np
from matplotlib.animation import FuncAnimation
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure

from vizgmm.animate.api import check_history
from vizgmm.animate.frames import timing as frames
from vizgmm.animate.frames.halfsteps import half_step_history
from vizgmm.animate.options import resolve, takes_options
from vizgmm.animate.scenes import Scene, scene_for
from vizgmm.animate.writers import registry
from vizgmm.errors import OptionError
from vizgmm.model.history import History

_GIF_OPTIONS = registry.get("gif").options


@takes_options("gif", _GIF_OPTIONS)
def animation(history: History, **opts: Any) -> FuncAnimation:
    """A ``matplotlib.animation.FuncAnimation`` of the fit, frame for frame the GIF's.

    ``.save("em.gif", writer="pillow")``, ``.to_jshtml()``, ``.to_html5_video()``
    and sphinx-gallery's animation scraper work as for any matplotlib animation.
    Options as :func:`vizgmm.render_gif` (the GIF encoder's own, such as
    ``colors``, are accepted and unused).

    Examples
    --------
    >>> from IPython.display import HTML  # doctest: +SKIP
    >>> HTML(vizgmm.animation(history, tween=2).to_jshtml())  # doctest: +SKIP
    """
    options = resolve(opts, "gif", _GIF_OPTIONS)
    if options.max_bytes is not None:
        raise OptionError("max_bytes is a file size budget; an Animation has no file until you save it: leave it out")
    history = check_history(history)
    if options.half_steps:
        history = half_step_history(history)
    timing = frames.timing_of(options)
    count = timing.count(history)
    # A hold is the frame repeated: one interval for every frame, as interval-based writers play.
    sequence = [i for i, r in enumerate(timing.repeats(count)) for _ in range(int(r))]
    scene = scene_for(history, options)
    w, h = scene.size
    dpi = scene.preset["dpi"]
    fig = Figure(figsize=(w / dpi, h / dpi), dpi=dpi)
    FigureCanvasAgg(fig)
    ax = fig.add_axes((0, 0, 1, 1))
    ax.set_axis_off()
    image = ax.imshow(_pixels(scene, history, 0, timing.tween), interpolation="nearest", aspect="auto")

    def draw(index: int) -> tuple[Any, ...]:
        image.set_data(_pixels(scene, history, index, timing.tween))
        return (image,)

    # ``draw`` holds the scene, so it lives as long as the animation does.
    return FuncAnimation(fig, draw, frames=sequence, interval=timing.frame_ms, blit=False, repeat=True,
                         cache_frame_data=False)


def _pixels(scene: Scene, history: History, index: int, tween: int) -> np.ndarray:
    return np.array(scene.render(frames.state_at(history, index, tween))[..., :3])

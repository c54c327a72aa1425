"""The scene for a history: one per dimension, chosen here."""
from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from vizgmm.animate.options import RenderOptions
from vizgmm.animate.scenes.base import Scene
from vizgmm.animate.scenes.scene1d import Scene1D
from vizgmm.animate.scenes.scene2d import Scene2D
from vizgmm.model.history import History

__all__ = ["Scene", "Scene1D", "Scene2D", "make_scene", "scene_for"]


def make_scene(history: History, **scene_options: Any) -> Scene:
    """The scene for a history: :class:`Scene1D` for d = 1, else :class:`Scene2D` (keywords as :class:`Scene`)."""
    cls = Scene1D if history.d == 1 else Scene2D
    return cls(history, **scene_options)


def scene_for(history: History, options: RenderOptions, *, canvas: Mapping[str, Any] | None = None,
              title: str | None = None, view: Any = None, transparent: bool | None = None) -> Scene:
    """The scene that draws ``history`` with one render's options.

    ``canvas`` (default the options' preset), ``title`` (default the options') and ``view`` (shared data limits)
    let a grid of scenes give each panel its own size and title; ``transparent`` defaults to the options'.
    """
    return make_scene(
        history,
        preset=options.canvas if canvas is None else canvas,
        theme=options.colours,
        title=options.title if title is None else title,
        component_names=options.component_names,
        panels=options.panels,
        transparent=options.transparent if transparent is None else transparent,
        show_loglik=options.show_loglik,
        features=options.features,
        aspect=options.aspect,
        trails=options.trails,
        focus=options.focus,
        standardize=options.standardize,
        lang=options.lang,
        view=view,
    )

"""The scene for a history: one per dimension, chosen here."""
from vizgmm.animate.scenes.scene1d import Scene1D
from vizgmm.animate.scenes.scene2d import Scene2D


def make_scene(history, **opts):
    """The scene for a history: :class:`Scene1D` for d = 1, else :class:`Scene2D`."""
    cls = Scene1D if history.d == 1 else Scene2D
    return cls(history, **opts)


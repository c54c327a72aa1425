"""Watching a fit as it runs: ``fit(..., live=...)`` hands the growing History to a view after every epoch.

The model draws nothing and imports no stage above it: a view is any object
with ``update(history, done=False)``, such as the notebook widget
(:func:`vizgmm.widget`), and ``live=True`` asks the view factory the pages
stage registers (:mod:`vizgmm.pages.widget`, loaded with the first
``vizgmm.fit``) for a new one, shown in the notebook.
"""

from vizgmm.errors import OptionError

#: Factories ``() -> view`` registered by the stage that draws; the last one registered is used.
_LIVE_VIEWS: list = []


def register_live_view(factory):
    """Make ``factory()`` the view ``fit(..., live=True)`` updates; returns ``factory``."""
    if factory not in _LIVE_VIEWS:
        _LIVE_VIEWS.append(factory)
    return factory


def live_view(live):
    """The view a fit updates: None for ``live=False``, a new registered view for True, else ``live`` itself."""
    if live is None or live is False:
        return None
    if live is True:
        if not _LIVE_VIEWS:
            raise OptionError("live=True needs vizgmm's notebook widget: call vizgmm.fit (not vizgmm.model.em.fit)")
        return _LIVE_VIEWS[-1]()
    if callable(getattr(live, "update", None)):
        return live
    raise OptionError(f"live must be True, False or a vizgmm.widget to update, got {type(live).__name__}")

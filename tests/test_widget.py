"""vizgmm.widget: the epoch player as an anywidget, its traits, and fit(..., live=...) feeding it."""

import subprocess
import sys

import pytest

import vizgmm
from vizgmm.pages.player import player_script

pytest.importorskip("anywidget")


@pytest.fixture(scope="module")
def feet():
    x, _ = vizgmm.walkthrough_data(seed=0)
    history = vizgmm.fit(x, 2, method="hard", init=vizgmm.WALKTHROUGH_INIT, tol=0, max_iter=6)
    return x, history


def test_the_widget_runs_the_players_own_script(feet):
    import anywidget

    _, history = feet
    w = vizgmm.widget(history, theme="dark")
    assert isinstance(w, anywidget.AnyWidget)
    # One JavaScript source: the player's init, byte for byte, inside the widget's module.
    script = player_script()
    body = script[script.index("  function init(root, options)"):script.index("  var here = document.currentScript")]
    assert len(body) > 10_000 and body in w._esm
    assert "export default" in w._esm and "document.currentScript" not in w._esm
    # The markup is the player's fragment without its script (the module mounts the player itself).
    assert 'class="vzp"' in w._html and 'data-theme="dark"' in w._html
    assert "<script>" not in w._html and 'class="vzp-data"' in w._html


def test_python_sets_and_reads_the_stop(feet):
    _, history = feet
    w = vizgmm.widget(history)
    assert (w.epoch, w.half_step) == (0, "")
    w.epoch, w.half_step = 3, "e"
    assert (w.epoch, w.half_step) == (3, "e")
    assert w.history is history
    assert vizgmm.widget(history, half_steps=True).half_step == "m"  # the start, E and M apart


@pytest.mark.parametrize(("trait", "value", "words"), [
    ("epoch", 7, "epoch must be a recorded epoch, 0 to 6, got 7"),
    ("half_step", "x", "half_step must be '' (whole epochs), 'e' (the E-step) or 'm' (the M-step), got 'x'"),
])
def test_a_stop_that_does_not_exist_is_refused_in_one_line(feet, trait, value, words):
    w = vizgmm.widget(feet[1])
    with pytest.raises(vizgmm.OptionError) as info:
        setattr(w, trait, value)
    assert str(info.value) == words
    assert (w.epoch, w.half_step) == (0, "")


@pytest.mark.parametrize(("style", "words"), [
    ({"live": True}, "the widget plays the recorded fit; for EM in the page write vizgmm.player(history, path, live=True)"),
    ({"script": False}, "unknown widget option 'script'; use any of: theme, title, component_names, features, "
                        "duration_ms, half_steps, loop"),
    ({"theme": "pink"}, "unknown theme 'pink' for the player; use one of: light, dark, auto"),
])
def test_options_the_widget_cannot_use_are_refused_in_one_line(feet, style, words):
    with pytest.raises(vizgmm.OptionError) as info:
        vizgmm.widget(feet[1], **style)
    assert str(info.value) == words


def test_update_shows_a_longer_fit_at_its_last_epoch(feet):
    x, history = feet
    w = vizgmm.widget(history)
    longer = vizgmm.fit(x, 2, method="hard", init=vizgmm.WALKTHROUGH_INIT, tol=0, max_iter=9)
    w.half_step = "e"
    w.update(longer, done=True)
    assert w.history is longer and (w.epoch, w.half_step) == (9, "m")
    assert 'max="18"' not in w._html and 'max="9"' in w._html  # the new fit's slider


def test_fit_hands_every_epoch_to_a_live_view_then_the_ordered_history(feet):
    x, _ = feet

    class Recorder:
        def __init__(self):
            self.calls = []

        def update(self, history, done=False):
            self.calls.append((len(history), done, history))

    view = Recorder()
    # A start whose components come out swapped: the view sees the engine's order, then the final one.
    start = {"means": [270.0, 235.0], "stds": [8.0, 8.0], "weights": [0.5, 0.5]}
    history = vizgmm.fit(x, 2, method="soft", init=start, tol=0, max_iter=5, live=view)
    assert [(n, done) for n, done, _ in view.calls] == [(1, False), (2, False), (3, False), (4, False),
                                                        (5, False), (6, False), (6, True)]
    assert view.calls[-1][2] is history
    assert history.final.means[0, 0] < history.final.means[1, 0]


def test_fit_live_updates_the_widget_it_is_given(feet):
    x, history = feet
    w = vizgmm.widget(history)
    assert 'class="vzp-bound-block"' in w._html
    drawn = []
    w.observe(lambda change: drawn.append((len(w.history), 'class="vzp-bound-block"' in change["new"])), names="_html")
    fitted = vizgmm.fit(x, 2, method="soft", init=vizgmm.WALKTHROUGH_INIT, tol=0, max_iter=8, live=w)
    # The start arrives before EM runs an epoch (drawn without the costly bound view); the end is the
    # returned (ordered) History, drawn whole.
    assert drawn[0] == (1, False) and drawn[-1] == (9, True) and drawn == sorted(drawn)
    assert w.history is fitted and w.epoch == 8


def test_live_refuses_what_it_cannot_update(feet):
    with pytest.raises(vizgmm.OptionError, match="live must be True, False or a vizgmm.widget to update, got str"):
        vizgmm.fit(feet[0], 2, live="yes")


BLOCK_ANYWIDGET = "import sys; sys.modules['anywidget'] = None\n"


def run_without_anywidget(code):
    # A Python in which `import anywidget` fails as it does where the extra is not installed.
    return subprocess.run([sys.executable, "-c", BLOCK_ANYWIDGET + code], capture_output=True, text=True)


def test_without_anywidget_the_widget_asks_for_the_extra_in_one_line():
    code = (
        "import vizgmm\nx, _ = vizgmm.walkthrough_data(seed=0)\n"
        "h = vizgmm.fit(x, 2, method='hard', init=vizgmm.WALKTHROUGH_INIT, tol=0, max_iter=3)\n"
        "print('vzp-data' in h._repr_html_())\n"
        "for call in (lambda: vizgmm.widget(h), lambda: vizgmm.fit(x, 2, live=True)):\n"
        "    try:\n        call()\n    except vizgmm.OptionError as e:\n        print(e)\n"
    )
    proc = run_without_anywidget(code)
    assert proc.returncode == 0, proc.stderr
    lines = proc.stdout.splitlines()
    missing = ("vizgmm.widget needs anywidget: pip install '.[notebook]' from a checkout, or pip install "
               "'vizgmm[notebook]' (a History still shows itself as the player without it)")
    # The static player stays; the widget and a live fit (before it starts) name the extra.
    assert lines == ["True", missing, missing]

"""Issue 20.12: the means' trails fade by default, never run off the frame, and can be turned off."""

import numpy as np
import pytest

import vizgmm
from vizgmm.animate.frames import timing as frames
from vizgmm.animate.scenes import make_scene
from vizgmm.look import presets
from vizgmm.look.trails import FADE_EPOCHS
from vizgmm.pages.player_data import player_payload


@pytest.fixture(scope="module")
def far_start():
    """Two groups and a start far outside them: the first steps come from well beyond the view."""
    rng = np.random.default_rng(7)
    X = np.vstack([rng.normal((-3, 0), 0.6, (300, 2)), rng.normal((3, 1), 0.6, (300, 2))])
    return vizgmm.fit(X, 2, init={"means": [[-40, 30], [40, -30]], "covariances": [np.eye(2) * 4] * 2,
                                  "weights": [0.5, 0.5]}, seed=0, tol=0, max_iter=20)


def _scene(history, **opts):
    return make_scene(history, preset=presets.preset("blog"), theme=presets.theme("light"), **opts)


def _drawn_segments(scene):
    return [lines.get_segments() for lines, _ in scene.trails]


def test_off_draws_no_trail(far_start):
    scene = _scene(far_start, trails="off")
    plain = _scene(far_start, trails="full")
    for state in frames.frame_states(far_start, 0):
        scene.render(state)
        assert all(len(s) == 0 for s in _drawn_segments(scene))
        assert all(len(dots.get_offsets()) == 0 for _, dots in scene.trails)
    # And the pixels say so: "full" draws lines that "off" does not.
    last = frames.state_at(far_start, len(far_start) - 1)
    assert not np.array_equal(np.array(scene.render(last)), np.array(plain.render(last)))


def test_default_trail_stays_in_the_view_and_fades(far_start):
    scene = _scene(far_start)
    assert len(far_start) > FADE_EPOCHS + 2, "the fit must run longer than a trail keeps steps"
    scene.render(frames.state_at(far_start, len(far_start) - 1))
    (x0, x1), (y0, y1) = scene.ax.get_xlim(), scene.ax.get_ylim()
    for (lines, _), segments in zip(scene.trails, _drawn_segments(scene)):
        assert 0 < len(segments) <= FADE_EPOCHS
        for seg in segments:
            assert np.all((seg[:, 0] >= x0) & (seg[:, 0] <= x1) & (seg[:, 1] >= y0) & (seg[:, 1] <= y1))
        alpha = lines.get_colors()[:, 3]
        assert alpha[-1] > alpha[0], "older steps are fainter"
    # "full" still draws the whole path, the far start included.
    full = _scene(far_start, trails="full")
    full.render(frames.state_at(far_start, len(far_start) - 1))
    assert len(_drawn_segments(full)[0]) == len(far_start) - 1


def test_the_player_takes_the_option(far_start):
    from vizgmm.pages.player import player_fragment

    assert player_payload(far_start, bound=False).get("trails") is None  # the page adds it: the option's
    for mode in ("fade", "full", "off"):
        html = str(player_fragment(far_start, trails=mode))
        assert f'"trails":{{"mode":"{mode}","fade":{FADE_EPOCHS}' in html
    with pytest.raises(vizgmm.VizgmmError, match="trails"):
        player_fragment(far_start, trails="none")


@pytest.mark.browser
def test_the_player_draws_the_frames_rule(far_start, browser, tmp_path):
    counts = {}
    for mode in ("fade", "full", "off"):
        path = vizgmm.player(far_start, tmp_path / f"{mode}.html", trails=mode)
        page = browser.new_page()
        page.goto(path.as_uri() + f"#epoch={far_start[-1].epoch}")
        page.wait_for_selector(".vzp-scene")
        counts[mode] = page.eval_on_selector_all(".vzp-trail line", "els => els.length")
        inside = page.evaluate("""() => {
            const box = document.querySelector('.vzp-axes').getBBox();
            return [...document.querySelectorAll('.vzp-trail line')].every(l =>
                ['x1', 'x2'].every(a => +l.getAttribute(a) >= box.x - 0.1 && +l.getAttribute(a) <= box.x + box.width + 0.1) &&
                ['y1', 'y2'].every(a => +l.getAttribute(a) >= box.y - 0.1 && +l.getAttribute(a) <= box.y + box.height + 0.1));
        }""")
        if mode == "fade":
            assert inside
        page.close()
    assert counts["off"] == 0
    assert 0 < counts["fade"] <= 2 * FADE_EPOCHS
    assert counts["full"] == 2 * (len(far_start) - 1)

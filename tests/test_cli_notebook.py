"""In Jupyter a History shows itself as the epoch player (History._repr_html_), or a GIF/MP4 on request."""

import base64
import io
import re

import imageio.v3 as iio
import numpy as np
import pytest

import vizgmm
from vizgmm.pages.notebook import history_html


@pytest.fixture(scope="module")
def history():
    x, labels = vizgmm.walkthrough_data(seed=0)
    h = vizgmm.fit(x, 2, method="hard", init=vizgmm.WALKTHROUGH_INIT, tol=0, max_iter=4)
    h.true_labels = labels
    return h


def embedded(html, mime):
    match = re.search(rf'data:{mime};base64,([A-Za-z0-9+/=]+)"', html)
    assert match, html[:200]
    return base64.b64decode(match.group(1))


def test_repr_html_is_the_epoch_player(history):
    html = history._repr_html_()
    assert 'class="vzp"' in html and "vzp-data" in html
    assert "hard EM, k=2" in re.search(r"<figcaption[^>]*>(.*)</figcaption>", html).group(1)


def test_gif_format_is_an_inline_gif_of_every_epoch(history):
    html = history_html(history, format="gif")
    frames = iio.imread(io.BytesIO(embedded(html, "image/gif")), index=None, extension=".gif")
    assert frames.shape[1:3] == (480, 640)  # the small blog preset
    assert frames.shape[0] >= len(history)
    assert not np.array_equal(frames[0], frames[-1])
    caption = re.search(r"<figcaption[^>]*>(.*)</figcaption>", html).group(1)
    assert "hard EM, k=2" in caption and "4 epochs" in caption and "n=1,000" in caption


def test_user_strings_are_escaped_and_the_cache_follows_meta(history):
    history.meta["title"] = '<script>alert("x")</script> & 발'
    html = history._repr_html_()
    assert '<script>alert("x")' not in html
    assert "&lt;script&gt;" in html and "&amp; 발" in html
    gif = history_html(history, format="gif")
    assert '<script>alert("x")' not in gif and "&amp; 발" in gif
    assert history_html(history, format="gif") is gif  # shown again: not rendered again
    history.meta["title"] = "Foot sizes"
    assert "Foot sizes" in history._repr_html_()
    assert "Foot sizes" in history_html(history, format="gif")


def test_mp4_format_is_a_video_element(history):
    html = history_html(history, format="mp4")
    assert re.search(r"<video [^>]*controls", html)
    assert embedded(html, "video/mp4")[4:8] == b"ftyp"


def test_unknown_format_is_one_line_error(history):
    with pytest.raises(vizgmm.OptionError, match="use one of: player, gif, mp4"):
        history_html(history, format="webm")


@pytest.mark.browser
def test_notebook_fragment_shows_in_chromium(history, browser):
    page = browser.new_page()
    try:
        page.set_content(f"<!doctype html><meta charset=utf-8><body>{history_html(history, format='gif')}</body>")
        page.wait_for_function("document.querySelector('img').complete")
        size = page.evaluate("[document.querySelector('img').naturalWidth, document.querySelector('img').naturalHeight]")
        assert size == [640, 480]
    finally:
        page.close()

"""The epoch player's file: small, self-contained, scoped, reproducible; its CLI; the fit in words."""

import base64
import hashlib
import re

import numpy as np
import pytest
from cli_helpers import assert_one_line_error, run

import vizgmm
from vizgmm.pages.description import describe_fit


@pytest.fixture(scope="module")
def walk():
    x, sexes = vizgmm.walkthrough_data(seed=0)
    h = vizgmm.fit(x, 2, method="hard", init=vizgmm.WALKTHROUGH_INIT, tol=0, max_iter=10)
    h.meta.update(feature_names=["foot size (mm)"], title="Foot sizes")
    h.true_labels = sexes
    return h


def scripts(html):
    return re.findall(r"<script>(.*?)</script>", html, flags=re.S)


def test_walkthrough_player_is_small_self_contained_and_allowed_by_its_own_policy(walk, tmp_path):
    path = vizgmm.player(walk, tmp_path / "player.html")
    html = path.read_text(encoding="utf-8")
    size = path.stat().st_size
    print(f"walk-through player: {size:,} bytes")
    assert size <= 300_000
    # Nothing to fetch: no src/href but fragment links, no URL but the SVG namespace.
    assert not re.search(r'(?:src|href)="(?!#|data:)', html)
    assert set(re.findall(r"https?://[^\s\"')]+", html)) <= {"http://www.w3.org/2000/svg"}
    # The one executable script is exactly the one the page's Content-Security-Policy names.
    (code,) = scripts(html)
    digest = "sha256-" + base64.b64encode(hashlib.sha256(code.encode("utf-8")).digest()).decode()
    csp = re.search(r'http-equiv="Content-Security-Policy" content="([^"]+)"', html).group(1)
    assert f"script-src '{digest}'" in csp and "default-src 'none'" in csp and "unsafe" not in csp.split("script-src")[1]


def test_same_history_gives_the_same_bytes(walk, tmp_path):
    a = vizgmm.player(walk, tmp_path / "a.html").read_bytes()
    b = vizgmm.player(walk, tmp_path / "b.html").read_bytes()
    assert a == b


def test_embed_is_one_scoped_fragment(walk, tmp_path):
    html = vizgmm.player(walk, tmp_path / "frag.html", embed=True, half_steps=True).read_text(encoding="utf-8")
    assert html.startswith('<div class="vzp" id="vzp-') and html.rstrip().endswith("</div>")
    assert not re.search(r"<(?:html|head|body|meta|link)\b", html)
    pid = re.match(r'<div class="vzp" id="([^"]+)"', html).group(1)
    css = re.search(r"<style>(.*?)</style>", html, flags=re.S).group(1)
    css = re.sub(r"/\*.*?\*/", "", css, flags=re.S)
    selectors = [s.strip() for block in re.findall(r"([^{}]+)\{", css) for s in block.split(",")]
    for selector in selectors:
        assert selector.startswith(f"#{pid}") or selector.startswith("@media"), selector
    # The script declares nothing global: all of it sits inside one function.
    (code,) = scripts(html)
    assert code.strip().startswith("(function () {") and code.strip().endswith("})();")


@pytest.mark.slow
def test_a_million_point_history_gives_a_player_under_2_mb(tmp_path):
    rng = np.random.default_rng(0)
    x = np.concatenate([rng.normal(240, 7, 700_000), rng.normal(270, 6, 300_000)])
    history = vizgmm.fit(x, 2, method="soft", seed=0, max_iter=30, tol=0)
    path = vizgmm.player(history, tmp_path / "big.html")
    size = path.stat().st_size
    print(f"1e6-point player ({history.epochs} epochs): {size:,} bytes")
    assert size <= 2_000_000
    html = path.read_text(encoding="utf-8")
    m = int(re.search(r'"m":(\d+)', html).group(1))
    assert m == 5000  # a subsample is drawn; the histogram is computed from every point


def test_description_tells_the_fit_from_its_numbers(walk):
    text = describe_fit(walk)
    assert text.startswith("Hard EM fits 2 normal components to 1,000 values of foot size (mm)")
    assert "the means move from 210.0 and 290.0 to" in text and "in 10 epochs" in text
    final = walk.final
    assert f"{final.means[0, 0]:.1f} and {final.means[1, 0]:.1f}" in text
    assert f"the weights φ end at {final.weights[0]:.2f} and {final.weights[1]:.2f}" in text
    assert "rises from" in text
    named = describe_fit(walk, ["여자", "남자"])
    assert "(여자 and 남자)" in named


def test_description_of_2d_data_names_the_features():
    rng = np.random.default_rng(0)
    X = np.vstack([rng.normal([0, 0], 1, (200, 2)), rng.normal([5, 5], 1, (200, 2))])
    history = vizgmm.fit(X, 2, seed=0)
    history.meta["feature_names"] = ["width", "height"]
    text = describe_fit(history)
    assert "2 2-dimensional normal components to 400 points (width, height)" in text
    assert "EM converged." in text


def test_report_uses_the_description_as_the_gif_alt(walk, tmp_path):
    html = vizgmm.report(walk, tmp_path / "r.html", animation="gif").read_text(encoding="utf-8")
    alt = re.search(r'<img class="figure animation"[^>]* alt="([^"]+)"', html).group(1)
    assert alt == describe_fit(walk)
    assert 'class="vzp"' in html and 'class="vzp-fallback"' in html


# -- the command line -------------------------------------------------------------------------
@pytest.fixture(scope="module")
def saved(walk, tmp_path_factory):
    folder = tmp_path_factory.mktemp("saved")
    walk.save(folder / "history.json")
    return folder


def test_cli_player_writes_the_page_and_the_fragment(saved, tmp_path):
    run(tmp_path, "player", saved / "history.json", "-o", tmp_path / "p.html", "--half-steps", "--theme", "auto")
    page = (tmp_path / "p.html").read_text(encoding="utf-8")
    assert page.startswith("<!DOCTYPE html>") and 'data-theme="auto"' in page and '"half":true' in page
    run(tmp_path, "player", saved / "history.json", "-o", tmp_path / "f.html", "--embed", "-q")
    assert (tmp_path / "f.html").read_text(encoding="utf-8").startswith('<div class="vzp"')
    run(tmp_path, "player", saved / "history.json", "-q")
    assert (saved / "player.html").is_file()


@pytest.mark.parametrize(
    ("args", "words"),
    [
        (["--duration-ms", "1"], ["--duration-ms", "10"]),
        (["--features", "1,3"], ["--features", "column 3"]),
        (["--theme", "sepia"], ["--theme", "invalid choice"]),
        (["--component-names", "a,b,c"], ["3 names", "2"]),
    ],
)
def test_cli_player_bad_options_are_one_line(saved, tmp_path, args, words):
    proc = run(tmp_path, "player", saved / "history.json", "-o", tmp_path / "x.html", *args, check=False)
    assert_one_line_error(proc, *words)
    assert not (tmp_path / "x.html").exists()


def test_cli_player_missing_history_is_one_line(tmp_path):
    assert_one_line_error(run(tmp_path, "player", tmp_path / "none.json", check=False), "does not exist")


def test_fit_writes_the_animation_in_words_beside_it(tmp_path):
    x, _ = vizgmm.walkthrough_data(seed=0)
    np.savetxt(tmp_path / "feet.txt", x)
    run(tmp_path, "fit", "feet.txt", "-k", "2", "--max-iter", "3", "--no-mp4", "--no-html", "--out", "out", "-q")
    text = (tmp_path / "out" / "animation.txt").read_text(encoding="utf-8")
    history = vizgmm.History.load(tmp_path / "out" / "history.json")
    assert text == describe_fit(history) + "\n"


# -- the frames, E-step and M-step apart ---------------------------------------------------------
def test_half_step_history_puts_new_parameters_on_old_labels(walk):
    from vizgmm.animate.frames.halfsteps import half_step_history

    halves = half_step_history(walk)
    assert len(halves) == 2 * walk.epochs + 1
    for i in range(1, len(walk)):
        e, m = halves[2 * i - 2], halves[2 * i - 1]
        assert (e.step, m.step) == ("E-step", "M-step") and e.epoch == m.epoch == i
        np.testing.assert_array_equal(e.means, walk[i - 1].means)  # the E-step keeps the parameters ...
        np.testing.assert_array_equal(e.labels, walk[i - 1].labels)  # ... and labels the points under them
        np.testing.assert_array_equal(m.means, walk[i].means)  # the M-step moves them ...
        np.testing.assert_array_equal(m.labels, walk[i - 1].labels)  # ... to fit the E-step's labels
        np.testing.assert_array_equal(m.counts, walk[i - 1].counts)
    np.testing.assert_array_equal(halves[-1].labels, walk.final.labels)


def test_half_step_frames_say_which_half_they_show(walk, tmp_path):
    from vizgmm.animate.frames.halfsteps import half_step_history
    from vizgmm.animate.frames.timing import state_at
    from vizgmm.animate.scenes import make_scene
    from vizgmm.look import presets

    paths = vizgmm.render_frames(walk, tmp_path / "frames", half_steps=True, hold_first_ms=0, hold_last_ms=0)
    assert len(paths) == 2 * walk.epochs + 1
    halves = half_step_history(walk)
    scene = make_scene(halves, preset=presets.preset("blog"), theme=presets.theme("light"), panels=("loglik",))
    titles = []
    for index in (0, 1, 2, len(halves) - 1):
        scene.render(state_at(halves, index))
        titles.append(scene.title_text.get_text().split("  ·  ")[0])
    scene.close()
    assert titles == ["Epoch 1 · E-step", "Epoch 1 · M-step", "Epoch 2 · E-step", "Epoch 10"]


def test_cli_render_half_steps_writes_two_frames_per_epoch(saved, tmp_path):
    run(tmp_path, "render", saved / "history.json", "--half-steps", "--no-gif", "--no-mp4", "--frames",
        "--out", tmp_path / "halves", "-q")
    plain = run(tmp_path, "render", saved / "history.json", "--no-gif", "--no-mp4", "--frames",
                "--out", tmp_path / "whole", "-q")
    assert plain.returncode == 0
    halves = len(list((tmp_path / "halves" / "frames").glob("*.png")))
    whole = len(list((tmp_path / "whole" / "frames").glob("*.png")))
    assert halves - whole == 10  # one more stop per epoch, holds alike


def test_the_description_of_thirteen_features_names_three_and_says_how_many_more():
    # Wine: 13 features. The alt text gave every mean as a 13-number tuple, six of them, and all 13 names.
    from sklearn.datasets import load_wine

    from vizgmm.pages.description import describe_fit

    data = load_wine()
    history = vizgmm.fit(data.data, 3, seed=0)
    history.meta["feature_names"] = list(data.feature_names)
    text = describe_fit(history)
    assert "(alcohol, malic_acid, ash and 10 more features)" in text
    assert "in their first 3 of 13 features" in text
    tuples = re.findall(r"\(([^()]*)\)", text.split("features)", 1)[1])
    assert len(tuples) == 6 and all(t.count(",") == 3 and t.endswith("…") for t in tuples), tuples
    assert "proline" not in text
    korean = describe_fit(history, lang="ko")
    assert "외 특성 10개" in korean and "특성 13개 중 처음 3개" in korean


def test_the_player_table_of_four_features_gives_means_in_data_units_as_the_frames_do():
    # The 4-D player's table gave μ along the drawn principal components ("μ (projected)", e.g.
    # (−0.91, −0.01)) while the frames' table gave millimetres: two tables of one fit in two unit systems.
    from sklearn.datasets import load_iris

    from vizgmm.look.notes import format_value
    from vizgmm.pages.player_data import player_payload

    history = vizgmm.fit(load_iris().data, 3, seed=0)
    payload = player_payload(history)
    assert payload["columns"] == ["μ (columns 1–3)", "φ"]
    final = history.final.means
    for j, row in enumerate(payload["table"][-1]):
        assert row[0] == "(" + ", ".join(format_value(v) for v in final[j, :3]) + ", …)"
    assert row[0] == "(6.55, 2.95, 5.49, …)"  # iris' third group in centimetres
    assert player_payload(history, lang="ko")["columns"][0] == "μ (1–3번째 열)"

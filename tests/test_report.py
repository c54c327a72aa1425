"""The HTML report: its numbers, its safety with hostile names, its templates and its size."""

import base64
import copy
import importlib
import io
import itertools
import re
from pathlib import Path

import html5lib
import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from sklearn.metrics import adjusted_rand_score

import vizgmm
from vizgmm.animate.api import render_gif, render_mp4
from vizgmm.pages.build import report
from vizgmm.pages.formatting import format_number
from vizgmm.pages.scores import adjusted_rand_index, matched_accuracy
from vizgmm.pages.templates import default_template_dir

HOSTILE = {
    "title": "<script>alert(1)</script>",
    "source": '"><img src=x onerror=alert(2)>.csv',
    "feature": "</code><script>alert(3)</script>",
    "component": "<b onmouseover=alert(4)>A</b>",
    "command": "vizgmm fit '</pre><script>alert(5)</script>'",
}
NS = "{http://www.w3.org/1999/xhtml}"


# -- fixtures: real fits ------------------------------------------------------------------
@pytest.fixture(scope="module")
def walk(walk, walkthrough_data):
    """The shared walk-through fit (conftest.py), copied, with the true sexes."""
    history = copy.deepcopy(walk)
    history.true_labels = walkthrough_data[1]
    return history


@pytest.fixture(scope="module")
def selection():
    """A real model selection over k = 1..3 with three restarts each."""
    x, _ = vizgmm.walkthrough_data(seed=1)
    return vizgmm.select(x, [1, 2, 3], n_init=3, seed=0)


def parse(path):
    """The report as an element tree; html5lib's strict mode raises on any malformed markup."""
    return html5lib.HTMLParser(strict=True, namespaceHTMLElements=True).parse(Path(path).read_bytes())


def text_of(element):
    return "".join(element.itertext())


def section(tree, section_id):
    found = [e for e in tree.iter(f"{NS}section") if e.get("id") == section_id]
    assert len(found) == 1, f"expected one section #{section_id}"
    return found[0]


def body_rows(table):
    """The table's rows, without the epoch table's event lines (each under its epoch's row)."""
    return [tr for tr in table.find(f"{NS}tbody").iter(f"{NS}tr") if tr.get("class") != "events"]


# -- scores against true labels -------------------------------------------------------------
labellings = st.integers(1, 60).flatmap(
    lambda n: st.tuples(
        st.lists(st.integers(0, 4), min_size=n, max_size=n),
        st.lists(st.integers(0, 5), min_size=n, max_size=n),
    )
)


@settings(max_examples=200, deadline=None)
@given(labellings)
def test_adjusted_rand_index_equals_scikit_learn(pair):
    truth, fitted = pair
    assert adjusted_rand_index(truth, fitted) == pytest.approx(adjusted_rand_score(truth, fitted), abs=1e-12)


def test_adjusted_rand_index_of_a_renamed_partition_is_one_and_large_n_does_not_overflow():
    rng = np.random.default_rng(0)
    truth = rng.integers(0, 3, size=2_000_000)
    renamed = np.array([2, 0, 1])[truth]
    assert adjusted_rand_index(truth, renamed) == 1.0
    noisy = np.where(rng.random(truth.size) < 0.1, rng.integers(0, 3, truth.size), truth)
    assert adjusted_rand_index(truth, noisy) == pytest.approx(adjusted_rand_score(truth, noisy), abs=1e-12)


def test_matched_accuracy_is_the_best_of_all_label_permutations():
    rng = np.random.default_rng(3)
    truth = rng.integers(0, 3, size=300)
    fitted = np.where(rng.random(300) < 0.3, rng.integers(0, 3, 300), (truth + 1) % 3)
    accuracy, pairs = matched_accuracy(truth, fitted)
    brute = max(np.mean(np.array(perm)[fitted] == truth) for perm in itertools.permutations(range(3)))
    assert accuracy == pytest.approx(brute)
    assert sorted(pairs) == [(0, 1), (1, 2), (2, 0)]


def test_matched_accuracy_with_more_components_than_classes_counts_extras_as_wrong():
    truth = np.array([0, 0, 0, 0, 1, 1, 1, 1])
    fitted = np.array([0, 0, 2, 2, 1, 1, 1, 1])
    accuracy, _ = matched_accuracy(truth, fitted)
    assert accuracy == pytest.approx(6 / 8)


def test_string_class_names_label_the_confusion_matrix(walk, tmp_path):
    sexes = np.where(walk.true_labels == 0, "woman", "man")
    tree = parse(report(walk, tmp_path / "walk.html", animation="none", true_labels=sexes))
    rows = body_rows(section(tree, "true-labels").find(f".//{NS}table"))
    assert [text_of(r[0]) for r in rows] == ["man", "woman"]
    assert [int(text_of(r[-1])) for r in rows] == [300, 700]


@pytest.mark.parametrize(
    "value, digits, shown",
    [(239.1234, 4, "239.1"), (-3912.3456, 7, "-3,912.346"), (0.7021, 3, "0.702"), (1.2e-5, 4, "1.200e-05"),
     (12345678.9, 6, "12,345,679"), (0.0, 4, "0"), (float("nan"), 4, "NaN")],
)
def test_numbers_read_sensibly(value, digits, shown):
    assert format_number(value, digits) == shown


# -- what the page says ----------------------------------------------------------------------
def test_report_states_the_fit_and_has_one_table_row_per_snapshot(walk, tmp_path):
    path = report(walk, tmp_path / "walk.html", animation="none")
    assert path == tmp_path / "walk.html"
    tree = parse(path)
    page = text_of(tree)
    summary = text_of(section(tree, "summary"))
    for fact in (
        f"{walk.n}", "hard EM", "explicit", "did not converge",
        format_number(walk.final.log_likelihood, 7), format_number(walk.bic(), 7), format_number(walk.aic(), 7),
        "lower is better",
    ):
        assert fact in summary, fact
    rows = body_rows(section(tree, "snapshots").find(f".//{NS}table"))
    assert len(rows) == len(walk) == 11
    # Row 3 holds epoch 3's parameters, as the walk-through prints them: μ 239.1 / 267.6, σ 6.326 / 7.224.
    cells = [text_of(td) for td in rows[3]]
    assert cells[0] == "3"
    assert "239.1" in cells[2] and "267.6" in cells[2]
    assert "6.326" in cells[3] and "7.224" in cells[3]
    change = walk[3].log_likelihood - walk[2].log_likelihood
    assert cells[7] == "+" + format_number(change, 3)
    # The default command repeats the fit.
    assert "vizgmm.fit(X, 2, method='hard'" in text_of(section(tree, "reproducibility"))
    assert "Against the true labels" in page


def test_true_labels_give_accuracy_ari_and_a_confusion_matrix(walk, tmp_path):
    tree = parse(report(walk, tmp_path / "walk.html", animation="none"))
    scores = section(tree, "true-labels")
    truth, fitted = walk.true_labels, walk.final.labels
    accuracy, _ = matched_accuracy(truth, fitted)
    assert accuracy > 0.95
    text = text_of(scores)
    assert f"{format_number(accuracy * 100, 4)} %" in text
    assert format_number(adjusted_rand_score(truth, fitted), 4) in text
    matrix = [[int(text_of(td)) for td in row.findall(f"{NS}td")] for row in body_rows(scores.find(f".//{NS}table"))]
    counts = np.array(matrix)[:, :-1]
    assert counts.sum() == walk.n
    assert counts[0].sum() == 700 and counts[1].sum() == 300  # 700 women, 300 men
    matched = [td for td in scores.iter(f"{NS}td") if "matched" in td.get("class", "")]
    assert sum(int(text_of(td)) for td in matched) == round(accuracy * walk.n)


def test_hostile_names_show_as_text_and_add_no_markup(walk, tmp_path):
    walk_meta = dict(walk.meta)
    walk.meta.update(source=HOSTILE["source"], feature_names=[HOSTILE["feature"]],
                     component_names=[HOSTILE["component"], "B"])
    try:
        path = report(walk, tmp_path / "hostile.html", title=HOSTILE["title"], command=HOSTILE["command"],
                      animation="none")
    finally:
        walk.meta = walk_meta
    tree = parse(path)
    assert list(tree.iter(f"{NS}script")) == []
    assert [el.tag for el in tree.iter() if any(a.lower().startswith("on") for a in el.attrib)] == []
    assert all(img.get("src").startswith("data:image/") for img in tree.iter(f"{NS}img"))
    assert text_of(tree.find(f".//{NS}title")).startswith(HOSTILE["title"])
    assert text_of(tree.find(f".//{NS}h1")) == HOSTILE["title"]
    page = text_of(tree)
    for value in HOSTILE.values():
        assert value in page


def test_the_page_fetches_nothing(walk, tmp_path):
    html = report(walk, tmp_path / "walk.html", animation="none").read_text(encoding="utf-8")
    assert "default-src 'none'" in html
    urls = re.findall(r"""(?:src|href|poster|action|data)\s*=\s*["']?([^"'\s>]+)""", html)
    assert urls and all(u.startswith(("data:", "#", "./")) for u in urls), urls
    assert "url(" not in html and "@import" not in html and "<script" not in html


def test_two_dimensional_fit_reports_axis_spreads_and_correlation(tmp_path):
    rng = np.random.default_rng(5)
    X = np.vstack([rng.multivariate_normal([0, 0], [[1, 0.8], [0.8, 1]], 200),
                   rng.multivariate_normal([5, 5], [[1, 0], [0, 2]], 200)])
    history = vizgmm.fit(X, 2, seed=0)
    tree = parse(report(history, tmp_path / "2d.html", animation="none"))
    table = section(tree, "snapshots").find(f".//{NS}table")
    rows = body_rows(table)
    assert len(rows) == len(history)
    # The convergence note is the line under the last epoch's row, spanning the table (not a ninth column).
    every = list(table.find(f"{NS}tbody").iter(f"{NS}tr"))
    assert every[-1].get("class") == "events" and every[-2] is rows[-1]
    assert text_of(every[-1]).startswith("converged after")
    assert len(rows[-1]) == 8 == len(table.find(f"{NS}thead").find(f"{NS}tr"))
    final = history.final
    lines = [text_of(span) for span in rows[-1][3]]
    assert len(lines) == 2
    for j, line in enumerate(lines):
        sd = np.sqrt(np.diag(final.covariances[j]))
        rho = final.covariances[j][0, 1] / (sd[0] * sd[1])
        assert line == f"σ ({format_number(sd[0], 3)}, {format_number(sd[1], 3)}), ρ {format_number(rho, 2)}"
    # The correlated component (drawn with ρ = 0.8) reads as such.
    assert any(line.endswith(("ρ 0.79", "ρ 0.80", "ρ 0.81")) for line in lines)


def test_selection_and_restarts_fill_their_slots(walk, selection, tmp_path):
    restarts = selection.fits[2]
    tree = parse(report(walk, tmp_path / "sel.html", animation="none", selection=selection, restarts=restarts))
    chosen = section(tree, "selection")
    rows = body_rows(chosen.find(f".//{NS}table"))
    assert [text_of(r[0]).split()[0] for r in rows] == ["1", "2", "3"]
    marked = [text_of(r[0]).split()[0] for r in rows if r.get("class") == "chosen"]
    assert marked == [str(selection.best_k)] == ["2"]
    svg = chosen.find(".//{http://www.w3.org/2000/svg}svg")
    assert len(svg.findall(".//{http://www.w3.org/2000/svg}polyline")) == 2  # BIC and AIC
    assert f"chosen k = {selection.best_k}" in text_of(svg)
    assert selection.summary in text_of(chosen)

    runs = section(tree, "restarts")
    lines = runs.findall(".//{http://www.w3.org/2000/svg}g")
    drawn = [g for g in lines if "series" in g.get("class", "")]
    assert len(drawn) == len(restarts)
    best = int(np.argmax([h.final.log_likelihood for h in restarts]))
    highlighted = [g for g in drawn if "highlight" in g.get("class")]
    assert len(highlighted) == 1 and text_of(highlighted[0]).strip() == f"restart {best + 1} (chosen)"
    # One SVG point per epoch of that restart.
    assert len(highlighted[0].find("{http://www.w3.org/2000/svg}polyline").get("points").split()) == len(restarts[best])


# -- templates ---------------------------------------------------------------------------------
def test_a_user_template_folder_overrides_by_name_and_falls_back_for_the_rest(walk, tmp_path):
    mine = tmp_path / "mine"
    (mine / "partials").mkdir(parents=True)
    (mine / "partials" / "summary.html").write_text(
        '<section id="summary"><p class="mine">Our lab: {{ fit.k }} groups, {{ title }}</p></section>\n'
    )
    tree = parse(report(walk, tmp_path / "r.html", title="<i>x</i>", animation="none", template_dir=mine))
    assert text_of(section(tree, "summary")) == "Our lab: 2 groups, <i>x</i>"
    assert len(body_rows(section(tree, "snapshots").find(f".//{NS}table"))) == len(walk)  # default partial


def test_a_template_error_is_one_line_and_leaves_no_file(walk, tmp_path):
    mine = tmp_path / "mine"
    mine.mkdir()
    (mine / "report.html").write_text('{% extends "base.html" %}{% block content %}{{ no_such_thing }}{% endblock %}')
    target = tmp_path / "r.html"
    with pytest.raises(vizgmm.OptionError, match="no_such_thing") as caught:
        report(walk, target, animation="none", template_dir=mine)
    assert "\n" not in str(caught.value)
    assert list(tmp_path.glob("*.html")) == [] and list(tmp_path.glob(".r.*")) == []


@pytest.mark.parametrize(
    "kwargs, error",
    [
        ({"animation": "webm"}, vizgmm.OptionError),
        ({"template_dir": "/no/such/folder"}, vizgmm.OptionError),
        ({"true_labels": [0, 1, 0]}, vizgmm.DataError),
        ({"gif_path": "/no/such.gif", "animation": "gif"}, vizgmm.OptionError),
    ],
)
def test_bad_options_raise_one_line_errors_and_write_nothing(walk, tmp_path, kwargs, error):
    with pytest.raises(error) as caught:
        report(walk, tmp_path / "r.html", **kwargs)
    assert "\n" not in str(caught.value)
    assert not (tmp_path / "r.html").exists()


def test_the_checkout_finds_its_top_level_templates():
    assert (default_template_dir() / "report.html").is_file()
    assert (default_template_dir() / "base.html").is_file()


# -- the animation inside ---------------------------------------------------------------------
def data_uri_bytes(uri, mime):
    prefix = f"data:{mime};base64,"
    assert uri.startswith(prefix)
    return base64.b64decode(uri[len(prefix):])


def test_given_animation_files_are_embedded_byte_for_byte_and_named(walk, tmp_path):
    gif = render_gif(walk, tmp_path / "walk.gif")
    mp4 = render_mp4(walk, tmp_path / "walk.mp4")
    tree = parse(report(walk, tmp_path / "walk.html", gif_path=gif, mp4_path=mp4))
    anim = section(tree, "animation")
    video = anim.find(f".//{NS}video")
    for flag in ("autoplay", "muted", "loop", "playsinline", "controls"):
        assert flag in video.attrib
    assert data_uri_bytes(video.find(f"{NS}source").get("src"), "video/mp4") == Path(mp4).read_bytes()
    assert data_uri_bytes(video.find(f"{NS}img").get("src"), "image/gif") == Path(gif).read_bytes()
    links = {a.get("href"): text_of(a) for a in anim.iter(f"{NS}a")}
    assert links == {"./walk.mp4": "walk.mp4", "./walk.gif": "walk.gif"}


def test_gif_only_report_embeds_a_playable_gif_and_no_video(walk, tmp_path):
    from PIL import Image

    tree = parse(report(walk, tmp_path / "gif.html", animation="gif"))
    anim = section(tree, "animation")
    assert anim.find(f".//{NS}video") is None
    img = anim.find(f".//{NS}img")
    with Image.open(io.BytesIO(data_uri_bytes(img.get("src"), "image/gif"))) as gif:
        assert gif.n_frames > 1
        assert (gif.width, gif.height) == (int(img.get("width")), int(img.get("height")))
    assert "Embedded only" in text_of(anim)


def test_a_gif_too_big_for_the_page_stays_a_standalone_file(walk, tmp_path, monkeypatch):
    gif = render_gif(walk, tmp_path / "walk.gif")
    mp4 = render_mp4(walk, tmp_path / "walk.mp4")
    monkeypatch.setattr(importlib.import_module("vizgmm.pages.media"), "FALLBACK_BUDGET", Path(mp4).stat().st_size)
    path = report(walk, tmp_path / "walk.html", gif_path=gif, mp4_path=mp4)
    anim = section(parse(path), "animation")
    assert anim.find(f".//{NS}video").find(f"{NS}img") is None
    assert "The GIF is not embedded" in text_of(anim)
    assert "./walk.gif" in [a.get("href") for a in anim.iter(f"{NS}a")]
    assert path.stat().st_size < Path(mp4).stat().st_size * 4 / 3 + 200_000


def test_the_demo_report_stays_under_two_megabytes(walk, tmp_path):
    """The walk-through demo (10 epochs, default 640x480 animation): MP4 with the GIF fallback."""
    gif = render_gif(walk, tmp_path / "demo.gif")
    mp4 = render_mp4(walk, tmp_path / "demo.mp4")
    path = report(walk, tmp_path / "demo.html", gif_path=gif, mp4_path=mp4)
    size = path.stat().st_size
    print(f"demo report {size / 1e6:.2f} MB (gif {Path(gif).stat().st_size / 1e6:.2f} MB, "
          f"mp4 {Path(mp4).stat().st_size / 1e6:.2f} MB)")
    assert size < 2_000_000


def test_something_other_than_a_history_is_refused_with_a_pointer(tmp_path):
    with pytest.raises(vizgmm.OptionError, match="expected a vizgmm History"):
        report({"means": [1, 2]}, tmp_path / "r.html")
    assert not (tmp_path / "r.html").exists()


def test_seed_of_a_selected_model_is_the_seed_the_user_gave(tmp_path):
    x, _ = vizgmm.walkthrough_data(seed=0)
    selection = vizgmm.select(x, [2], n_init=2, seed=7)
    best = selection.best
    assert best.settings["seed"] != 7  # a restart runs with its own derived seed
    html = report(best, tmp_path / "r.html", animation="none", restarts=selection.restarts).read_text(encoding="utf-8")
    seed = re.search(r"<dt>Seed</dt><dd>(.*?)</dd>", html).group(1)
    assert seed.startswith("<code>7</code>") and str(best.settings["seed"]) not in seed
    # the derived seeds stay in the restarts table
    assert f'<td class="num">{best.settings["seed"]}</td>' in html


def test_summary_events_leave_convergence_to_its_own_line(tmp_path):
    # Convergence was listed under Events ("epoch 6: converged after 6 epochs"): the filter compared
    # the message after its "epoch N: " prefix was added, so it never matched.
    from sklearn.datasets import load_iris

    history = vizgmm.fit(load_iris().data, 3, method="hard", seed=0)
    assert history.converged and any(e["type"] == "converged" for s in history for e in s.events)
    tree = parse(report(history, tmp_path / "iris.html", animation="none"))
    summary = section(tree, "summary")
    terms = [text_of(dt) for dt in summary.iter(f"{NS}dt")]
    assert "Events" not in terms
    assert "converged" in text_of(summary)


def test_the_final_still_is_embedded_once(walk, tmp_path):
    # The poster of the player's fallback video and the "Final clustering" figure were the same 48 KB PNG,
    # embedded twice in every default report.
    gif = render_gif(walk, tmp_path / "walk.gif")
    mp4 = render_mp4(walk, tmp_path / "walk.mp4")
    html = report(walk, tmp_path / "walk.html", gif_path=gif, mp4_path=mp4).read_text()
    pngs = re.findall(r"data:image/png;base64,[A-Za-z0-9+/=]+", html)
    assert len(pngs) == len(set(pngs)) >= 1
    assert 'poster="data:' not in html.split('<section id="clustering">')[0].split('class="vzp-fallback"')[1]
    page = parse(report(walk, tmp_path / "plain.html", gif_path=gif, mp4_path=mp4, player=False))
    assert section(page, "animation").find(f".//{NS}video").get("poster", "").startswith("data:image/png")

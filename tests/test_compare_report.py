"""The hard-vs-soft page: strict HTML, the explanation's numbers, embedded media, nothing fetched."""

import base64
import io
import re
from pathlib import Path

import html5lib
import imageio.v3 as iio
import pytest

import vizgmm
from vizgmm.pages.compare import compare_report
from vizgmm.pages.explain import explain
from vizgmm.pages.formatting import format_number

NS = "{http://www.w3.org/1999/xhtml}"


@pytest.fixture(scope="module")
def comparison():
    x, _ = vizgmm.walkthrough_data(seed=0)
    comparison = vizgmm.compare(x, 2, init=vizgmm.WALKTHROUGH_INIT)
    for history in comparison.histories.values():
        history.meta["source"] = '"><img src=x onerror=alert(1)>.csv'
    return comparison


def parse(path):
    return html5lib.HTMLParser(strict=True, namespaceHTMLElements=True).parse(Path(path).read_bytes())


def section(tree, section_id):
    found = [e for e in tree.iter(f"{NS}section") if e.get("id") == section_id]
    assert len(found) == 1, section_id
    return found[0]


def text_of(element):
    return "".join(element.itertext())


def test_page_explains_with_the_comparisons_numbers(comparison, tmp_path):
    path = compare_report(comparison, tmp_path / "compare.html", animation="none")
    tree = parse(path)
    paragraphs = [text_of(p) for p in section(tree, "differences").iter(f"{NS}p")]
    assert paragraphs == explain(comparison)
    assert any(f"{comparison.facts['uncertain']} of 1000 points" in p for p in paragraphs)

    rows = list(section(tree, "components").find(f".//{NS}tbody").iter(f"{NS}tr"))
    assert len(rows) == comparison.k
    for row, facts in zip(rows, comparison.facts["components"]):
        cells = [text_of(td) for td in row.findall(f"{NS}td")]
        # μ hard, μ soft, σ hard, σ soft, σ change, φ hard, φ soft
        assert cells[2] == format_number(facts["sigma"]["hard"])
        assert cells[3] == format_number(facts["sigma"]["soft"])
        assert cells[4] == f"{100 * facts['sigma_change']:+.1f}%"

    summary = [text_of(r) for r in section(tree, "summary").find(f".//{NS}tbody").iter(f"{NS}tr")]
    assert "hard EM (labels)" in summary[0] and str(comparison.histories["hard"].epochs) in summary[0]
    chart = section(tree, "log-likelihood").find(".//{http://www.w3.org/2000/svg}svg")
    assert len(chart.findall(".//{http://www.w3.org/2000/svg}polyline")) == 2
    assert "vizgmm.compare(X, 2, methods=('hard', 'soft')" in text_of(section(tree, "reproducibility"))


def test_the_embedded_gif_is_the_side_by_side_animation(comparison, tmp_path):
    html = compare_report(comparison, tmp_path / "compare.html", animation="gif").read_text(encoding="utf-8")
    uris = re.findall(r'src="data:image/gif;base64,([^"]+)"', html)
    assert len(uris) == 1
    frames = iio.imread(io.BytesIO(base64.b64decode(uris[0])), index=None, extension=".gif")
    assert frames.shape[:3] == (len(comparison.histories["soft"]), 480, 1280)
    assert "<video" not in html


def test_the_page_fetches_nothing_and_escapes_the_source_name(comparison, tmp_path):
    path = compare_report(comparison, tmp_path / "compare.html", animation="mp4")
    html = path.read_text(encoding="utf-8")
    assert "default-src 'none'" in html and "<script" not in html
    urls = [value for element in parse(path).iter() for name, value in element.attrib.items()
            if name in ("src", "href", "poster", "action", "data")]
    assert urls and all(u.startswith(("data:", "#", "./")) for u in urls), urls
    # The hostile file name is text, never an element.
    assert not [e for e in parse(path).iter(f"{NS}img") if e.get("src") == "x"]
    assert 'type="video/mp4"' in html
    assert "<img src=x" not in html and "&lt;img src=x onerror=alert(1)&gt;.csv" in html


def test_a_template_folder_overrides_the_page_by_name(comparison, tmp_path):
    folder = tmp_path / "mine"
    folder.mkdir()
    (folder / "compare.html").write_text(
        '{% extends "base.html" %}{% block content %}<p id="mine">{{ facts.uncertain }} uncertain</p>{% endblock %}',
        encoding="utf-8",
    )
    path = compare_report(comparison, tmp_path / "c.html", animation="none", template_dir=folder)
    assert f'<p id="mine">{comparison.facts["uncertain"]} uncertain</p>' in path.read_text(encoding="utf-8")


def test_bad_options_write_nothing(comparison, tmp_path):
    with pytest.raises(vizgmm.OptionError, match="unknown animation"):
        compare_report(comparison, tmp_path / "c.html", animation="webm")
    broken = tmp_path / "broken"
    broken.mkdir()
    (broken / "compare.html").write_text("{% if %}", encoding="utf-8")
    with pytest.raises(vizgmm.OptionError, match="compare template failed"):
        compare_report(comparison, tmp_path / "c.html", animation="none", template_dir=broken)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["broken"]


def test_a_rendered_animation_is_embedded_byte_for_byte_and_linked(comparison, tmp_path):
    from vizgmm.animate.scenes.grid import render_comparison

    movie = render_comparison(comparison, tmp_path / "compare.mp4")
    path = compare_report(comparison, tmp_path / "compare.html", animation="mp4", mp4_path=movie)
    tree = parse(path)
    source = next(tree.iter(f"{NS}source"))
    assert base64.b64decode(source.get("src").split(",", 1)[1]) == movie.read_bytes()
    links = [a.get("href") for a in section(tree, "animation").iter(f"{NS}a")]
    assert links == ["./compare.mp4"]


def test_still_is_laid_out_like_the_animation(comparison, tmp_path):
    """The page's still follows the grid options the animation takes: one column stacks the fits."""
    sizes = {}
    for columns in (2, 1):
        tree = parse(compare_report(comparison, tmp_path / f"c{columns}.html", animation="none", columns=columns))
        still = [img for img in tree.iter(f"{NS}img") if "final epoch" in (img.get("alt") or "")]
        assert len(still) == 1
        uri = still[0].get("src")
        pixels = iio.imread(io.BytesIO(base64.b64decode(uri.split(",", 1)[1])))
        assert (int(still[0].get("width")), int(still[0].get("height"))) == (pixels.shape[1], pixels.shape[0])
        sizes[columns] = pixels.shape[:2]
    (h2, w2), (h1, w1) = sizes[2], sizes[1]
    assert w1 < w2 and h1 > h2  # two panels side by side, then one above the other

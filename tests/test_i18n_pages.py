"""The catalogue's third slice: the report's prose, the comparison pages, explain and the Beamer deck in Korean.

The scan is strict: after the markup, the scripts (the player's data has its own tests) and the user's own
text are taken out, a Korean page may keep no Latin word but the names, units and notation below.
"""

import html
import os
import re

import numpy as np
import pytest
from cli_helpers import run

import vizgmm

#: What a Korean page may keep in Latin letters: the methods' and packages' names, notation, units, file types,
#: the player's key names, and scikit-learn's parameter names (what the reader types).
ALLOWED = {
    "EM", "Hard", "hard", "Soft", "soft", "ELBO", "log", "BIC", "AIC", "mm", "vizgmm", "scikit", "learn", "Lloyd",
    "BayesianGaussianMixture", "lower_bound_", "weight_concentration_prior", "tol", "MP4", "WebM", "GIF", "PNG",
    "CSV", "JSON", "UTC", "kB", "MB", "Home", "End",
}
#: The starts' names (the values of --init), kept as the user types them.
INITS = re.compile(r"\b(kmeans\+\+|random-from-data|random|spread|kmeans)\b")


def visible_text(page):
    """A page's words as a reader meets them: text, alt, aria-label, title and label attributes; no scripts or styles."""
    page = re.sub(r"(?s)<script\b.*?</script>|<style\b.*?</style>", " ", page)
    # What the user typed or the machine reports: commands, code, versions, file names.
    page = re.sub(r"(?s)<pre>.*?</pre>|<code>.*?</code>|<dd class=\"versions\">.*?</dd>", " ", page)
    attributes = re.findall(r'\s(?:alt|aria-label|title|label)="([^"]*)"', page)
    text = re.sub(r"(?s)<[^>]+>", " ", page)
    return html.unescape(" ".join([text, *attributes]))


def latin_left(text, *own):
    """The Latin words of ``text`` outside ALLOWED, the starts' names, numbers, API names and the user's words ``own``."""
    text = re.sub(r"\S*\.(?:gif|mp4|webm|html|json|npz|vtt|txt|png|tex)\b", " ", text)  # file names
    for word in own:
        text = re.sub(r"(?<![A-Za-z])" + re.escape(word) + r"(?![A-Za-z])", " ", text)
    text = INITS.sub(" ", text)
    text = re.sub(r"\bvizgmm\.\w+", " ", text)  # vizgmm.fit, vizgmm.compare: API names
    text = re.sub(r"\d[\d.,]*e[+-]?\d+", " ", text)  # 1.1e-13
    text = re.sub(r"\bx\d+\b", " ", text)  # x1, x2: the axes of unnamed columns
    return sorted({w for w in re.findall(r"[A-Za-z_][A-Za-z0-9_]+", text)} - ALLOWED)


@pytest.fixture(scope="module")
def korean_demo(tmp_path_factory):
    folder = tmp_path_factory.mktemp("demo-ko")
    run(folder, "demo", "--lang", "ko", "--out", "out", "--quiet")
    return (folder / "out" / "report.html").read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def drained(drained_fit):
    """The shared drained variational fit (conftest), as (X, history)."""
    history, _ = drained_fit
    return history.X, history


@pytest.fixture(scope="module")
def three_methods(walkthrough_data):
    x, _ = walkthrough_data
    return vizgmm.compare(x, 2, ["hard", "soft", "kmeans"], init=vizgmm.WALKTHROUGH_INIT, seed=0)


@pytest.fixture(scope="module")
def priors(drained):
    X, _ = drained
    return vizgmm.compare(X, 6, priors=[0.001, 1000], seed=0)


def test_the_korean_demo_report_has_no_english_prose(korean_demo):
    text = visible_text(korean_demo)
    assert 'lang="ko"' in korean_demo
    # The summary's sentences, the sections' explanations, the bound section, the footer.
    for korean in ("수렴하지 않았습니다: 최대 10번 중 10번 반복 후 멈췄습니다", "점 하나당 -3.87966",
                   "자유 파라미터 5개", "로그우도가 오르기만 하는 이유", "E 단계는 책임값(hard EM에서는 라벨)으로",
                   "10번째 반복 뒤: 각 점을 확률이 가장 큰 집단의 색으로 칠했습니다.", "φ는 집단의 비율이고",
                   "혼동 행렬", "시드", "이 파일 하나로 완결되어 있어"):
        assert korean in text, korean
    assert latin_left(text) == [], latin_left(text)
    # The SVG charts' axis titles and legends too.
    charts = " ".join(re.findall(r"(?s)<svg class=\"chart\".*?</svg>", korean_demo))
    assert "파라미터 공간에서 EM이 지나간 경로 (반복)" in charts and "전체 로그우도" in charts


def test_a_korean_variational_report_has_no_english_prose(drained, tmp_path):
    _, history = drained
    page = vizgmm.report(history, tmp_path / "ko.html", animation="gif", lang="ko").read_text(encoding="utf-8")
    text = visible_text(page)
    assert "48번 반복 후 수렴했습니다 (전체 하한(ELBO)에 대한 허용 오차 0.001)" in text
    assert "디리클레 과정 사전분포 (weight_concentration_prior 0.001)를 둔 변분 베이즈 혼합 모형" in text
    assert "완전 공분산" in text and "vizgmm.fit에 넘긴 배열" in text
    assert latin_left(text) == [], latin_left(text)


def test_the_korean_comparison_page_and_explanation(three_methods, tmp_path):
    page = vizgmm.compare_report(three_methods, tmp_path / "compare.html", animation="gif", preset="blog",
                                 size=(480, 200), lang="ko").read_text(encoding="utf-8")
    text = visible_text(page)
    assert 'lang="ko"' in page
    assert "hard EM (라벨), soft EM (각 집단에 속할 확률), k-평균 (Lloyd): 같은 점 1000개에 집단 2개로" in text
    assert "집단별 최종 파라미터" in text and "μ k-평균" in text
    assert latin_left(text) == [], latin_left(text)
    paragraphs = vizgmm.explain(three_methods, lang="ko")
    joined = "\n".join(paragraphs)
    assert paragraphs[0].startswith("세 적합 모두 같은 초기 파라미터(직접 지정)에서 출발했으므로")
    assert "soft EM은 12번 반복 후 수렴했습니다. hard EM은 6번 반복 후 수렴했습니다." in joined
    assert "k-평균은 시작부터 다릅니다." in joined
    assert all(p in text for p in paragraphs)  # the page's "where they differ" is explain's text
    assert latin_left(joined) == [], latin_left(joined)
    # English stays the default and unchanged.
    assert vizgmm.explain(three_methods)[0].startswith("All three fits started from the same initial parameters")


def test_the_korean_prior_comparison_page_and_explanation(priors, tmp_path):
    page = vizgmm.compare_report(priors, tmp_path / "priors.html", animation="none", lang="ko").read_text(encoding="utf-8")
    text = visible_text(page)
    assert "사전분포마다 남는 집단의 수" in text and "디리클레 과정 사전분포" in text
    assert latin_left(text) == [], latin_left(text)
    paragraphs = vizgmm.explain(priors, lang="ko")
    assert "weight_concentration_prior 0.001에서는 집단 6개 중 2개가 남습니다" in paragraphs[1]
    assert latin_left(" ".join(paragraphs)) == [], paragraphs
    assert vizgmm.explain(priors)[0].startswith("Both fits started from the same initial responsibilities")


def test_the_korean_beamer_deck_says_its_words_in_korean_and_compiles_with_kotex(walkthrough_data, tmp_path, pdflatex):
    import subprocess

    from vizgmm.decks.beamer import beamer

    found = subprocess.run(["kpsewhich", "kotex.sty"], capture_output=True, text=True).stdout.strip()
    if not found:
        missing = "kotex.sty is missing (apt-get install texlive-lang-korean)"
        if os.environ.get("CI"):
            pytest.fail(f"the Korean Beamer compile test cannot run in CI: {missing}")
        pytest.skip(missing)
    x, _ = walkthrough_data
    fit = vizgmm.fit(x, 2, method="hard", init=vizgmm.WALKTHROUGH_INIT, tol=0, max_iter=2)
    beamer(fit, tmp_path / "em", preset="blog", size=(160, 120), hold_first_ms=0, lang="ko")
    tex = (tmp_path / "em" / "animation.tex").read_text(encoding="utf-8")
    readme = (tmp_path / "em" / "README.txt").read_text(encoding="utf-8")
    assert r"\begin{frame}{EM이 움직인 모습}" in tex and r"\begin{frame}{EM이 움직인 모습 (반복마다 한 장씩)}" in tex
    assert "% Hard EM이 점 1,000개에 정규분포 2개를 맞춥니다." in tex and r"\usepackage{kotex}" in tex
    assert readme.startswith("이 폴더에는 vizgmm이 만든 LaTeX Beamer용 EM 적합 애니메이션이 들어 있습니다")
    comments = " ".join(line for line in tex.splitlines() if line.startswith("%"))
    latin = latin_left(re.sub(r"\\\w+|\{[^}]*\}", " ", comments), "LaTeX", "Beamer", "README", "Acrobat", "Reader",
                       "JavaScript", "PDF", "beamer-frames", "path/to/em", "other/animation", "em")
    assert latin == [], latin
    # A Korean talk (kotex for the Hangul titles) compiles with both of the deck's frames.
    (tmp_path / "talk.tex").write_text("\\documentclass{beamer}\n\\usepackage{kotex}\n\\usepackage{graphicx}\n"
                                       "\\usepackage{animate}\n\\begin{document}\n\\input{em/animation.tex}\n"
                                       "\\end{document}\n", encoding="utf-8")
    for _ in range(2):
        done = subprocess.run([pdflatex, "-interaction=nonstopmode", "-halt-on-error", "talk.tex"], cwd=tmp_path,
                              capture_output=True, text=True, errors="replace", timeout=180)
        assert done.returncode == 0, done.stdout[-2000:]
    assert (tmp_path / "talk.pdf").stat().st_size > 0


def test_the_race_ranking_frame_draws_its_words_in_hangul():
    from matplotlib.text import Text

    from vizgmm.animate.fast import fonts
    from vizgmm.animate.scenes.race import RaceScene

    rng = np.random.default_rng(0)
    x = np.concatenate([rng.normal(0, 1, 80), rng.normal(6, 1, 80)])
    result = vizgmm.restarts(x, 2, n_init=3, init="random-from-data", seed=0)
    texts = {}
    for lang in ("ko", "en"):
        with RaceScene(result, lang=lang) as race:
            figure = race.ranking_figure()
            texts[lang] = [t.get_text() for t in figure.findobj(Text) if t.get_text()]
            pixels = race.ranking()
        texts[lang + "-pixels"] = pixels
    korean = "\n".join(texts["ko"])
    assert "마지막 로그우도 순으로 줄 세운 시작값" in texts["ko"]
    assert {"시작값", "초기화", "로그우도", "최적점", "가장 좋은 적합"} <= set(texts["ko"])
    assert latin_left(korean) == [], (latin_left(korean), korean)
    assert fonts.missing_characters(korean) == "", "Hangul needs NanumGothic (fonts-nanum)"
    # The English frame keeps its words, and the Korean frame is drawn differently from it.
    assert "Starts ranked by final log-likelihood" in texts["en"]
    assert texts["ko-pixels"].shape == texts["en-pixels"].shape
    assert (texts["ko-pixels"] != texts["en-pixels"]).any(axis=-1).mean() > 0.005

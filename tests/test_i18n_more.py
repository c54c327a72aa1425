"""The catalogue's second slice: the variational mixture, the restarts and k choice, the bound view and the reveal deck in Korean."""

import re

import numpy as np
from cli_helpers import run
from test_i18n import english_left

import vizgmm


def _named(text):
    """``text`` without scikit-learn's parameter names (a name the reader types, kept as it is)."""
    return text.replace("weight_concentration_prior", "")


def _text(html):
    return " ".join(re.sub(r"<[^>]+>", " ", html).split())


def test_the_variational_sentences_in_korean_and_english_unchanged(drained_fit):
    from vizgmm.look.variational import active_sentence
    from vizgmm.pages.captions import stop_sentences
    from vizgmm.pages.description import describe_fit

    history, active = drained_fit
    # English: the words test_variational_report pins.
    assert active_sentence(history, prior=False) == f"{active} of 6 components keep weight above 1 %; {6 - active} were drained"
    assert active_sentence(history).endswith(
        "were drained by the Dirichlet-process prior (weight_concentration_prior 0.001)")
    korean = active_sentence(history, words="ko")
    assert korean == f"집단 6개 중 {active}개의 비율이 1 % 이상입니다. 나머지 {6 - active}개는 " \
                     "디리클레 과정 사전분포 (weight_concentration_prior 0.001)가 비웠습니다"
    english = describe_fit(history)
    assert english.startswith("The variational Bayesian mixture fits 6 2-dimensional normal components to 240 points")
    assert "the lower bound (ELBO) rises from" in english
    text = describe_fit(history, lang="ko")
    assert text.startswith("변분 베이즈 혼합 모형이 점 240개에 2차원 정규분포 6개를 맞춥니다") and "하한(ELBO)이 올랐습니다" in text
    assert english_left(_named(text)) == [], text
    captions = stop_sentences(history, ["a", "b", "c", "d", "e", "f"], "ko")["full"]
    assert captions[-1].startswith(f"집단 6개 중 {active}개의 비율이") and "하한 (ELBO) " in captions[-1]
    assert all(english_left(c) == [] for c in captions), captions
    assert vizgmm.captions(history, lang="en") == vizgmm.captions(history)


def test_a_korean_variational_report_and_player_say_it_in_korean(drained_fit, tmp_path):
    from vizgmm.pages.player_data import player_payload
    from vizgmm.pages.player_words import player_words

    history, active = drained_fit
    html = vizgmm.report(history, tmp_path / "ko.html", lang="ko").read_text(encoding="utf-8")
    assert "변분 적합이 움직인 모습" in html and "반복마다의 하한 (ELBO)" in html
    assert f"6개 중 {active}개" in html and "살아 있는 집단" in html
    for english in ("Variational inference fitting", "Lower bound (ELBO)", "Active components", "active components",
                    "the number the variational fit maximises", "How the variational fit moved",
                    "A variational fit maximises", "per epoch, with the current stop marked", "were drained"):
        assert english not in html, english
    # The English page keeps the words test_variational_report pins.
    english = vizgmm.report(history, tmp_path / "en.html", lang="en").read_text(encoding="utf-8")
    assert "How the variational fit moved" in english and "Lower bound (ELBO) per epoch" in english
    assert f"{active} of 6" in _text(english)
    payload = player_payload(history, lang="ko")
    assert payload["score_title"] == "하한 (ELBO)" == player_words("ko")["elbo_score"]
    assert all(english_left(_named(a)) == [] for a in payload["active"]), payload["active"]
    assert all(english_left(c) == [] for c in payload["captions"]["full"])


def test_the_korean_cli_summary_of_a_variational_fit(drained_fit, tmp_path):
    history, active = drained_fit
    np.savetxt(tmp_path / "xy.csv", history.X, delimiter=",", header="a,b", comments="")
    args = ("fit", "xy.csv", "-k", "6", "--columns", "a,b", "--method", "variational",
            "--weight-concentration-prior", "0.001", "--init", "kmeans++", "--max-iter", "300",
            "--no-gif", "--no-mp4", "--no-html", "--out")
    out = run(tmp_path, *args, "out", "--lang", "ko").stdout
    assert "변분 베이즈 혼합 모형(k=6)을 맞췄습니다" in out and "하한 (ELBO) " in out
    assert f"집단 6개 중 {active}개의 비율이 1 % 이상입니다" in out
    summary = re.sub(r"\S+\.(gif|mp4|html|json|npz|txt|md|png|vtt)\b|frames/|\bout/", "", out.replace(str(tmp_path), ""))
    assert english_left(_named(summary)) == [], summary


def test_the_restarts_and_basins_and_k_choice_in_korean_and_english_unchanged(tmp_path):
    from vizgmm.animate.scenes.race import RaceScene
    from vizgmm.model.basins import basin_map

    rng = np.random.default_rng(0)
    x = np.concatenate([rng.normal(0, 1, 80), rng.normal(6, 1, 80)])
    result = vizgmm.restarts(x, 2, n_init=3, init="random-from-data", seed=0)
    assert result.summary == result.describe("en") == (
        "2 of 3 starts reach the best fit (log-likelihood −331.2); 1 reaches a worse one with log-likelihood −405.6; "
        "1 start was still climbing when tol 0.001 stopped it (counted where it settles)")
    korean = result.describe("ko")
    assert korean == ("시작값 3개 중 2개가 가장 좋은 적합(로그우도 −331.2)에 이릅니다. 1개는 로그우도 −405.6인 더 나쁜 "
                      "최적점에 이릅니다. 시작값 1개는 tol 0.001에서 멈췄을 때 아직 오르는 중이었습니다(도착할 곳으로 셌습니다)")
    assert english_left(korean) == [], korean
    with RaceScene(result, lang="ko") as race:
        assert race.ranking().shape[2] == 3
        ranking = "\n".join(t.get_text() for t in race.ranking_figure().texts)
    assert "마지막 로그우도 순으로 줄 세운 시작값" in ranking and "시작값 3개 중 2개가" in ranking.replace("\n", " ")
    assert "가장 좋은 적합" in ranking and english_left(ranking.replace("random-from-data", "")) == [], ranking
    with RaceScene(result, lang="en") as race:
        english = "\n".join(t.get_text() for t in race.ranking_figure().texts)
    assert "2 of 3 starts reach the best fit" in english.replace("\n", " ") and "best fit" in english
    basins = basin_map(x, grid=5)
    assert basins.summary.startswith("EM reaches the best fit (log-likelihood −")
    assert basins.describe("ko").startswith("시작 쌍의 ") and english_left(basins.describe("ko")) == []
    selection = vizgmm.select(x, [1, 2, 3], n_init=1, seed=0)
    assert selection.summary.startswith("k=2 chosen: lowest BIC (lower is better); BIC ")
    assert selection.describe("ko").startswith("k=2를 골랐습니다: BIC가 가장 낮습니다 (낮을수록 좋음). BIC ")
    assert english_left(selection.describe("ko")) == []


def test_the_full_frame_bound_view_in_korean_keeps_english_unchanged(walk):
    from matplotlib.figure import Figure
    from test_i18n import FRAME_ALLOWED, _frame_texts

    from vizgmm.animate.scenes.bound_panel import bound_legend
    from vizgmm.look.bound_view import bound_view_data

    texts = _frame_texts(walk, focus="bound", tween=0)
    joined = "\n".join(sorted(texts))
    assert {"EM 경로 위의 log p", "하한 L(q, θ)", "간격: KL(q ‖ 사후분포)", "E 단계가 L을 만든 곳",
            "L의 꼭대기: M 단계의 θ"} <= texts, joined
    assert english_left(joined) == [], joined
    latin = {w for w in re.findall(r"[A-Za-z]{2,}", joined)} - FRAME_ALLOWED - {"KL"}  # KL: notation
    assert not latin, (latin, joined)
    # English: the legend test_focus_bound reads.
    from matplotlib.backends.backend_agg import FigureCanvasAgg

    fig = Figure()
    FigureCanvasAgg(fig)
    ax = fig.add_subplot()
    data = bound_view_data(walk)
    theme = {"mixture": "k", "cursor": "r", "legend_face": "w", "muted": "0.5", "legend_alpha": 0.9, "foreground": "k"}
    bound_legend(ax, theme, 10, 1, data)
    assert [t.get_text() for t in ax.get_legend().get_texts()] == [
        "log p on EM's path", "bound L(q, θ)", "gap: KL(q ‖ posterior)", "L where the E-step built it",
        "L's peak: the M-step's θ"]


def test_a_korean_reveal_deck_says_lang_ko_with_korean_titles_notes_and_captions(walk, tmp_path):
    import html5lib

    from vizgmm.decks.reveal import reveal_deck

    small = {"preset": "blog", "fps": 4, "tween": 0}
    ns = "{http://www.w3.org/1999/xhtml}"
    index = reveal_deck(walk, tmp_path / "ko", lang="ko", **small)
    root = html5lib.parse(index.read_text(encoding="utf-8"))
    assert root.get("lang") == "ko"
    titles = ["".join(h.itertext()) for h in root.iter() if h.tag in (f"{ns}h1", f"{ns}h2")]
    assert titles[1:5] == ["반복마다 EM이 움직인 모습", "반복마다 말로 풀어 보기", "반복마다의 로그우도", "로그우도가 오르기만 하는 이유"]
    assert titles[-1] == "10번째 반복 뒤의 파라미터"
    track = next(root.iter(f"{ns}track"))
    assert (track.get("srclang"), track.get("label")) == ("ko", "한국어")
    notes = "\n".join("".join(a.itertext()) for a in root.iter(f"{ns}aside"))
    captions = "\n".join("".join(p.itertext()) for p in root.iter(f"{ns}p") if "caption" in (p.get("class") or ""))
    assert "3번째 반복 (총 10번)" in captions and "초기 추정" in notes
    assert "번째 반복" in (tmp_path / "ko" / "animation.vtt").read_text(encoding="utf-8")
    words = "\n".join(titles + [notes, captions])
    assert english_left(words) == [], words
    english = html5lib.parse(reveal_deck(walk, tmp_path / "en", lang="en", **small).read_text(encoding="utf-8"))
    assert english.get("lang") == "en"
    assert [("".join(h.itertext())) for h in english.iter(f"{ns}h2")][:2] == ["How EM moved, epoch by epoch",
                                                                             "Each epoch in words"]

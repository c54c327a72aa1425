"""The message catalogue (vizgmm/i18n.py): every word vizgmm writes, in English and Korean, from one place."""

import io
import re
import subprocess
import sys
from pathlib import Path

import pytest
from babel.messages.extract import extract_from_dir
from babel.messages.frontend import parse_mapping_cfg
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.numbers import format_decimal
from cli_helpers import assert_one_line_error, run
from test_captions import parse_vtt

import vizgmm
from vizgmm.errors import OptionError
from vizgmm.i18n import LANGUAGES, LOCALE_DIR, resolve_lang, words

ROOT = Path(__file__).resolve().parents[1]
PO = LOCALE_DIR / "ko" / "LC_MESSAGES" / "vizgmm.po"
MO = PO.with_suffix(".mo")


def _catalogue():
    with PO.open("rb") as f:
        return read_po(f, locale="ko")


def _key(message_id):
    return message_id if isinstance(message_id, str) else tuple(message_id)


def test_committed_mo_is_a_fresh_compile_of_the_po():
    # `pybabel compile` writes exactly this (no fuzzy entries): a .po edited without compiling fails here.
    fresh = io.BytesIO()
    write_mo(fresh, _catalogue(), use_fuzzy=False)
    assert MO.read_bytes() == fresh.getvalue(), "run: pybabel compile -d vizgmm/locale -D vizgmm"


def test_every_message_the_code_writes_has_a_korean_entry_and_every_entry_is_used():
    # Babel's extraction with babel.cfg's map (the package's Python and the templates), as its command runs it.
    with (ROOT / "babel.cfg").open(encoding="utf-8") as f:
        method_map, options_map = parse_mapping_cfg(f)
    extracted = {_key(msgid) for _, _, msgid, *_ in extract_from_dir(str(ROOT), method_map, options_map)}
    assert "How EM moved" in extracted and "Play" in extracted, "the templates or the player's words were not read"
    catalogue = _catalogue()
    entries = {_key(m.id): m for m in catalogue if m.id}
    singular = {k[0] if isinstance(k, tuple) else k for k in entries}
    assert extracted, "extraction found nothing"
    missing = sorted(str(k) for k in extracted if (k[0] if isinstance(k, tuple) else k) not in singular)
    assert not missing, f"not in the ko catalogue (pybabel extract + update): {missing}"
    unused = sorted(str(k) for k in entries if k not in extracted)
    assert not unused, f"in the catalogue but no longer in the code: {unused}"
    untranslated = [str(k) for k, m in entries.items() if not (m.string if isinstance(m.string, str) else all(m.string))]
    assert not untranslated, f"no Korean text: {untranslated}"
    assert not [m.id for m in catalogue if m.id and m.fuzzy], "fuzzy entries are not compiled: review them"
    assert catalogue.plural_forms == "nplurals=1; plural=0;"
    # Every placeholder of the English text is in the Korean (a lost {count} is a lost number).
    import string

    for key, m in entries.items():
        english = key if isinstance(key, str) else key[0]
        korean = m.string if isinstance(m.string, str) else m.string[0]
        fields = {f for _, f, _, _ in string.Formatter().parse(english) if f}
        assert fields == {f for _, f, _, _ in string.Formatter().parse(korean) if f}, english


def test_plural_forms_for_one_and_many():
    en, ko = words("en"), words("ko")
    one, many = "E-step: {count} point changed component", "E-step: {count} points changed component"
    assert en.ngettext(one, many, 1).format(count=1) == "E-step: 1 point changed component"
    assert en.ngettext(one, many, 37).format(count=37) == "E-step: 37 points changed component"
    assert en.ngettext(one, many, 0).format(count=0) == "E-step: 0 points changed component"
    # Korean has one form: the counter 개 goes with every number.
    assert ko.ngettext(one, many, 1).format(count=1) == "E 단계: 1개 점의 집단이 바뀌었습니다"
    assert ko.ngettext(one, many, 37).format(count=37) == "E 단계: 37개 점의 집단이 바뀌었습니다"


@pytest.mark.parametrize("lang", sorted(LANGUAGES))
@pytest.mark.parametrize("value, decimals", [(3904.125, 2), (-1234567.5, 1), (37, 0), (0.5, 2)])
def test_numbers_follow_the_language_as_cldr_writes_them(lang, value, decimals):
    pattern = "#,##0" + ("." + "0" * decimals if decimals else "")
    expected = format_decimal(value, format=pattern, locale=lang).replace("\u2212", "-")
    assert words(lang).number(value, decimals) == expected


@pytest.mark.parametrize("environ, expected", [
    ({}, "en"),
    ({"LANG": "ko_KR.UTF-8"}, "ko"),
    ({"LANG": "C.UTF-8"}, "en"),
    ({"LANG": "fr_FR.UTF-8"}, "en"),  # no French catalogue: English, not an error
    ({"LC_ALL": "ko_KR.UTF-8", "LANG": "en_US.UTF-8"}, "ko"),
    ({"LC_ALL": "C", "LANG": "ko_KR.UTF-8"}, "en"),  # the first variable set decides, as in gettext
    ({"LC_MESSAGES": "ko_KR.UTF-8"}, "ko"),
    ({"LANGUAGE": "fr:ko", "LANG": "en_US.UTF-8"}, "ko"),
    ({"LANGUAGE": "en", "LANG": "ko_KR.UTF-8"}, "en"),
])
def test_default_language_comes_from_the_locale_only_when_vizgmm_has_it(environ, expected):
    assert resolve_lang(None, environ) == expected


def test_an_asked_language_wins_and_an_unknown_one_is_an_error():
    assert resolve_lang("ko", {"LANG": "en_US.UTF-8"}) == "ko"
    assert resolve_lang("ko-KR") == "ko"
    with pytest.raises(OptionError, match="lang must be one of en, ko; got 'xx'"):
        resolve_lang("xx")
    with pytest.raises(OptionError, match="lang"):
        vizgmm.captions(vizgmm.fit([1.0, 2.0, 10.0, 11.0], 2, max_iter=2), lang="xx")


def test_cli_lang_xx_is_one_line_and_exit_2_with_nothing_written(tmp_path):
    data = tmp_path / "x.csv"
    data.write_text("x\n1\n2\n3\n10\n11\n12\n")
    proc = run(tmp_path, "fit", data, "-k", "2", "--lang", "xx", "--out", tmp_path / "out", check=False)
    assert_one_line_error(proc, "--lang must be one of en, ko", "'xx'")
    assert not (tmp_path / "out").exists()


def test_korean_captions_parse_and_keep_the_english_cues_timing(walk):
    english, korean = vizgmm.captions(walk, lang="en", tween=2), vizgmm.captions(walk, lang="ko", tween=2)
    en_cues, ko_cues = parse_vtt(english), parse_vtt(korean)
    assert len(ko_cues) == len(en_cues) == len(walk)
    assert [c[:2] for c in ko_cues] == [c[:2] for c in en_cues]
    assert ko_cues[3][2][0] == "3번째 반복 (총 10번)"
    assert ko_cues[0][2][1].startswith("전체 로그우도 \u22126,434.47")
    halves = parse_vtt(vizgmm.captions(walk, lang="ko", half_steps=True))
    assert [c[:2] for c in halves] == [c[:2] for c in parse_vtt(vizgmm.captions(walk, lang="en", half_steps=True))]
    assert halves[0][2][0] == "1번째 반복 · E 단계"
    assert halves[0][2][1].startswith("E 단계: 1,000개의 점을 각각 확률이 가장 큰 집단으로 라벨링합니다")
    assert halves[1][2][1].startswith("M 단계: μ₁ 210.00 → ")


def test_english_is_the_default_here_and_byte_identical_to_lang_en(walk):
    # conftest pins LANGUAGE=en: the default is English, as the pinned outputs expect.
    assert vizgmm.captions(walk) == vizgmm.captions(walk, lang="en")


def test_the_locale_chooses_korean_for_a_cli_run(tmp_path):
    # A Korean user's shell (LANG=ko_KR.UTF-8, no --lang) gets Korean captions; LANGUAGE unset as in most shells.
    data = tmp_path / "x.csv"
    data.write_text("x\n" + "\n".join(str(v) for v in (1, 2, 3, 2.5, 10, 11, 12, 10.5)) + "\n")
    env = {k: v for k, v in __import__("os").environ.items() if k not in ("LANGUAGE", "LC_ALL", "LC_MESSAGES")}
    proc = subprocess.run(
        [sys.executable, "-m", "vizgmm", "fit", str(data), "-k", "2", "--no-gif", "--no-html", "--out", "out"],
        cwd=tmp_path, capture_output=True, text=True, env={**env, "LANG": "ko_KR.UTF-8", "PYTHONIOENCODING": "utf-8"},
    )
    assert proc.returncode == 0, proc.stderr
    vtt = (tmp_path / "out" / "animation.vtt").read_text(encoding="utf-8")
    assert "번째 반복" in vtt and "Epoch" not in vtt


def _english_words():
    """Every English word (3+ letters) of the catalogue's msgids, placeholders left out."""
    import re

    catalogue = _catalogue()
    text = " ".join(" ".join(m.id) if isinstance(m.id, tuple) else m.id for m in catalogue if m.id)
    return {word.lower() for word in re.findall(r"[A-Za-z]{3,}", re.sub(r"\{\w+\}", " ", text))}


#: Names and units a Korean output keeps: the method and package names, the criterion, file types.
ALLOWED = {"hard", "soft", "elbo", "means", "lloyd", "init", "png", "scikit", "learn", "tol", "vizgmm", "mixture",
           "html", "json", "npz", "gif", "mp4", "vtt", "txt", "md", "bic", "aic", "log"}  # "log p": notation


#: What a Korean frame may keep in Latin letters: the method (Hard), EM and its E/M, log p, ELBO, units (mm).
FRAME_ALLOWED = {"Hard", "Soft", "EM", "log", "ELBO", "mm"}


def english_left(text):
    """The catalogue's English words in ``text`` (outside ALLOWED)."""
    import re

    return sorted({w.lower() for w in re.findall(r"[A-Za-z]{3,}", text)} & (_english_words() - ALLOWED))


def test_cli_summary_in_korean_has_no_english_words_of_the_catalogue(tmp_path):
    data = tmp_path / "x.csv"
    data.write_text("x\n" + "\n".join(str(v) for v in (1, 2, 3, 2.5, 10, 11, 12, 10.5)) + "\n")
    proc = run(tmp_path, "fit", data, "-k", "2", "--lang", "ko", "--no-mp4", "--no-html", "--frames", "--out", "out")
    # The files' and folders' names stay as they are (animation.gif, frames/, the --out folder out/).
    summary = re.sub(r"\S+\.(gif|mp4|html|json|npz|txt|md|png|vtt)\b|frames/|\bout/", "", proc.stdout.replace(str(tmp_path), ""))
    assert "개 점에" in summary and "번 반복" in summary and "에 썼습니다:" in summary
    assert "PNG 프레임" in summary
    assert english_left(summary) == [], summary
    english = run(tmp_path, "fit", data, "-k", "2", "--lang", "en", "--no-mp4", "--no-html", "--out", "out2").stdout
    assert english.startswith("Fitted hard EM, k=2, to 8 points from") or english.startswith("Fitted soft EM, k=2, to 8")


def _frame_texts(history, **opts):
    """Every text artist's words over all frames of a Korean render of ``history`` (scene built as the renderer does)."""
    from matplotlib.text import Text

    from vizgmm.animate import api
    from vizgmm.animate.frames import timing as frames
    from vizgmm.animate.frames.halfsteps import half_step_history
    from vizgmm.animate.options import resolve

    opts = resolve({"lang": "ko", **opts}, "gif")
    shown = half_step_history(history) if opts.half_steps else history
    scene = api.scene_for(shown, opts)
    texts = set()
    for state in frames.frame_states(shown, opts.tween):
        scene.render(state)
        texts |= {t.get_text() for t in scene.fig.findobj(Text) if t.get_visible() and t.get_text()}
    scene.close()
    return texts


def _collapsing():
    # Two far groups and one point on its own: with three components one collapses onto that point.
    import numpy as np

    x = np.concatenate([np.linspace(0, 1, 40), np.linspace(10, 11, 40), [30.0]])
    return vizgmm.fit(x, 3, init={"means": [0.5, 10.5, 30.0], "stds": [1.0, 1.0, 1.0]}, max_iter=4, tol=0)


@pytest.mark.parametrize("case", ["walk-panels", "walk-halves", "collapse", "2d"])
def test_korean_frames_have_no_english_words_of_the_catalogue_and_every_glyph(case, walk):
    import numpy as np

    from vizgmm.animate.fast import fonts

    if case == "walk-panels":
        texts = _frame_texts(walk, panels=("loglik", "params"), tween=1) | _frame_texts(walk, panels=("bound", "weights"))
    elif case == "walk-halves":
        texts = _frame_texts(walk, panels=("loglik",), half_steps=True)
    elif case == "collapse":
        texts = _frame_texts(_collapsing(), panels=("params",))
    else:
        rng = np.random.default_rng(0)
        X = np.concatenate([rng.normal(0, 1, (150, 2)), rng.normal(5, 1, (150, 2))])
        texts = _frame_texts(vizgmm.fit(X, 2, max_iter=5), panels=("loglik", "params"))
    joined = "\n".join(sorted(texts))
    assert any("번째 반복" in t for t in texts), joined
    assert english_left(joined) == [], joined
    # Stricter than the catalogue: no Latin word at all beyond the allowed names, units and notation, so a
    # string that never reached the catalogue fails here too.
    import re

    latin = {w for w in re.findall(r"[A-Za-z]{2,}", joined)} - FRAME_ALLOWED
    assert not latin, (latin, joined)
    assert fonts.missing_characters(joined) == "", "Hangul needs NanumGothic (fonts-nanum)"


def test_every_player_word_is_in_the_korean_catalogue():
    # A word that never reaches the extractor (say, through an alias of gettext) stays English here.
    from vizgmm.pages.player_words import player_words

    english, korean = player_words("en"), player_words("ko")
    assert english.keys() == korean.keys()
    assert english["play"] == "Play" and english["stop_of"] == "Epoch {epoch} of {last}"
    same = sorted(key for key in english if english[key] == korean[key])
    assert same == [], same
    from vizgmm.pages.player_words import live_words

    english, korean = live_words("en"), live_words("ko")
    # English tells 1 apart; Korean has one form (Plural-Forms: nplurals=1), so its two are the same.
    assert (english["plural_one"], korean["plural_one"]) == (True, False)
    assert english["live_e_hard"] == ["E-step: {count} point changed component", "E-step: {count} points changed component"]
    assert korean["live_e_hard"] == ["E 단계: {count}개 점의 집단이 바뀌었습니다"] * 2
    same = sorted(key for key in english if english[key] == korean[key] and key != "plural_one")
    assert same == [], same


def test_korean_report_headings_captions_track_and_alt_text(walk, tmp_path):
    import html5lib

    ns = "{http://www.w3.org/1999/xhtml}"
    path = vizgmm.report(walk, tmp_path / "report.html", lang="ko", player=False)
    root = html5lib.parse(path.read_text(encoding="utf-8"))
    assert root.get("lang") == "ko"
    # Headings, the table of contents and the summary's labels (the prose of every section is scanned
    # in test_i18n_pages.py).
    nav = next(root.iter(f"{ns}nav"))
    summary = next(s for s in root.iter(f"{ns}section") if s.get("id") == "summary")
    headings = ["".join(h.itertext()) for h in root.iter(f"{ns}h2")] + \
               ["".join(a.itertext()) for a in nav.iter(f"{ns}a")] + \
               ["".join(s.itertext()) for s in summary.iter(f"{ns}span") if s.get("class") == "stat-label"] + \
               ["".join(d.itertext()) for d in summary.iter(f"{ns}dt")]
    assert "요약" in headings and "EM이 움직인 모습" in headings
    latin = {w for text in headings for w in re.findall(r"[A-Za-z]{2,}", text)} - {"EM", "BIC", "AIC"}
    assert not latin, (latin, headings)
    track = next(root.iter(f"{ns}track"))
    assert (track.get("srclang"), track.get("label")) == ("ko", "한국어")
    alts = [img.get("alt") for img in root.iter(f"{ns}img") if img.get("alt")] + \
           [v.get("aria-label") for v in root.iter(f"{ns}video") if v.get("aria-label")]
    assert alts[0] == "마지막 반복 뒤의 데이터와 맞춘 집단들" or "번 반복" in alts[0], alts
    assert any("10번 반복 동안 평균이 움직였습니다" in alt for alt in alts), alts  # the animation's: describe_fit
    assert all(english_left(alt) == [] for alt in alts), alts
    # English stays English, and its page says so.
    english = html5lib.parse(vizgmm.report(walk, tmp_path / "en.html", lang="en", player=False).read_text(encoding="utf-8"))
    assert english.get("lang") == "en" and "Summary" in ["".join(h.itertext()) for h in english.iter(f"{ns}h2")]


def test_korean_deck_titles_table_notes_and_chart(walk, tmp_path):
    pptx = pytest.importorskip("pptx")
    from vizgmm.decks.slides import loglik_png, slides

    deck = pptx.Presentation(str(slides(walk, tmp_path / "talk.pptx", preset="blog", lang="ko")))
    titles = [s.shapes.title.text for s in deck.slides]
    assert titles[1:] == ["반복마다 EM이 움직인 모습", "시작: 0번째 반복", "가장 큰 변화: 1번째 반복",
                          "최종 적합: 10번째 반복", "반복마다의 로그우도", "10번째 반복 뒤의 파라미터"]
    notes = [s.notes_slide.notes_text_frame.text for s in deck.slides]
    # The animation's note: the alt text, then one line per cue, as animation.vtt says them.
    assert "초기 추정 (총 10번 반복): 전체 로그우도" in notes[1] and "3번째 반복 (총 10번): " in notes[1]
    table = next(shape.table for shape in deck.slides[-1].shapes if shape.has_table)
    header = [table.cell(0, c).text for c in range(5)]
    assert header == ["집단", "비율 φ", "평균 μ", "표준편차 σ", "점"]
    words = "\n".join(titles + notes + header + [deck.slides[0].placeholders[1].text])
    assert english_left(words) == [], words
    # The chart draws Hangul with the frames' fallback fonts (a box is a missing glyph).
    from vizgmm.animate.fast import fonts

    assert fonts.missing_characters("반복 전체 로그우도 시작 가장 큰 변화 최종 적합") == ""
    png, _ = loglik_png(walk, [("시작", 0)], lang="ko")
    assert png[:8] == b"\x89PNG\r\n\x1a\n"


def test_the_engines_english_messages_are_said_in_korean_where_shown():
    from vizgmm.look.notes import ENGINE_MESSAGES, engine_message

    ko = words("ko")
    assert engine_message("converged after 10 epochs", ko) == "10번 반복 후 수렴했습니다"
    assert engine_message("converged after 1 epoch", "en") == "converged after 1 epoch"
    assert engine_message("labels first differ here: 1,234 points (hard EM ≠ soft EM)", ko) == \
        "여기서 라벨이 처음 갈립니다: 점 1,234개 (hard EM ≠ soft EM)"
    assert engine_message("something new", ko) == "something new"  # unknown: shown as recorded
    assert len(ENGINE_MESSAGES) == 6
    # The engine's actual sentence, read back from a fit that converges.
    fitted = vizgmm.fit([1.0, 1.1, 0.9, 5.0, 5.1, 4.9], 2, max_iter=50)
    message = next(e["message"] for e in fitted.final.events if e["type"] == "converged")
    assert engine_message(message, ko).endswith("번 반복 후 수렴했습니다"), message


def test_plot_snapshot_and_restart_titles_in_korean(walk):
    from matplotlib.figure import Figure

    ax = vizgmm.plot_snapshot(walk, 3, ax=Figure().add_subplot(), lang="ko")
    assert ax.get_title() == "3번째 반복" and ax.get_ylabel() == "밀도"
    assert {"데이터", "혼합"} <= {t.get_text() for t in ax.get_legend().get_texts()}
    english = vizgmm.plot_snapshot(walk, 0, ax=Figure().add_subplot(), lang="en")
    assert english.get_title() == "Epoch 0" and english.get_ylabel() == "density"


def test_notebook_view_in_korean(walk):
    from vizgmm.pages.notebook import caption, history_html

    assert caption(walk, lang="ko").endswith("점 하나당 평균 로그우도 -3.8797")
    assert "10번 반복" in caption(walk, lang="ko") and "10 epochs" in caption(walk, lang="en")
    html = history_html(walk, format="player", lang="ko")
    assert "10번 반복" in html and "반복 플레이어" in html


def test_the_race_of_restarts_draws_in_korean(tmp_path):
    # animate_race passes every grid option to its scene, lang included.
    import numpy as np

    from vizgmm.animate.scenes.race import RaceScene

    rng = np.random.default_rng(0)
    x = np.concatenate([rng.normal(0, 1, 80), rng.normal(6, 1, 80)])
    result = vizgmm.restarts(x, 2, n_init=3, init="random-from-data", seed=0)
    assert vizgmm.animate_race(result, tmp_path / "race.gif", lang="ko").stat().st_size > 0
    with RaceScene(result, lang="ko") as race:
        race.frame(1)
        assert race.title == "시작값 3개, k = 2: 가장 좋은 것은 온전히, 나머지는 흐리게"
        assert race.scene.title_text.get_text().startswith("1번째 반복")

"""A variational fit's report and command-line summary speak of its ELBO and say how many components stay active."""

import re

import numpy as np
import pytest
from cli_helpers import run

import vizgmm
from vizgmm.look.variational import FADE_WEIGHT


def _text(html):
    return " ".join(re.sub(r"<[^>]+>", " ", html).split())


def test_the_report_has_no_em_bound_section_and_states_the_active_count(drained_fit, tmp_path):
    history, active = drained_fit
    html = vizgmm.report(history, tmp_path / "report.html", animation="none").read_text(encoding="utf-8")
    text = _text(html)
    # EM's "Why the log-likelihood can only rise" charts a bound the variational fit does not climb.
    assert 'id="lower-bound"' not in html and "can only rise" not in text
    assert f"{active} of 6 components keep weight above 1 %; {6 - active} were drained by the Dirichlet-process " \
           "prior (weight_concentration_prior 0.001)" in text
    assert "Lower bound (ELBO) per epoch" in text
    assert "tolerance 0.001 on the total lower bound (ELBO)" in text and "on the mean log-likelihood" not in text
    # The chart's last point is the final ELBO, the table's score column the ELBO of every epoch.
    elbo = history.settings["lower_bounds"][-1]
    assert f"{elbo:,.4f}"[:-1] in text.replace("\u2212", "-")
    # The reproducing call names the priors, so it repeats this fit, not a default one.
    assert "weight_concentration_prior=0.001" in html


def test_an_em_report_keeps_its_bound_section(tmp_path):
    x = np.concatenate([np.random.default_rng(0).normal(0, 1, 200), np.random.default_rng(1).normal(5, 1, 200)])
    html = vizgmm.report(vizgmm.fit(x, 2, seed=0), tmp_path / "r.html", animation="none").read_text(encoding="utf-8")
    assert 'id="lower-bound"' in html and "active components" not in html


def test_the_cli_summary_speaks_of_the_elbo_and_the_active_count(drained_fit, tmp_path):
    history, active = drained_fit
    np.savetxt(tmp_path / "two.csv", history.X, delimiter=",", header="a,b", comments="")
    proc = run(tmp_path, "fit", "two.csv", "-k", "6", "--columns", "a,b", "--method", "variational",
               "--weight-concentration-prior", "0.001", "--init", "kmeans++", "--max-iter", "300",
               "--no-gif", "--no-mp4", "--no-html", "--out", "out")
    out = proc.stdout
    assert "variational EM" not in out and "mean log-likelihood" not in out
    assert "Fitted the variational Bayesian mixture, k=6" in out
    assert f"lower bound (ELBO) {history.settings['lower_bounds'][-1]:,.4f}" in out
    assert f"{active} of 6 components keep weight above 1 %" in out


def test_the_player_payload_marks_faded_components_and_the_count(drained_fit):
    from vizgmm.pages.player_data import player_payload

    history, active = drained_fit
    payload = player_payload(history, bound=True)
    assert payload["bound"] is None  # EM's bound view: not for a variational fit
    assert payload["score_title"] == "lower bound (ELBO)"
    final = history.final
    assert payload["faded"][-1] == [j for j in range(6) if final.weights[j] < FADE_WEIGHT]
    assert payload["active"][-1] == f"{active} of 6 components keep weight above 1 %; {6 - active} were drained"
    assert player_payload(vizgmm.fit(history.X, 2, seed=0, max_iter=3))["faded"] is None


@pytest.mark.browser
def test_the_player_fades_drained_components_and_states_the_count(drained_fit, browser, tmp_path):
    history, active = drained_fit
    path = vizgmm.player(history, tmp_path / "player.html")
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    try:
        page.goto(path.as_uri() + f"#epoch={history.final.epoch}")
        page.wait_for_selector(".vzp[data-ready]")
        opacity = page.evaluate("""() => Array.from(document.querySelectorAll('.vzp-shapes > g'))
                                      .map(g => parseFloat(getComputedStyle(g).opacity))""")
        rows = page.evaluate("""() => Array.from(document.querySelectorAll('.vzp-table tbody tr'))
                                   .map(r => parseFloat(getComputedStyle(r).opacity))""")
        expected = [0.25 if w < FADE_WEIGHT else 1.0 for w in history.final.weights]
        assert opacity == expected and rows == expected
        assert page.locator(".vzp-active").text_content() == (
            f"{active} of 6 components keep weight above 1 %; {6 - active} were drained.")
        assert page.locator(".vzp-ll-title").first.text_content() == "lower bound (ELBO) per epoch"
        assert page.locator(".vzp-bound-block").count() == 0
        # At the start every component holds weight: none faded, all six counted.
        page.locator(".vzp-first").click()
        assert page.evaluate("""() => Array.from(document.querySelectorAll('.vzp-shapes > g'))
                                   .every(g => getComputedStyle(g).opacity === '1')""")
        assert page.locator(".vzp-active").text_content().startswith("All 6 components keep weight above 1 %")
    finally:
        page.close()


def test_the_report_does_not_call_a_variational_fit_em(drained_fit, tmp_path):
    history, _ = drained_fit
    html = vizgmm.report(history, tmp_path / "report.html", animation="gif", player=True).read_text(encoding="utf-8")
    assert "How the variational fit moved" in html and "How EM moved" not in html

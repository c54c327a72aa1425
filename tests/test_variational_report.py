"""A variational fit's report and command-line summary speak of its ELBO and say how many components stay active."""

import re

import numpy as np
import pytest

import vizgmm
from cli_helpers import run
from vizgmm.look.variational import FADE_WEIGHT


@pytest.fixture(scope="module")
def drained():
    """Six components on two clusters: the Dirichlet-process prior drains several below 1 % weight."""
    rng = np.random.default_rng(7)
    X = np.vstack([rng.normal([0, 0], 0.5, size=(120, 2)), rng.normal([4, 4], 0.5, size=(120, 2))])
    history = vizgmm.fit(X, 6, method="variational", init="kmeans++", seed=0, max_iter=300,
                         weight_concentration_prior=1e-3)
    drained = int((history.final.weights < FADE_WEIGHT).sum())
    assert 1 <= drained < 6
    return history, 6 - drained


def _text(html):
    return " ".join(re.sub(r"<[^>]+>", " ", html).split())


def test_the_report_has_no_em_bound_section_and_states_the_active_count(drained, tmp_path):
    history, active = drained
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


def test_the_cli_summary_speaks_of_the_elbo_and_the_active_count(drained, tmp_path):
    history, active = drained
    np.savetxt(tmp_path / "two.csv", history.X, delimiter=",", header="a,b", comments="")
    proc = run(tmp_path, "fit", "two.csv", "-k", "6", "--columns", "a,b", "--method", "variational",
               "--weight-concentration-prior", "0.001", "--init", "kmeans++", "--max-iter", "300",
               "--no-gif", "--no-mp4", "--no-html", "--out", "out")
    out = proc.stdout
    assert "variational EM" not in out and "mean log-likelihood" not in out
    assert "Fitted the variational Bayesian mixture, k=6" in out
    assert f"lower bound (ELBO) {history.settings['lower_bounds'][-1]:,.4f}" in out
    assert f"{active} of 6 components keep weight above 1 %" in out

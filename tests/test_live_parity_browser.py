"""The live player's EM engine (templates/partials/em.js) in Chromium against vizgmm's Python engine.

The same data and the same start must give the same parameters, labels and
log-likelihoods, epoch by epoch, to 1e-9 relative over 20 epochs: soft and
hard EM, every covariance type, 1-D and 2-D, and the cases the Python engine
guards (a component that loses every point, identical points).
"""

import json

import numpy as np
import pytest

import vizgmm
from vizgmm.pages.templates import template_environment

pytest.importorskip("playwright.sync_api")
pytestmark = pytest.mark.browser

EPOCHS = 20
RTOL = 1e-9
TYPES = ("full", "diag", "spherical", "tied")


@pytest.fixture(scope="module")
def engine(browser):
    """A blank page with em.js loaded (its EM object on window, for the test only)."""
    source = template_environment().get_template("partials/em.js").render()
    context = browser.new_context()
    page = context.new_page()
    errors = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.set_content(f"<!doctype html><script>{source}\nwindow.EM = EM;</script>")
    assert page.evaluate("typeof window.EM.fit") == "function"
    yield page
    assert errors == []
    context.close()


def _data_sets():
    rng = np.random.default_rng(7)
    one = np.concatenate([rng.normal(236, 9, 120), rng.normal(262, 11, 80)])[:, None]
    two = np.vstack([rng.multivariate_normal([0, 0], [[4, 1.5], [1.5, 2]], 150),
                     rng.multivariate_normal([6, 30], [[1, -0.8], [-0.8, 9]], 100)])
    three = np.vstack([rng.normal([0, 0], 1, (60, 2)), rng.normal([5, 5], 1, (60, 2)), rng.normal([0, 8], 1, (60, 2))])
    return {"1d": (one, [[225.0], [270.0]]), "2d-scales": (two, [[1.0, 5.0], [4.0, 20.0]]),
            "2d-three": (three, [[-1.0, 0.0], [4.0, 4.0], [1.0, 9.0]])}


def _start(X, means):
    means = np.asarray(means, dtype=float)
    k, d = means.shape
    spread = np.atleast_2d(np.cov(X, rowvar=False, bias=True))
    # Different covariances and weights per component, so each covariance type has something to do.
    covariances = np.stack([spread * (0.5 + 0.4 * j) + (0.2 * spread[0, 0] * (np.eye(d)[::-1] if d == 2 else 0))
                            for j in range(k)])
    weights = np.arange(1, k + 1, dtype=float)
    return {"means": means.tolist(), "covariances": covariances.tolist(), "weights": (weights / weights.sum()).tolist()}


def _python(X, start, method, covariance_type, epochs=EPOCHS, reg_covar=1e-6):
    h = vizgmm.fit(X, len(start["weights"]), method=method, init=start, covariance_type=covariance_type,
                   tol=0, max_iter=epochs, reg_covar=reg_covar)
    # fit() renumbers the components by their final means; undo it with snapshot 0 (the start, renumbered).
    given = np.asarray(start["means"])
    order = [int(np.argmin(np.abs(given - m).sum(axis=1))) for m in h[0].means]
    inverse = np.argsort(order)
    return h, inverse


def _js(page, X, start, method, covariance_type, epochs=EPOCHS, reg_covar=1e-6):
    options = {"method": method, "covariance_type": covariance_type, "reg_covar": reg_covar, "tol": 0,
               "max_iter": epochs}
    par = {"means": start["means"], "covs": start["covariances"], "weights": start["weights"]}
    out = page.evaluate("([rows, start, o]) => JSON.stringify(EM.fit(rows, start, o))",
                        [X.tolist(), par, options])
    # JSON.stringify writes NaN and ±Infinity as null: a null anywhere below fails the float conversion.
    return json.loads(out)


def _close(js, py, what, epoch):
    js, py = np.asarray(js, dtype=float), np.asarray(py, dtype=float)
    assert np.isfinite(js).all(), f"{what} at epoch {epoch} is not finite: {js}"
    scale = max(np.abs(py).max(), 1e-300)
    error = np.abs(js - py).max() / scale
    assert error <= RTOL, f"{what} at epoch {epoch}: relative error {error:.2e}"
    return error


def _compare(page, X, start, method, covariance_type, **kw):
    h, inverse = _python(X, start, method, covariance_type, **kw)
    out = _js(page, X, start, method, covariance_type, **kw)
    assert "error" not in out, out.get("error")
    snaps = out["snapshots"]
    assert [s["epoch"] for s in snaps] == [s.epoch for s in h]
    worst = 0.0
    for s, snap in zip(snaps, h):
        e = snap.epoch
        worst = max(worst,
                    _close(s["means"], snap.means[inverse], "means", e),
                    _close(s["covs"], snap.covariances[inverse], "covariances", e),
                    _close(s["weights"], snap.weights[inverse], "weights", e),
                    _close(s["loglik"], snap.log_likelihood, "log-likelihood", e))
        order = np.argsort(inverse)  # Python's component number of each JS component
        assert (order[np.asarray(s["labels"])] == snap.labels).all(), f"labels at epoch {e}"
        assert s["counts"] == [int(c) for c in snap.counts[inverse]]
    return h, snaps, worst


@pytest.mark.parametrize("method", ["soft", "hard"])
@pytest.mark.parametrize("covariance_type", TYPES)
@pytest.mark.parametrize("name", ["1d", "2d-scales", "2d-three"])
def test_js_epochs_equal_the_python_engine(engine, name, covariance_type, method):
    X, means = _data_sets()[name]
    _, snaps, worst = _compare(engine, X, _start(X, means), method, covariance_type)
    assert len(snaps) == EPOCHS + 1
    assert worst <= RTOL


@pytest.mark.parametrize("method", ["soft", "hard"])
@pytest.mark.parametrize("d", [1, 2])
def test_a_component_far_from_every_point_is_kept_with_weight_zero(engine, d, method):
    rng = np.random.default_rng(1)
    X = rng.normal(0, 1, (80, d))
    far = [[0.0] * d, [0.5] * d, [1e3] * d]  # the third starts a thousand σ away, narrow: it gets nothing
    covariances = [np.eye(d).tolist(), np.eye(d).tolist(), (1e-2 * np.eye(d)).tolist()]
    start = {"means": far, "covariances": covariances, "weights": [0.4, 0.4, 0.2]}
    h, snaps, _ = _compare(engine, X, start, method, "full")
    assert snaps[-1]["weights"][2] == 0.0 and h[-1].weights.min() == 0.0
    assert snaps[-1]["means"][2] == far[2]  # kept where it was
    assert any(ev["type"] == "empty" for s in snaps for ev in s["events"])


@pytest.mark.parametrize("covariance_type", TYPES)
@pytest.mark.parametrize("method", ["soft", "hard"])
@pytest.mark.parametrize("d", [1, 2])
def test_a_component_on_identical_points_collapses_to_the_floor_without_nan(engine, d, method, covariance_type):
    far = np.array([[20.0], [21.0], [22.5], [24.0]]) * np.ones(d)
    X = np.vstack([np.full((36, d), 3.25), far])
    start = {"means": [[3.0] * d, [22.0] * d], "covariances": [np.eye(d).tolist()] * 2, "weights": [0.5, 0.5]}
    h, snaps, _ = _compare(engine, X, start, method, covariance_type)
    if covariance_type != "tied":
        # The component on the identical points sits on the reg_covar floor, as in Python.
        assert np.allclose(np.diagonal(snaps[-1]["covs"][0]), 1e-6, rtol=1e-6)


@pytest.mark.parametrize("method", ["soft", "hard"])
@pytest.mark.parametrize("d", [1, 2])
def test_only_identical_points_never_give_nan(engine, d, method):
    # More components than distinct points: Python's fit refuses it, but a reader can click it in the page.
    X = np.full((12, d), -1.5)
    start = {"means": [[-2.0] * d, [0.0] * d, [3.0] * d], "covs": [np.eye(d).tolist()] * 3, "weights": [0.2, 0.3, 0.5]}
    options = {"method": method, "covariance_type": "full", "reg_covar": 1e-6, "tol": 0, "max_iter": EPOCHS}
    out = json.loads(engine.evaluate("([rows, start, o]) => JSON.stringify(EM.fit(rows, start, o))",
                                     [X.tolist(), start, options]))
    assert "error" not in out
    for s in out["snapshots"]:
        for key in ("means", "covs", "weights", "loglik"):
            assert np.isfinite(np.asarray(s[key], dtype=float)).all(), (key, s["epoch"])
    last = out["snapshots"][-1]
    assert sum(w > 0 for w in last["weights"]) >= 1 and abs(sum(last["weights"]) - 1) < 1e-12


def test_reg_covar_is_used_as_python_uses_it(engine):
    X, means = _data_sets()["2d-three"]
    _compare(engine, X, _start(X, means), "soft", "full", reg_covar=0.5)


@pytest.mark.parametrize("name", ["1d", "2d-scales", "2d-three"])
@pytest.mark.parametrize("k", [1, 2, 4])
def test_the_spread_start_is_the_python_one(engine, name, k):
    from vizgmm.model.starts import spread_start

    X, _ = _data_sets()[name]
    means, covariances, weights = spread_start(X, k, 1e-6)
    js = engine.evaluate("([rows, k]) => EM.spreadStart(EM.columns(rows), k, 1e-6)", [X.tolist(), k])
    _close(js["means"], means, "spread means", 0)
    _close(js["covs"], covariances, "spread covariances", 0)
    _close(js["weights"], weights, "spread weights", 0)

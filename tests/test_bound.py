"""The lower bound of issue 22: properties that EM's theory says must hold, checked numerically."""

import numpy as np
import pytest
from sklearn.mixture import GaussianMixture

import vizgmm
from vizgmm.model.bound import bound_path, bound_slice, path_parameters, reg_covar_slack
from vizgmm.model.gaussian import precision_cholesky

T = np.linspace(-0.5, 1.5, 21)
COVARIANCE_TYPES = ("full", "diag", "spherical", "tied")


def _data(d, seed):
    rng = np.random.default_rng(seed)
    if d == 1:
        return np.concatenate([rng.normal(0, 1, 150), rng.normal(4, 0.7, 90), rng.normal(9, 1.5, 60)])
    a = rng.multivariate_normal([0, 0], [[1, 0.6], [0.6, 1]], 150)
    b = rng.multivariate_normal([4, 1], [[0.5, -0.2], [-0.2, 0.8]], 100)
    c = rng.multivariate_normal([1, 5], [[1.5, 0], [0, 0.4]], 70)
    return np.vstack([a, b, c])


def _fit(d, covariance_type, method, seed=1):
    # "random-from-data" starts far from the answer, so several epochs move a lot.
    return vizgmm.fit(_data(d, seed), 3, method=method, covariance_type=covariance_type,
                      init="random-from-data", seed=seed, max_iter=6, tol=0)


CASES = [(d, ct, m) for d in (1, 2) for ct in COVARIANCE_TYPES for m in ("soft", "hard")
         if not (d == 1 and ct in ("diag", "spherical"))]  # in 1-D these equal "full"


@pytest.mark.parametrize("d, covariance_type, method", CASES)
def test_bound_properties(d, covariance_type, method):
    history = _fit(d, covariance_type, method)
    assert history.epochs >= 4
    for epoch in (1, 2, history.epochs):
        log_p, bound = bound_slice(history, epoch, T)
        scale = max(1.0, np.abs(log_p).max())
        fp = 1e-10 * scale
        # Jensen: the bound never crosses the log-likelihood.
        assert (bound <= log_p + fp).all()
        ends_p, ends_l = bound_slice(history, epoch, [0.0, 1.0])
        # The path's ends are the snapshots: their log-likelihoods are the history's.
        np.testing.assert_allclose(ends_p, [history[epoch - 1].log_likelihood, history[epoch].log_likelihood],
                                   rtol=1e-10)
        # The M-step maximises the bound (reg_covar costs at most the documented slack).
        slack = reg_covar_slack(history, epoch)
        assert 0 <= slack < 1e-6
        assert (bound <= ends_l[1] + slack + fp).all()
        if method == "soft":
            # The E-step makes the bound touch, so the log-likelihood cannot fall.
            assert abs(ends_l[0] - ends_p[0]) <= fp
            assert ends_p[1] >= ends_p[0] - fp
        else:
            # Hard EM's L is the classification log-likelihood Σ log φ_z N(x | θ_z).
            snap = history[epoch - 1]
            z = snap.labels.astype(int)
            X = history.X
            gm = _sklearn(history, snap)
            log_joint = gm._estimate_weighted_log_prob(X)[np.arange(len(X)), z]
            assert ends_l[0] == pytest.approx(log_joint.sum(), rel=1e-10)


def _sklearn(history, snap):
    gm = GaussianMixture(history.k, covariance_type="full")
    gm.weights_ = snap.weights
    gm.means_ = snap.means
    gm.covariances_ = snap.covariances
    gm.precisions_cholesky_ = precision_cholesky(snap.covariances)
    return gm


@pytest.mark.parametrize("covariance_type", COVARIANCE_TYPES)
def test_log_likelihood_along_the_path_equals_scikit_learn(covariance_type):
    history = _fit(2, covariance_type, "soft")
    for t in (-0.5, 0.3, 1.4):
        means, cov_chol, weights = path_parameters(history[1], history[2], t)
        covs = cov_chol @ np.transpose(cov_chol, (0, 2, 1))
        # The path stays in the model's family: positive definite, on the simplex, same structure.
        assert (np.linalg.eigvalsh(covs) > 0).all()
        assert weights.sum() == pytest.approx(1.0) and (weights > 0).all()
        off = covs - covs * np.eye(2)
        if covariance_type in ("diag", "spherical"):
            assert np.abs(off).max() == 0
        if covariance_type == "spherical":
            np.testing.assert_allclose(covs[:, 0, 0], covs[:, 1, 1], rtol=1e-12)
        if covariance_type == "tied":
            np.testing.assert_allclose(covs, np.repeat(covs[:1], 3, axis=0), rtol=1e-12)
        gm = GaussianMixture(3, covariance_type="full")
        gm.weights_, gm.means_, gm.covariances_ = weights, means, covs
        gm.precisions_cholesky_ = precision_cholesky(covs)
        expected = gm.score_samples(history.X).sum()
        assert bound_slice(history, 2, t).log_likelihood == pytest.approx(expected, rel=1e-10)


def test_hard_em_leaves_a_gap_soft_em_closes():
    x, _ = vizgmm.walkthrough_data()
    hard = vizgmm.fit(x, 2, method="hard", init=vizgmm.WALKTHROUGH_INIT)
    soft = vizgmm.fit(x, 2, method="soft", init=vizgmm.WALKTHROUGH_INIT)
    assert bound_slice(hard, 3, 0.0).gap > 1.0
    assert bound_slice(soft, 3, 0.0).gap == pytest.approx(0.0, abs=1e-8)


def test_bound_path_stitches_the_slices():
    history = _fit(1, "full", "soft")
    path = bound_path(history, samples=8)
    assert path["bound"].shape == (history.epochs, path["t"].size)
    for e in (1, history.epochs):
        log_p, bound = bound_slice(history, e, path["t"])
        np.testing.assert_array_equal(path["bound"][e - 1], bound)
        np.testing.assert_array_equal(path["log_likelihood"][e - 1], log_p)
        np.testing.assert_allclose(path["x"][e - 1], e - 1 + path["t"])


def test_epoch_out_of_range_is_one_clear_error():
    history = _fit(1, "full", "soft")
    with pytest.raises(vizgmm.OptionError, match="epoch 0 has no bound"):
        bound_slice(history, 0, 0.5)
    with pytest.raises(vizgmm.OptionError, match="use an epoch from 1"):
        bound_slice(history, history.epochs + 1, 0.5)

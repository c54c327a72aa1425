"""Record a scikit-learn GaussianMixture epoch by epoch, to animate the model people already use.

scikit-learn fits in one call and keeps only the end. :func:`from_sklearn`
clones the estimator's configuration with ``warm_start=True, max_iter=1``
and calls ``fit`` again and again: each call runs exactly one more E-step and
M-step from where the previous one stopped, so after call j the estimator
holds the parameters a normal ``fit`` with ``max_iter=j`` would end with.
Each set of parameters becomes a snapshot, evaluated by vizgmm's own
:mod:`vizgmm.gaussian` (labels, log-likelihood), so the renderer and the
report read it like any other history.

scikit-learn is an optional dependency: it is imported only here, when called.
"""

import warnings
from typing import Any

import numpy as np
from numpy.typing import ArrayLike

from vizgmm.data.validate import as_data_matrix, check_k
from vizgmm.errors import OptionError
from vizgmm.model.em import _snapshot
from vizgmm.model.gaussian import (
    label_dtype,
    labels_from_log_prob,
    log_posterior,
    weighted_log_prob,
)
from vizgmm.model.history import History, epochs_text
from vizgmm.params import check

MISSING = "from_sklearn needs scikit-learn: pip install 'vizgmm[sklearn]'"


def from_sklearn(estimator: Any, X: ArrayLike, *, max_iter: int | None = None) -> History:
    """The epoch-by-epoch history of a scikit-learn ``GaussianMixture`` configuration on ``X``.

    A ``BayesianGaussianMixture`` is recorded the same way, as a history with
    ``settings["method"] == "variational"``: its expected weights, means and
    covariances, the labels of its variational E-step, and its lower bound per
    epoch in ``settings["lower_bounds"]`` (None for snapshot 0, whose
    responsibilities scikit-learn does not keep).

    The estimator itself is left untouched: only its parameters are copied
    (``sklearn.base.clone``), fitted or not.

    Snapshot 0 is the initial state scikit-learn starts EM from. With all
    three of ``means_init``, ``weights_init`` and ``precisions_init`` given,
    those are the initial parameters. Otherwise they come from the estimator's
    own initialisation (``init_params``, e.g. k-means), computed by
    ``_initialize_parameters`` — a private scikit-learn method, the only way to
    see the start — with the same random state the stepping then uses. A
    ``random_state`` of None or a RandomState is replaced by a fixed integer
    drawn from it (recorded as ``history.settings["seed"]``) so that snapshot
    0 and the stepped fit start from the same place. ``n_init`` is set to 1:
    the history follows one initialisation, the first one scikit-learn would
    try with that seed.

    Snapshot j (j >= 1) holds the parameters after j EM iterations; stepping
    stops when scikit-learn's own rule says converged (the lower bound changed
    by less than ``tol``, noticed one iteration after vizgmm's ``fit`` would),
    or after ``max_iter`` iterations.

    Parameters
    ----------
    estimator : sklearn.mixture.GaussianMixture or BayesianGaussianMixture
    X : array-like, shape (n,) or (n, d)
    max_iter : int or None
        Most iterations to record; default the estimator's ``max_iter``.

    Returns
    -------
    History
        Covariances are converted to full (k, d, d) matrices whatever the
        estimator's ``covariance_type``.
    """
    try:
        from sklearn import __version__ as sklearn_version
        from sklearn.base import clone
        from sklearn.exceptions import ConvergenceWarning
        from sklearn.mixture import BayesianGaussianMixture, GaussianMixture
        from sklearn.utils import check_random_state
    except ImportError:
        raise OptionError(MISSING) from None

    if not isinstance(estimator, (GaussianMixture, BayesianGaussianMixture)):
        raise OptionError(
            "from_sklearn records a sklearn.mixture.GaussianMixture or BayesianGaussianMixture, "
            f"got {type(estimator).__name__}"
        )
    bayesian = isinstance(estimator, BayesianGaussianMixture)
    X = as_data_matrix(X)
    n, d = X.shape
    k = check_k(estimator.n_components, X)
    if max_iter is None:
        max_iter = estimator.max_iter
    max_iter = check("max_iter", max_iter)

    random_state = estimator.random_state
    if not isinstance(random_state, (int, np.integer)) or isinstance(random_state, bool):
        random_state = int(check_random_state(random_state).randint(2**31 - 1))
    config = clone(estimator).set_params(random_state=int(random_state), n_init=1, verbose=0)

    start = clone(config)
    try:
        # fit() would check these first; the initialisation below bypasses fit.
        if hasattr(start, "_validate_params"):
            start._validate_params()
        _call_with_namespace(start._check_parameters, X)
        start._initialize_parameters(X, check_random_state(config.random_state))
    except ValueError as exc:
        raise OptionError(f"scikit-learn refuses the estimator's settings: {str(exc).splitlines()[0]}") from None
    explicit = not bayesian and all(
        getattr(config, name) is not None for name in ("means_init", "weights_init", "precisions_init"))
    covariance_type = config.covariance_type
    if bayesian:
        start._set_parameters(start._get_parameters())  # weights_ from the weights' posterior
    if not bayesian and config.precisions_init is not None:
        # scikit-learn keeps no covariances_ when given precisions; invert what its E-step uses.
        covariances = _from_precision_cholesky(start.precisions_cholesky_, covariance_type, k, d)
    else:
        covariances = _full_covariances(start.covariances_, covariance_type, k, d)

    settings = {
        "k": k,
        "method": "variational" if bayesian else "soft",
        "init": "explicit" if explicit else f"scikit-learn {config.init_params}",
        "covariance_type": covariance_type,
        "max_iter": int(max_iter),
        "tol": float(config.tol),
        "reg_covar": float(config.reg_covar),
        "seed": int(random_state),
        "keep_responsibilities": False,
        "engine": f"scikit-learn {sklearn_version}",
        "estimator": repr(config),
    }
    if bayesian:
        # The ELBO of snapshot 0 needs the start's responsibilities, which scikit-learn does not keep.
        settings["lower_bounds"] = [None]
    history = History(X=X, settings=settings, meta={"engine": "scikit-learn"})
    history.append(_variational(0, X, start) if bayesian else _evaluate(
        0, X, np.asarray(start.means_, dtype=float).reshape(k, d), covariances,
        np.asarray(start.weights_, dtype=float), config.reg_covar))

    stepper = clone(config).set_params(warm_start=True, max_iter=1)
    for epoch in range(1, max_iter + 1):
        with warnings.catch_warnings():
            # Every one-iteration fit that has not converged yet warns; that is the point here.
            warnings.simplefilter("ignore", ConvergenceWarning)
            stepper.fit(X)
        if bayesian:
            snapshot = _variational(epoch, X, stepper)
            settings["lower_bounds"].append(float(np.ravel(stepper.lower_bound_)[0]))
        else:
            snapshot = _evaluate(
                epoch, X, np.asarray(stepper.means_, dtype=float),
                _full_covariances(stepper.covariances_, covariance_type, k, d),
                np.asarray(stepper.weights_, dtype=float), config.reg_covar,
            )
        history.append(snapshot)
        if stepper.converged_:
            snapshot.events.append({
                "type": "converged",
                "message": f"converged after {epochs_text(epoch)} (scikit-learn's rule: lower bound changed by < tol)",
            })
            break
    return history


def _call_with_namespace(method, X):
    """Call a private scikit-learn check that, since 1.6 or so, wants the array namespace too."""
    import inspect

    if "xp" in inspect.signature(method).parameters:
        from sklearn.utils._array_api import get_namespace

        return method(X, xp=get_namespace(X)[0])
    return method(X)


def _variational(epoch, X, model):
    """A snapshot of a BayesianGaussianMixture's state: vizgmm's variational E-step gives its labels."""
    from vizgmm.model import variational

    params = {
        "weight_concentration": model.weight_concentration_, "mean_precision": model.mean_precision_,
        "means": np.asarray(model.means_, dtype=float), "degrees_of_freedom": model.degrees_of_freedom_,
        "covariances": np.asarray(model.covariances_, dtype=float),
        "precisions_cholesky": np.asarray(model.precisions_cholesky_, dtype=float),
    }
    prior_type = model.weight_concentration_prior_type
    log_resp = variational.e_step(X, params, {"weight_concentration_prior_type": prior_type}, model.covariance_type)
    return variational._snapshot(epoch, X, params, log_resp, prior_type, model.covariance_type)


def _evaluate(epoch, X, means, covariances, weights, reg_covar):
    """A snapshot of these parameters, its labels and log-likelihood computed by vizgmm."""
    log_prob = weighted_log_prob(X, means, covariances, weights)
    log_norm, resp = log_posterior(log_prob)
    labels = labels_from_log_prob(log_prob, label_dtype(len(weights)))
    return _snapshot(X, X.std(axis=0), epoch, means, covariances, weights, labels, log_norm, resp, reg_covar, False)


def _full_covariances(covariances, covariance_type, k, d):
    """scikit-learn's covariances_ of any covariance_type as full matrices, shape (k, d, d).

    full (k, d, d), tied (d, d), diag (k, d), spherical (k,).
    """
    cov = np.asarray(covariances, dtype=float)
    if covariance_type == "full":
        return cov.reshape(k, d, d).copy()
    if covariance_type == "tied":
        return np.repeat(cov.reshape(1, d, d), k, axis=0)
    if covariance_type == "diag":
        return cov.reshape(k, d)[:, :, None] * np.eye(d)
    return cov.reshape(k)[:, None, None] * np.eye(d)


def _from_precision_cholesky(prec_chol, covariance_type, k, d):
    """Covariances, shape (k, d, d), from scikit-learn's precisions_cholesky_ of any type."""
    pc = np.asarray(prec_chol, dtype=float)
    if covariance_type in ("diag", "spherical"):
        return _full_covariances(1.0 / pc**2, covariance_type, k, d)
    factors = pc.reshape(-1, d, d)
    covariances = np.array([np.linalg.inv(u @ u.T) for u in factors])
    return _full_covariances(covariances if covariance_type == "full" else covariances[0], covariance_type, k, d)

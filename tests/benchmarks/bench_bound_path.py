"""bound_path (issue 22's lower bound along EM's path), batched over t and components, against the old per-t loop.

Run:  python tests/benchmarks/bench_bound_path.py [--n 5000] [--epochs 50] [--repeats 3]

A 2-D soft fit, k = 3, with the samples the player's bound view asks for
(:func:`vizgmm.pages.player_bound.bound_payload`). The baseline is a copy of
the implementation before the batching (one scipy ``solve_triangular`` per
t and component, one E-step evaluation per t), kept below as it was; both
run in the same process, in turns, best of ``repeats``. Also prints how far
the two disagree (goal: ≤ 1e-12 relative) and the player's build time with
the bound view (new and old bound), and without it. Prints; asserts nothing.
"""

import argparse
import time

import numpy as np

import vizgmm
from vizgmm.model.bound import bound_path
from vizgmm.model.gaussian import data_columns, log_posterior, weighted_log_prob

# ---------------------------------------------------------------- the baseline, as it was at a23b024


def old_path_parameters(start, end, t):
    t = float(t)
    means = (1 - t) * start.means + t * end.means
    c0 = np.linalg.cholesky(start.covariances)
    c1 = np.linalg.cholesky(end.covariances)
    cov_chol = (1 - t) * c0 + t * c1
    d = c0.shape[1]
    diag = np.exp((1 - t) * np.log(np.diagonal(c0, axis1=1, axis2=2)) + t * np.log(np.diagonal(c1, axis1=1, axis2=2)))
    cov_chol[:, np.arange(d), np.arange(d)] = diag
    w0, w1 = np.asarray(start.weights, float), np.asarray(end.weights, float)
    alive = w0 > 0 if t == 0.0 else w1 > 0 if t == 1.0 else (w0 > 0) & (w1 > 0)
    with np.errstate(divide="ignore", invalid="ignore"):
        log_w = np.where(alive, (1 - t) * np.log(np.where(w0 > 0, w0, 1.0)) + t * np.log(np.where(w1 > 0, w1, 1.0)), 0.0)
    weights = np.where(alive, np.exp(log_w - log_w[alive].max()), 0.0)
    weights /= weights.sum()
    return means, cov_chol, weights


def old_precision_from_cov_chol(cov_chol):
    from scipy import linalg

    k, d, _ = cov_chol.shape
    eye = np.eye(d)
    return np.stack([linalg.solve_triangular(cov_chol[j], eye, lower=True).T for j in range(k)])


OLD_CHUNK = 1_000_000


def old_q_and_entropy(history, epoch, columns):
    snap = history[epoch - 1]
    k = history.k
    n = columns.shape[1]
    if history.settings.get("method", "soft") == "hard":
        labels = np.asarray(snap.labels, dtype=np.intp)
        q = np.zeros((k, n))
        q[labels, np.arange(n)] = 1.0
        return q, 0.0
    q = np.empty((k, n))
    neg_entropy = 0.0
    for lo in range(0, n, OLD_CHUNK):
        block = columns[:, lo:lo + OLD_CHUNK]
        log_prob = weighted_log_prob(block.T, snap.means, snap.covariances, snap.weights, columns=block)
        log_norm, resp = log_posterior(log_prob)
        q[:, lo:lo + OLD_CHUNK] = resp
        with np.errstate(invalid="ignore"):
            neg_entropy += float(np.where(resp > 0, resp * (log_prob - log_norm), 0.0).sum())
    return q, neg_entropy


def old_bound_slice(history, epoch, t):
    ts = np.asarray(t, dtype=float)
    columns = data_columns(history.X)
    n = columns.shape[1]
    q, neg_entropy = old_q_and_entropy(history, epoch, columns)
    start, end = history[epoch - 1], history[epoch]
    log_p = np.empty(ts.size)
    bound = np.empty(ts.size)
    for i, ti in enumerate(ts.ravel()):
        means, cov_chol, weights = old_path_parameters(start, end, ti)
        prec = old_precision_from_cov_chol(cov_chol)
        total_p = 0.0
        total_l = 0.0
        for lo in range(0, n, OLD_CHUNK):
            block = columns[:, lo:lo + OLD_CHUNK]
            log_prob = weighted_log_prob(block.T, means, None, weights, prec_chol=prec, columns=block)
            qb = q[:, lo:lo + OLD_CHUNK]
            with np.errstate(invalid="ignore"):
                total_l += float(np.where(qb > 0, qb * log_prob, 0.0).sum())
            log_norm, _ = log_posterior(log_prob, overwrite=True)
            total_p += float(log_norm.sum())
        log_p[i] = total_p
        bound[i] = total_l - neg_entropy
    return log_p.reshape(ts.shape), bound.reshape(ts.shape)


def old_bound_path(history, samples=24, beyond=0.35):
    epochs = history.epochs
    inner = np.linspace(0.0, 1.0, samples + 1)
    extra = max(1, int(round(beyond * samples)))
    t = np.concatenate([np.linspace(-beyond, 0.0, extra + 1)[:-1], inner,
                        np.linspace(1.0, 1.0 + beyond, extra + 1)[1:]])
    log_p = np.empty((epochs, t.size))
    bound = np.empty((epochs, t.size))
    for e in range(1, epochs + 1):
        log_p[e - 1], bound[e - 1] = old_bound_slice(history, e, t)
    zero = int(np.flatnonzero(t == 0.0)[0])
    one = int(np.flatnonzero(t == 1.0)[0])
    return {"t": t, "x": (np.arange(epochs)[:, None] + t[None, :]), "log_likelihood": log_p, "bound": bound,
            "touch": bound[:, zero].copy(), "peak": bound[:, one].copy(), "zero": zero, "one": one,
            "method": history.settings.get("method", "soft")}


# ---------------------------------------------------------------- the measurement


def make_history(n, epochs):
    rng = np.random.default_rng(0)
    centres = np.array([[0.0, 0.0], [4.0, 1.0], [1.0, 5.0]])
    X = np.vstack([rng.normal(centres[j], 1.0 + 0.3 * j, size=(n // 3 + (j < n % 3), 2)) for j in range(3)])
    return vizgmm.fit(X, 3, seed=0, max_iter=epochs, tol=0)


def player_samples(history):
    """The samples per epoch the player's bound view uses (vizgmm.pages.player_bound.bound_payload)."""
    from vizgmm.pages.player_bound import BUDGET

    epochs = history.epochs
    return max(int(min(8, max(2, 320 // epochs), BUDGET // (history.n * epochs * 2))), 2)


def best(repeats, fn):
    times = []
    for _ in range(repeats):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return min(times)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--n", type=int, default=5000)
    parser.add_argument("--epochs", type=int, default=50)
    parser.add_argument("--repeats", type=int, default=3)
    args = parser.parse_args()
    history = make_history(args.n, args.epochs)
    samples = player_samples(history)
    print(f"2-D soft fit, n = {history.n}, k = {history.k}, {history.epochs} epochs; "
          f"bound_path(samples={samples}, beyond=0.25) as the player asks")

    new = bound_path(history, samples=samples, beyond=0.25)
    old = old_bound_path(history, samples=samples, beyond=0.25)
    rel = max(float(np.max(np.abs(new[key] - old[key]) / np.abs(old[key]))) for key in ("log_likelihood", "bound"))
    print(f"largest relative difference, new against old: {rel:.1e} (goal <= 1e-12)")

    t_new = t_old = float("inf")
    for _ in range(args.repeats):  # in turns, so a busy machine slows both alike
        t_old = min(t_old, best(1, lambda: old_bound_path(history, samples=samples, beyond=0.25)))
        t_new = min(t_new, best(1, lambda: bound_path(history, samples=samples, beyond=0.25)))
    print(f"bound_path: old {t_old * 1e3:8.1f} ms, new {t_new * 1e3:8.1f} ms, old / new {t_old / t_new:.1f}x")

    import vizgmm.look.bound_view as bound_view
    from vizgmm.pages.player import player_fragment

    player_fragment(history, bound=False)  # templates and imports loaded once, outside the timing
    p_new = p_old = p_none = float("inf")
    for _ in range(args.repeats):
        p_none = min(p_none, best(1, lambda: player_fragment(history, bound=False)))
        p_new = min(p_new, best(1, lambda: player_fragment(history)))
        bound_view.bound_path = old_bound_path
        try:
            p_old = min(p_old, best(1, lambda: player_fragment(history)))
        finally:
            bound_view.bound_path = bound_path
    print(f"player build: without the bound view {p_none * 1e3:7.1f} ms; with it {p_new * 1e3:7.1f} ms "
          f"({p_new / p_none:.1f}x); with it and the old bound {p_old * 1e3:7.1f} ms ({p_old / p_none:.1f}x)")


if __name__ == "__main__":
    main()

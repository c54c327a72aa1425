  // -- em.js: vizgmm's EM engine (vizgmm/model/em.py and gaussian.py) in plain JavaScript --------
  // The same steps in the same order as the Python engine, so the same data and start give the
  // same parameters (tests/test_live_parity_browser.py holds the two to 1e-9 relative):
  // E-step through the Cholesky factor of each precision, M-step from centred data with
  // scikit-learn's 10·eps, reg_covar on the diagonal, and the Python engine's guards: a component
  // with no weight keeps its mean and covariance with φ = 0; a covariance that is not positive
  // definite stops the fit with the Python engine's message instead of drawing NaN.
  var EM = (function () {
    var EPS10 = 10 * 2.220446049250313e-16, LOG_2PI = Math.log(2 * Math.PI), COLLAPSE_FACTOR = 2.0;
    var SPREAD_REACH = 2.5, SPREAD_WIDTH = 2.0;
    var SINGULAR = "covariance is numerically singular (its spread in one direction is below float " +
      "precision of another: the points lie nearly on a line or far apart compared with their spread); " +
      "move the points apart or lower k";

    // numpy's pairwise summation (as np.sum does along a contiguous axis): accurate for long sums.
    function psum(a, lo, n) {
      var i, res;
      if (n < 8) { res = 0; for (i = 0; i < n; i++) res += a[lo + i]; return res; }
      if (n <= 128) {
        var r = [a[lo], a[lo + 1], a[lo + 2], a[lo + 3], a[lo + 4], a[lo + 5], a[lo + 6], a[lo + 7]];
        for (i = 8; i < n - (n % 8); i += 8) for (var j = 0; j < 8; j++) r[j] += a[lo + i + j];
        res = ((r[0] + r[1]) + (r[2] + r[3])) + ((r[4] + r[5]) + (r[6] + r[7]));
        for (; i < n; i++) res += a[lo + i];
        return res;
      }
      var n2 = Math.floor(n / 2);
      n2 -= n2 % 8;
      return psum(a, lo, n2) + psum(a, lo + n2, n - n2);
    }
    function total(a) { return psum(a, 0, a.length); }
    function dot(a, b, tmp) { for (var i = 0; i < a.length; i++) tmp[i] = a[i] * b[i]; return total(tmp); }

    /** Data rows [[x], ...] or [[x, y], ...] as d columns (Float64Array each). */
    function columns(rows) {
      var n = rows.length, d = n ? rows[0].length : 1, cols = [];
      for (var a = 0; a < d; a++) {
        var c = new Float64Array(n);
        for (var i = 0; i < n; i++) c[i] = rows[i][a];
        cols.push(c);
      }
      return cols;
    }

    /** Upper-triangular U with U Uᵀ the precision (scipy: cholesky, then solve_triangular, transposed); null if not PD. */
    function precisionCholesky(cov) {
      var d = cov.length, L = [], a, b, c, s;
      for (a = 0; a < d; a++) L.push(new Array(d).fill(0));
      for (b = 0; b < d; b++) {
        s = cov[b][b];
        for (c = 0; c < b; c++) s -= L[b][c] * L[b][c];
        if (!(s > 0) || !isFinite(s)) return null;
        L[b][b] = Math.sqrt(s);
        for (a = b + 1; a < d; a++) {
          s = cov[a][b];
          for (c = 0; c < b; c++) s -= L[a][c] * L[b][c];
          L[a][b] = s / L[b][b];
        }
      }
      // L⁻¹ column by column by forward substitution (LAPACK's dtrsm order), then transposed.
      var U = [];
      for (a = 0; a < d; a++) U.push(new Array(d).fill(0));
      for (var col = 0; col < d; col++) {
        var x = new Array(d).fill(0);
        x[col] = 1;
        for (c = 0; c < d; c++) {
          if (x[c] === 0) continue;
          x[c] /= L[c][c];
          for (a = c + 1; a < d; a++) x[a] -= x[c] * L[a][c];
        }
        for (a = 0; a < d; a++) U[col][a] = x[a];  // U = (L⁻¹)ᵀ: U[col][a] = L⁻¹[a][col]
      }
      return U;
    }

    /**
     * The E-step under par = {means (k×d), covs (k×d×d), weights (k)}: responsibilities (k rows of n),
     * labels (argmax, ties to the lower index), log p(x_i) and their sum; or {error} when a covariance
     * is not positive definite.
     */
    function eStep(cols, par) {
      var d = cols.length, n = cols[0].length, k = par.weights.length, j, i, a, b;
      var logProb = [], diffs = [], y = new Float64Array(n);
      for (a = 0; a < d; a++) diffs.push(new Float64Array(n));
      for (j = 0; j < k; j++) {
        var U = precisionCholesky(par.covs[j]);
        if (!U) return { error: "component " + (j + 1) + "'s " + SINGULAR, component: j };
        var logDet = 0;
        for (a = 0; a < d; a++) logDet += Math.log(U[a][a]);
        var row = new Float64Array(n), mu = par.means[j];
        for (a = 0; a < d; a++) for (i = 0; i < n; i++) diffs[a][i] = cols[a][i] - mu[a];
        for (b = 0; b < d; b++) {
          for (i = 0; i < n; i++) y[i] = diffs[b][i] * U[b][b];
          for (a = 0; a < b; a++) for (i = 0; i < n; i++) y[i] += diffs[a][i] * U[a][b];
          for (i = 0; i < n; i++) row[i] = b === 0 ? y[i] * y[i] : row[i] + y[i] * y[i];
        }
        var shift = Math.log(par.weights[j]) + logDet - 0.5 * d * LOG_2PI;  // -Infinity for φ = 0
        for (i = 0; i < n; i++) row[i] = row[i] * -0.5 + shift;
        logProb.push(row);
      }
      var labels = new Uint8Array(n), best = Float64Array.from(logProb[0]);
      for (j = 1; j < k; j++) {
        var r2 = logProb[j];
        for (i = 0; i < n; i++) if (r2[i] > best[i]) { labels[i] = j; best[i] = r2[i]; }
      }
      // log-sum-exp as gaussian.log_posterior: subtract the top, exponentiate, sum over components.
      var norm = new Float64Array(n), resp = [];
      for (i = 0; i < n; i++) if (!isFinite(best[i])) best[i] = 0;
      for (j = 0; j < k; j++) {
        var e = new Float64Array(n), lp = logProb[j];
        for (i = 0; i < n; i++) { e[i] = Math.exp(lp[i] - best[i]); norm[i] = j === 0 ? e[i] : norm[i] + e[i]; }
        resp.push(e);
      }
      for (j = 0; j < k; j++) for (i = 0; i < n; i++) resp[j][i] /= norm[i];
      for (i = 0; i < n; i++) norm[i] = Math.log(norm[i]) + best[i];
      var counts = new Array(k).fill(0);
      for (i = 0; i < n; i++) counts[labels[i]] += 1;
      return { resp: resp, labels: labels, logNorm: norm, loglik: total(norm), counts: counts };
    }

    function oneHot(labels, k) {
      var resp = [];
      for (var j = 0; j < k; j++) resp.push(new Float64Array(labels.length));
      for (var i = 0; i < labels.length; i++) resp[labels[i]][i] = 1;
      return resp;
    }

    /** The M-step (em.m_step): weights, means and covariances from responsibilities; prev keeps empty components. */
    function mStep(cols, resp, type, reg, prev) {
      var d = cols.length, n = cols[0].length, k = resp.length, j, a, b, i;
      var tmp = new Float64Array(n), counts = [], nk = [], means = [], scatter = [];
      for (j = 0; j < k; j++) { counts.push(total(resp[j])); nk.push(counts[j] + EPS10); }
      var diffs = [], weighted = [];
      for (a = 0; a < d; a++) { diffs.push(new Float64Array(n)); weighted.push(new Float64Array(n)); }
      var keepOff = type === "full" || type === "tied";
      for (j = 0; j < k; j++) {
        var mu = [];
        for (a = 0; a < d; a++) mu.push(dot(resp[j], cols[a], tmp) / nk[j]);
        means.push(mu);
        var S = [];
        for (a = 0; a < d; a++) S.push(new Array(d).fill(0));
        for (a = 0; a < d; a++) for (i = 0; i < n; i++) {
          diffs[a][i] = cols[a][i] - mu[a];
          weighted[a][i] = diffs[a][i] * resp[j][i];
        }
        for (a = 0; a < d; a++) for (b = keepOff ? 0 : a; b <= a; b++) S[a][b] = S[b][a] = dot(weighted[a], diffs[b], tmp);
        scatter.push(S);
      }
      var nkSum = 0;
      for (j = 0; j < k; j++) nkSum += nk[j];
      var covs = [];
      for (j = 0; j < k; j++) {
        var C = [];
        for (a = 0; a < d; a++) {
          C.push(new Array(d).fill(0));
          for (b = 0; b < d; b++) {
            if (type === "tied") {
              var s = 0;
              for (var m = 0; m < k; m++) s += scatter[m][a][b];
              C[a][b] = s / nkSum;
            } else {
              C[a][b] = scatter[j][a][b] / nk[j];
            }
          }
        }
        if (type === "spherical") {
          var tr = 0;
          for (a = 0; a < d; a++) tr += C[a][a];
          tr /= d;
          for (a = 0; a < d; a++) for (b = 0; b < d; b++) C[a][b] = a === b ? tr : 0;
        }
        for (a = 0; a < d; a++) C[a][a] += reg;
        covs.push(C);
      }
      var weights = nk.map(function (v) { return v / nkSum; });
      var empty = counts.map(function (c) { return c === 0; });
      if (empty.indexOf(true) >= 0) {
        var w = 0;
        for (j = 0; j < k; j++) { if (empty[j]) weights[j] = 0; }
        for (j = 0; j < k; j++) w += weights[j];
        for (j = 0; j < k; j++) weights[j] /= w;
        if (prev) for (j = 0; j < k; j++) if (empty[j]) { means[j] = prev.means[j].slice(); covs[j] = copyCov(prev.covs[j]); }
      }
      return { means: means, covs: covs, weights: weights };
    }

    function copyCov(c) { return c.map(function (r) { return r.slice(); }); }
    function copyPar(p) {
      return { means: p.means.map(function (m) { return m.slice(); }), covs: p.covs.map(copyCov), weights: p.weights.slice() };
    }
    function smallestVariance(c) {
      if (c.length === 1) return c[0][0];
      var mid = (c[0][0] + c[1][1]) / 2, r = Math.sqrt((c[0][0] - c[1][1]) * (c[0][0] - c[1][1]) / 4 + c[0][1] * c[0][1]);
      return mid - r;
    }

    /** One snapshot: the parameters, the E-step under them, and the events the Python engine records. */
    function snapshot(epoch, cols, par, reg, prevWeights) {
      var e = eStep(cols, par);
      if (e.error) return e;
      var events = [];
      for (var j = 0; j < par.weights.length; j++) {
        if (prevWeights && par.weights[j] === 0 && prevWeights[j] > 0) events.push({ type: "empty", component: j });
        else if (par.weights[j] > 0 && smallestVariance(par.covs[j]) <= COLLAPSE_FACTOR * reg) events.push({ type: "collapse", component: j });
      }
      return { epoch: epoch, means: par.means, covs: par.covs, weights: par.weights, labels: e.labels, resp: e.resp,
               loglik: e.loglik, counts: e.counts, events: events };
    }

    /** The next epoch after snapshot s (M-step from its responsibilities or labels, then the E-step); {error} on failure. */
    function next(cols, s, o) {
      var k = s.weights.length;
      var resp = o.method === "hard" ? oneHot(s.labels, k) : s.resp;
      var par = mStep(cols, resp, o.covariance_type, o.reg_covar, s);
      var t = snapshot(s.epoch + 1, cols, par, o.reg_covar, s.weights);
      if (t.error) return t;
      var n = cols[0].length, changed = 0;
      for (var i = 0; i < n; i++) if (t.labels[i] !== s.labels[i]) changed += 1;
      t.changed = changed;
      t.converged = o.tol > 0 && (Math.abs(t.loglik / n - s.loglik / n) < o.tol || (o.method === "hard" && changed === 0));
      return t;
    }

    /**
     * A whole fit from an explicit start, as vizgmm.fit(X, k, init=start, max_iter=..., tol=...) before it
     * renumbers the components: plain arrays, for tests and for the page.
     */
    function fit(rows, start, o) {
      var cols = columns(rows), s = snapshot(0, cols, copyPar(start), o.reg_covar, null), out = [];
      for (var epoch = 0; ; epoch++) {
        if (s.error) return { error: s.error, snapshots: out };
        out.push({ epoch: s.epoch, means: s.means, covs: s.covs, weights: s.weights, loglik: s.loglik,
                   counts: s.counts, labels: Array.from(s.labels), events: s.events });
        if (epoch >= o.max_iter || s.converged) break;
        s = next(cols, s, o);
      }
      return { snapshots: out };
    }

    /** vizgmm's "spread" start (model/starts.spread_start) for 1-D and 2-D data: means along the main axis. */
    function spreadStart(cols, k, reg) {
      var d = cols.length, n = cols[0].length, a, b, i, centre = [], cov = [];
      for (a = 0; a < d; a++) centre.push(total(cols[a]) / n);
      var tmp = new Float64Array(n), dev = [];
      for (a = 0; a < d; a++) { dev.push(new Float64Array(n)); for (i = 0; i < n; i++) dev[a][i] = cols[a][i] - centre[a]; }
      for (a = 0; a < d; a++) { cov.push([]); for (b = 0; b < d; b++) cov[a].push(dot(dev[a], dev[b], tmp) / n + (a === b ? reg : 0)); }
      var scale = cov.map(function (r, q) { return Math.sqrt(r[q]); }), axis;
      if (d === 1) axis = [scale[0]];
      else {
        var p = cov[0][0] / (scale[0] * scale[0]), r = cov[0][1] / (scale[0] * scale[1]), q = cov[1][1] / (scale[1] * scale[1]);
        var lam = (p + q) / 2 + Math.sqrt((p - q) * (p - q) / 4 + r * r), v = r !== 0 ? [r, lam - p] : (p > q ? [1, 0] : [0, 1]);
        var len = Math.hypot(v[0], v[1]);
        axis = [v[0] / len * scale[0], v[1] / len * scale[1]];
      }
      var big = Math.abs(axis[0]) >= Math.abs(axis[d - 1]) ? 0 : d - 1, sign = axis[big] < 0 ? -1 : 1;
      axis = axis.map(function (v2) { return v2 * sign; });
      var aa = 0, aca = 0;
      for (a = 0; a < d; a++) { aa += axis[a] * axis[a]; for (b = 0; b < d; b++) aca += axis[a] * cov[a][b] * axis[b]; }
      var sd = Math.sqrt(aca) / aa, means = [], covs = [], weights = [];
      for (var j = 0; j < k; j++) {
        var t = k > 1 ? -SPREAD_REACH + 2 * SPREAD_REACH * j / (k - 1) : 0;
        means.push(centre.map(function (c, q2) { return c + t * sd * axis[q2]; }));
        covs.push(cov.map(function (row) { return row.map(function (v3) { return SPREAD_WIDTH * SPREAD_WIDTH * v3; }); }));
        weights.push(1 / k);
      }
      return { means: means, covs: covs, weights: weights };
    }

    return { columns: columns, eStep: eStep, mStep: mStep, snapshot: snapshot, next: next, fit: fit,
             spreadStart: spreadStart, copy: copyPar, sum: total, oneHot: oneHot, smallestVariance: smallestVariance,
             COLLAPSE_FACTOR: COLLAPSE_FACTOR };
  })();

    // -- bound_live.js: the lower-bound view of the page's own EM (inside player_live.js: same scope) ---------
    // Epoch i's bound is vizgmm.model.bound.bound_slice's: q from the E-step at θ(i−1) (the responsibilities,
    // or hard EM's labels), L(q, θ(t)) and log p(θ(t)) along the path θ(t) from θ(i−1) to θ(i) and a little
    // beyond, by that module's parametrisation (means linear, Cholesky factors with a geometric diagonal,
    // weights through a softmax of their logarithms). The page knows θ(i) at the E-stop: the M-step is
    // computed then (and reused when the reader steps on). The recorded player's drawBound draws it, from the
    // numbers this file puts into B (pixels and formatted captions, as pages/player_bound.py makes them).
    var LB_T = [-0.25, -0.125], LB_ZERO = 2, LB_ONE = 10, LOG2PI = Math.log(2 * Math.PI), bounds = [], ahead = null;
    for (var tq = 0; tq <= 8; tq++) LB_T.push(tq / 8);
    LB_T.push(1.125, 1.25);

    // The M-step from snapshot s, computed once (for the bound at the E-stop, then for the M-step itself).
    function mStepOf(s) {
      if (ahead && ahead.from === s) return ahead.par;
      var resp = L.method === "hard" ? EM.oneHot(s.labels, k) : s.resp;
      ahead = { from: s, par: EM.mStep(cols, resp, L.covariance_type, L.reg_covar, s) };
      return ahead.par;
    }
    function lowerChol(c) {
      if (c.length === 1) return [[Math.sqrt(c[0][0])]];
      var a = Math.sqrt(c[0][0]), b = c[1][0] / a;
      return [[a, 0], [b, Math.sqrt(c[1][1] - b * b)]];
    }
    function pathAt(from, to, t) {
      // bound._path at one t.
      var out = { means: [], chol: [], logDiag: [], logW: [] }, top = -Infinity, j, a;
      for (j = 0; j < k; j++) {
        var c0 = lowerChol(from.covs[j]), c1 = lowerChol(to.covs[j]), C = [], ld = [];
        out.means.push(from.means[j].map(function (m, q2) { return (1 - t) * m + t * to.means[j][q2]; }));
        for (a = 0; a < dim; a++) {
          C.push(c0[a].map(function (v, b2) { return (1 - t) * v + t * c1[a][b2]; }));
          ld.push((1 - t) * Math.log(c0[a][a]) + t * Math.log(c1[a][a]));
          C[a][a] = Math.exp(ld[a]);
        }
        out.chol.push(C); out.logDiag.push(ld);
        var w0 = from.weights[j], w1 = to.weights[j], alive = t === 0 ? w0 > 0 : t === 1 ? w1 > 0 : w0 > 0 && w1 > 0;
        var lw = alive ? (1 - t) * Math.log(w0 > 0 ? w0 : 1) + t * Math.log(w1 > 0 ? w1 : 1) : -Infinity;
        out.logW.push(lw); top = Math.max(top, lw);
      }
      var norm = 0;
      for (j = 0; j < k; j++) { out.logW[j] -= top; norm += Math.exp(out.logW[j]); }
      for (j = 0; j < k; j++) out.logW[j] -= Math.log(norm);
      return out;
    }
    function boundOf(s, to) {
      // bound_slice along the path from snapshot s's parameters to ``to``, q from s.
      var n = cols[0].length, q = L.method === "hard" ? EM.oneHot(s.labels, k) : s.resp, negEntropy = 0, counts = [];
      var j, i;
      for (j = 0; j < k; j++) {
        counts.push(EM.sum(q[j]));
        if (L.method !== "hard") for (i = 0; i < n; i++) if (q[j][i] > 0) negEntropy += q[j][i] * Math.log(q[j][i]);
      }
      var ll = [], lb = [], lp = new Float64Array(k);
      LB_T.forEach(function (t) {
        var th = pathAt(s, to, t), totalP = 0, totalL = new Float64Array(k), shift = [];
        for (j = 0; j < k; j++) shift.push(th.logDiag[j].reduce(function (x, y) { return x + y; }, 0) + 0.5 * dim * LOG2PI);
        for (i = 0; i < n; i++) {
          var best = -Infinity;
          for (j = 0; j < k; j++) {
            var C = th.chol[j], z0 = (cols[0][i] - th.means[j][0]) / C[0][0], m2 = z0 * z0;
            if (dim === 2) { var z1 = (cols[1][i] - th.means[j][1] - C[1][0] * z0) / C[1][1]; m2 += z1 * z1; }
            var logN = -0.5 * m2 - shift[j];
            if (q[j][i] !== 0) totalL[j] += q[j][i] * logN;
            lp[j] = logN + th.logW[j];
            if (lp[j] > best) best = lp[j];
          }
          if (!isFinite(best)) best = 0;
          var e = 0;
          for (j = 0; j < k; j++) e += Math.exp(lp[j] - best);
          totalP += Math.log(e) + best;
        }
        var b = -negEntropy;
        for (j = 0; j < k; j++) b += totalL[j] + (counts[j] > 0 ? counts[j] * th.logW[j] : 0);
        ll.push(totalP); lb.push(b);
      });
      return { ll: ll, lb: lb };
    }

    // pages.formatting.format_number(v, 6) and player_bound._caption_numbers: log p, L and the gap.
    function minus(text) { return text.replace(/-/g, "\u2212"); }
    function grouped(v, decimals) {
      return v.toLocaleString("en-US", { minimumFractionDigits: decimals, maximumFractionDigits: decimals, useGrouping: true });
    }
    function captionNumbers(logP, bound) {
      var text, decimals = 2;
      if (logP === 0) text = "0";
      else {
        var mag = Math.floor(Math.log10(Math.abs(logP)));
        if (mag >= 15 || mag < -4) text = logP.toExponential(5).replace(/e([+-])(\d)$/, "e$10$2");
        else { decimals = Math.max(0, 5 - mag); text = grouped(logP, decimals); }
      }
      var gap = logP - bound;
      if (Math.abs(gap) < 0.5 * Math.pow(10, -decimals)) gap = 0;
      return [minus(text), minus(grouped(bound, decimals)), minus(grouped(gap, decimals))];
    }

    // bound_view_data's limits, then bound_payload's pixels, for the epochs so far.
    function scaleBounds() {
      var lls = [], touch = [], peak = [], e, j;
      for (e = 0; e < bounds.length; e++) {
        for (j = e === 0 ? LB_ZERO : LB_ZERO + 1; j <= LB_ONE; j++) lls.push(bounds[e].ll[j]);
        touch.push(bounds[e].lb[LB_ZERO]); peak.push(bounds[e].lb[LB_ONE]);
      }
      var min = function (a) { return Math.min.apply(null, a); }, max = function (a) { return Math.max.apply(null, a); };
      var lo = Math.min(min(lls), min(touch)), hi = Math.max(max(lls), max(peak));
      if (bounds.length > 2) {
        var later = lls.slice(LB_ONE - LB_ZERO + 1), restLo = Math.min(min(later), min(touch.slice(1)));
        if (restLo - lo > 4 * Math.max(hi - restLo, 1e-9)) lo = restLo;
      }
      var span = Math.max(hi - lo, Math.max(Math.abs(hi) * 1e-6, 1e-9));
      lo -= 0.12 * span; hi += 0.08 * span;
      // The y labels first: the plot starts right of the longest, as bound_payload places it.
      var yt = ticks(lo, hi, 4), decimals = 0, labels;
      while (decimals < 8 && Math.abs(Number(yt.step.toFixed(decimals)) - yt.step) > 1e-9 * yt.step) decimals += 1;
      yt.values = yt.values.filter(function (v) { return v >= lo && v <= hi; });
      labels = yt.values.map(function (v) { return minus(grouped(v, decimals)); });
      var longest = Math.max.apply(null, labels.map(function (t2) { return t2.length; }).concat([1]));
      var box2 = B.box, x0 = Math.max(box2[0], 36 + 9 * longest), x1 = box2[1], y0 = box2[2], y1 = box2[3];
      var xmin = LB_T[0], xmax = bounds.length - 1 + LB_T[LB_T.length - 1];
      var X = function (x) { return x0 + (x - xmin) / (xmax - xmin) * (x1 - x0); };
      var Y = function (v) { return Math.round(10 * Math.max(y1 - 40, Math.min(y0 + 40, y0 + (v - lo) / (hi - lo) * (y1 - y0)))) / 10; };
      B.x = LB_T.map(function (t) { return Math.round(10 * X(t)) / 10; });
      B.dx = X(1) - X(0); B.zero = LB_ZERO; B.one = LB_ONE;
      B.ll = bounds.map(function (b) { return b.ll.map(Y); });
      B.bound = bounds.map(function (b) { return b.lb.map(Y); });
      B.numbers = bounds.map(function (b) {
        return captionNumbers(b.ll[LB_ZERO], b.lb[LB_ZERO]).concat(captionNumbers(b.ll[LB_ONE], b.lb[LB_ONE]));
      });
      // The axes: as the log-likelihood chart's, growing with the run.
      var grid = bq(".vzp-grid"), tk = bq(".vzp-ticks"), xt = ticks(0, bounds.length, Math.min(bounds.length, 6));
      grid.textContent = ""; tk.textContent = "";
      yt.values.forEach(function (v, n) {
        el("line", { x1: x0, x2: x1, y1: Y(v), y2: Y(v) }, grid);
        el("text", { x: x0 - 6, y: Y(v) + 5, "text-anchor": "end" }, tk).textContent = labels[n];
      });
      xt.values.forEach(function (v) {
        if (v !== Math.round(v)) return;
        el("line", { x1: X(v).toFixed(1), x2: X(v).toFixed(1), y1: y1, y2: y0 }, grid);
        el("text", { x: X(v).toFixed(1), y: y0 + 18, "text-anchor": "middle" }, tk).textContent = String(v);
      });
      el("text", { x: (x0 + x1) / 2, y: B.h - 6, "text-anchor": "middle" }, tk).textContent = W.bound_x;
    }

    // The bound view at the live stop: epoch 1's at the start, epoch i's at its E- and M-stops.
    function drawLiveBound() {
      if (!B || !B.live) return;
      var i = phase === "e" ? epoch + 1 : phase === "m" ? epoch : 1;
      if (bounds.length < i) {
        var s = phase === "e" ? snap : pending || (pending = EM.snapshot(epoch, cols, par, L.reg_covar, prevWeights));
        if (s.error || bounds.length !== i - 1) { bBlock.hidden = true; return; }
        bounds.push(boundOf(s, mStepOf(s)));
      }
      bBlock.hidden = false;
      scaleBounds();
      drawPath();
      drawBound(phase === "start" ? { kind: "start" } : { kind: phase, i: i });
    }

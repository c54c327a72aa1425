    // -- player_live.js: the live player, inside the player's init (it draws with the same functions) -----
    // EM runs here (em.js, the Python engine's steps) on the recorded points and any the reader adds.
    // A stop is what the recorded player's half-steps show: the start, then "Epoch i · E-step" (the
    // labels and responsibilities under the parameters of epoch i−1) and "Epoch i · M-step" (the new
    // parameters, the points still wearing the E-step's labels).
    var L = P.live, dim = P.d, SUB = "₀₁₂₃₄₅₆₇₈₉";
    var stepBtn = q(".vzp-lstep"), runBtn = q(".vzp-lrun"), resetBtn = q(".vzp-lreset"), kSel = q(".vzp-lk");
    var tbody = q(".vzp-table tbody"), llSvg = q(".vzp-ll"), llLine = q(".vzp-ll-line");
    var llGrid = llSvg.querySelector(".vzp-grid"), llTicks = llSvg.querySelector(".vzp-ticks");
    var rowsData, cols, par, snap, prevWeights, epoch, phase, lls, path, runTimer = null, lastCaption = "";
    // The E-step under the parameters an M-step just made: computed with that M-step, so the chart's line
    // reaches the epoch the cursor marks (as in the recorded player), and used as the next E-step.
    var pending = null;

    // vizgmm.look.notes.format_value: two decimals, or Python's "%.3g" when tiny or huge.
    function g3(v) {
      var parts = v.toExponential(2).split("e"), e = parseInt(parts[1], 10);
      if (e < -4 || e >= 3) {
        return parts[0].replace(/\.?0+$/, "") + "e" + (e < 0 ? "-" : "+") + (Math.abs(e) < 10 ? "0" : "") + Math.abs(e);
      }
      return v.toFixed(2 - e).replace(/(\.\d*?)0+$/, "$1").replace(/\.$/, "");
    }
    function fv(v) {
      var a = Math.abs(v);
      return (v === 0 || (a >= 0.01 && a < 1e5) ? v.toFixed(2) : g3(v)).replace("-", "\u2212");
    }
    function sub(j) { return String(j + 1).split("").map(function (c) { return SUB[+c]; }).join(""); }
    function count(c) { return c.toLocaleString("en-US"); }
    function sd(c, a) { return Math.sqrt(Math.max(c[a][a], 0)); }

    function rowsToPoints() {
      var out = [];
      for (var i = 0; i < L.X.length; i += dim) out.push(L.X.slice(i, i + dim));
      return out;
    }
    function pointXY(r) { return [px(r[0]), flat ? V.rug : py(r[1])]; }

    // -- the table's rows, one per component (rebuilt when k changes) ---------------------------
    function buildRows() {
      tbody.textContent = "";
      for (var j = 0; j < k; j++) {
        var tr = document.createElement("tr"), th = document.createElement("th"), sw = document.createElement("span");
        tr.setAttribute("data-j", j); tr.tabIndex = 0;
        th.setAttribute("scope", "row"); sw.className = "vzp-swatch k" + j; sw.setAttribute("aria-hidden", "true");
        th.appendChild(sw); th.appendChild(document.createTextNode(L.names[j]));
        tr.appendChild(th);
        for (var c = 0; c <= P.columns.length; c++) tr.appendChild(document.createElement("td"));
        (function (jj) {
          tr.addEventListener("pointerenter", function () { highlight(jj); });
          tr.addEventListener("pointerleave", function () { highlight(null); });
          tr.addEventListener("focus", function () { highlight(jj); });
          tr.addEventListener("blur", function () { highlight(null); });
        })(String(j));
        tbody.appendChild(tr);
      }
    }
    function cells(j) {
      var m = par.means[j], c = par.covs[j], w = par.weights[j].toFixed(2);
      if (flat) return [fv(m[0]), fv(sd(c, 0)), w];
      var s0 = sd(c, 0), s1 = sd(c, 1), rho = s0 * s1 > 0 ? c[0][1] / (s0 * s1) : 0;
      return ["(" + fv(m[0]) + ", " + fv(m[1]) + ")", fv(s0) + ", " + fv(s1), fv(rho), w];
    }

    // -- the points: the recorded ones, then the reader's -----------------------------------------
    function buildDots() {
      pointsG.textContent = "";
      dots = [];
      for (var i = 0; i < rowsData.length; i++) addDot(rowsData[i]);
    }
    function addDot(r) {
      var xy = pointXY(r);
      dots.push(el("circle", { cx: xy[0].toFixed(2), cy: xy[1].toFixed(2), r: flat ? 2.4 : 2.1, "class": "kn" }, pointsG));
    }
    function colourDots() {
      var colours = null;
      if (snap && L.method === "soft" && !flat) {
        var style = getComputedStyle(root);
        colours = [];
        for (var c = 0; c < k; c++) colours.push(rgb(style.getPropertyValue("--vzp-c" + (c % 10)).trim()));
      }
      for (var i = 0; i < dots.length; i++) {
        var j = snap ? snap.labels[i] : -1;
        dots[i].setAttribute("class", j < 0 ? "kn" : "k" + j);
        dots[i].setAttribute("data-j", j < 0 ? "" : j);
        if (!colours) { dots[i].style.fill = ""; continue; }
        // Soft EM in 2-D: the colour blends the components' by the responsibilities, as in the frames.
        var mix = [0, 0, 0];
        for (var q2 = 0; q2 < k; q2++) for (var ch = 0; ch < 3; ch++) mix[ch] += snap.resp[q2][i] * colours[q2][ch];
        dots[i].style.fill = "rgb(" + mix.map(Math.round).join(",") + ")";
      }
    }

    // -- the log-likelihood so far, on axes that grow with it ----------------------------------
    function niceStep(span, n) {
      var raw = span / n, mag = Math.pow(10, Math.floor(Math.log10(raw))), f = raw / mag;
      return (f <= 1 ? 1 : f <= 2 ? 2 : f <= 2.5 ? 2.5 : f <= 5 ? 5 : 10) * mag;
    }
    function ticks(lo, hi, n) {
      var st = niceStep(hi - lo, n), out = [];
      for (var t = Math.ceil(lo / st - 1e-9) * st; t <= hi + 1e-9 * st; t += st) out.push(Math.abs(t) < 1e-9 * st ? 0 : t);
      return { values: out, step: st };
    }
    function drawChart() {
      var B = P.loglik.box, last = Math.max(epoch, 1, lls.length ? lls[lls.length - 1][0] : 0);
      var ys = lls.map(function (p) { return p[1]; });
      var lo = ys.length ? Math.min.apply(null, ys) : -1, hi = ys.length ? Math.max.apply(null, ys) : 0;
      if (!(hi > lo)) { var pad = Math.max(Math.abs(hi) * 0.01, 1); lo -= pad; hi += pad; }
      var yt = ticks(lo, hi, 4), xt = ticks(0, last, Math.min(last, 5));
      lo = Math.min(lo, yt.values[0]); hi = Math.max(hi, yt.values[yt.values.length - 1]);
      var X = function (e) { return B[0] + e / last * (B[1] - B[0]); };
      var Y = function (v) { return B[2] + (v - lo) / (hi - lo) * (B[3] - B[2]); };
      // As many decimals as the step needs (player_data._axis): 2.5 reads "2.5", 0.25 "0.25", 20 "20".
      var decimals = 0;
      while (decimals < 8 && Math.abs(Number(yt.step.toFixed(decimals)) - yt.step) > 1e-9 * yt.step) decimals += 1;
      llGrid.textContent = ""; llTicks.textContent = "";
      yt.values.forEach(function (v) {
        el("line", { x1: B[0], x2: B[1], y1: Y(v).toFixed(1), y2: Y(v).toFixed(1) }, llGrid);
        el("text", { x: B[0] - 6, y: (Y(v) + 5).toFixed(1), "text-anchor": "end" }, llTicks).textContent =
          v.toLocaleString("en-US", { minimumFractionDigits: decimals, maximumFractionDigits: decimals }).replace("-", "\u2212");
      });
      xt.values.forEach(function (e) {
        if (e !== Math.round(e)) return;
        el("text", { x: X(e).toFixed(1), y: B[2] + 18, "text-anchor": "middle" }, llTicks).textContent = String(e);
      });
      el("text", { x: (B[0] + B[1]) / 2, y: P.loglik.h - 6, "text-anchor": "middle" }, llTicks).textContent = W.epoch;
      llLine.setAttribute("points", lls.map(function (p) { return X(p[0]).toFixed(1) + "," + Y(p[1]).toFixed(1); }).join(" "));
      cursor.setAttribute("x1", X(epoch).toFixed(1)); cursor.setAttribute("x2", X(epoch).toFixed(1));
    }

    // -- what a live stop shows --------------------------------------------------------------
    function drawFit() {
      if (flat) {
        drawCurves({ mu: par.means.map(function (m) { return m[0]; }), sd: par.covs.map(function (c) { return sd(c, 0); }),
                     phi: par.weights });
      } else {
        drawEllipsesOf({ mu: par.means, cov: par.covs.map(function (c) { return [c[0][0], c[0][1], c[1][1]]; }),
                         phi: par.weights }, path);
      }
      placeHandles();
    }
    function render(text) {
      colourDots();
      drawFit();
      var trs = tbody.querySelectorAll("tr");
      for (var j = 0; j < k; j++) {
        var td = trs[j].querySelectorAll("td"), vals = cells(j);
        for (var c = 0; c < vals.length; c++) td[c].textContent = vals[c];
        td[vals.length].textContent = snap ? count(snap.counts[j]) : "–";
      }
      drawChart();
      var title = phase === "start" ? W.live_start_title : phase === "e" ? say("stop_step", { epoch: epoch + 1, step: W.e_step })
        : say("stop_step", { epoch: epoch, step: W.m_step });
      stopText.textContent = title;
      caption.textContent = lastCaption = text;
      root.setAttribute("data-stop", phase === "start" ? "0" : phase === "e" ? (epoch + 1) + "e" : String(epoch));
      root.setAttribute("data-n", String(rowsData.length));
      drawLiveBound();
    }
    function restart(text) {
      // The parameters shown become epoch 0 of a new run on the current points.
      cols = EM.columns(rowsData);
      snap = null; prevWeights = null; pending = null; ahead = null; bounds = []; epoch = 0; phase = "start"; lls = []; path = [par.means];
      render(text);
    }
    function fail(message) {
      stopRun();
      render(say("live_stopped", { message: message }));
    }

    function eStep() {
      var s = pending || EM.snapshot(epoch, cols, par, L.reg_covar, prevWeights);
      pending = null;
      if (s.error) { fail(s.error); return false; }
      var n = rowsData.length, before = snap, text;
      if (!before) {
        text = say("live_e_first", { count: count(n), counts: s.counts.map(count).join(", ") });
      } else {
        var changed = 0;
        for (var i = 0; i < n; i++) if (s.labels[i] !== before.labels[i]) changed += 1;
        text = nsay(L.method === "soft" ? "live_e_soft" : "live_e_hard", changed, { count: count(changed) });
        // The Python engine's stop: the mean log-likelihood per point moved less than tol (hard EM: no label moved).
        if (L.tol > 0 && (Math.abs(s.loglik / n - before.loglik / n) < L.tol || (L.method === "hard" && changed === 0))) {
          text += "; " + nsay("live_converged", epoch, { count: epoch });
          stopRun();
        }
      }
      snap = s; phase = "e";
      if (!lls.length || lls[lls.length - 1][0] !== epoch) lls.push([epoch, s.loglik]);
      render(text + "; " + say("live_loglik", { value: s.loglik.toLocaleString("en-US", { maximumFractionDigits: 2 }).replace("-", "\u2212") }));
      return true;
    }
    function mStep() {
      var next = mStepOf(snap);
      var moves = [], mus = [], sds = [], phis = [], notes = [];
      for (var j = 0; j < k; j++) {
        var a = par, b = next;
        if (flat) {
          mus.push("μ" + sub(j) + " " + fv(a.means[j][0]) + " → " + fv(b.means[j][0]));
          sds.push("σ" + sub(j) + " " + fv(sd(a.covs[j], 0)) + " → " + fv(sd(b.covs[j], 0)));
        } else {
          mus.push("μ" + sub(j) + " (" + a.means[j].map(fv).join(", ") + ") → (" + b.means[j].map(fv).join(", ") + ")");
        }
        phis.push("φ" + sub(j) + " " + a.weights[j].toFixed(2) + " → " + b.weights[j].toFixed(2));
        if (b.weights[j] === 0 && a.weights[j] > 0) notes.push(say("live_empty", { name: L.names[j] }));
        else if (b.weights[j] > 0 && EM.smallestVariance(b.covs[j]) <= EM.COLLAPSE_FACTOR * L.reg_covar) {
          notes.push(say(flat ? "live_collapse_1d" : "live_collapse_2d", { name: L.names[j] }));
        }
      }
      [mus, sds, phis].forEach(function (part) { if (part.length) moves.push(part.join(", ")); });
      prevWeights = par.weights; par = next; epoch += 1; phase = "m";
      path.push(par.means);
      // The new parameters' log-likelihood now (a failure waits for the E-step, which says it).
      pending = EM.snapshot(epoch, cols, par, L.reg_covar, prevWeights);
      if (!pending.error) lls.push([epoch, pending.loglik]);
      render(say("live_m", { moves: moves.concat(notes).join("; ") }));
      return true;
    }
    function halfStep() { return phase === "e" ? mStep() : eStep(); }

    // -- run, pause, reset, k ---------------------------------------------------------------
    function stopRun() {
      if (runTimer !== null) clearTimeout(runTimer);
      runTimer = null;
      runBtn.textContent = W.live_run; runBtn.setAttribute("aria-pressed", "false");
      root.removeAttribute("data-playing");
    }
    function runTick() {
      runTimer = null;
      if (!halfStep() || runBtn.getAttribute("aria-pressed") !== "true") return;
      if (epoch >= 1000) { stopRun(); return; }
      runTimer = setTimeout(runTick, P.duration / 2);
    }
    function startRun() {
      runBtn.textContent = W.live_pause; runBtn.setAttribute("aria-pressed", "true");
      root.setAttribute("data-playing", "");
      runTimer = setTimeout(runTick, 0);
    }
    function reset() {
      stopRun();
      k = P.k; kSel.value = String(k);
      rowsData = rowsToPoints();
      par = EM.copy(L.start);
      buildShapes(); buildHandles(); buildRows(); buildDots();
      restart(W.live_reset_text);
    }
    function setK(value) {
      stopRun();
      k = value;
      // vizgmm's "spread" start (model/starts.spread_start): means along the data's main axis, wide covariances.
      par = EM.spreadStart(EM.columns(rowsData), k, L.reg_covar);
      buildShapes(); buildHandles(); buildRows();
      restart(say("live_k", { k: k }));
    }
    function addPoint(ev) {
      var pt = sceneAt(ev);
      if (!pt || pt.x < box[0] || pt.x > box[1] || pt.y < box[3] || pt.y > box[2]) return;
      stopRun();
      var r = flat ? [dataX(pt.x)] : [dataX(pt.x), dataY(pt.y)];
      rowsData.push(r); addDot(r);
      // The exact data coordinates, for a reader's tools (and the tests) to read back.
      dots[dots.length - 1].setAttribute("data-x", String(r[0]));
      if (!flat) dots[dots.length - 1].setAttribute("data-y", String(r[1]));
      restart(nsay("live_added", rowsData.length, { where: flat ? "x = " + fv(r[0]) : "(" + fv(r[0]) + ", " + fv(r[1]) + ")",
                                                      count: count(rowsData.length) }));
    }

{% include "partials/player_drag.js" %}
{% include "partials/bound_live.js" %}

    stepBtn.addEventListener("click", function () { stopRun(); halfStep(); });
    runBtn.addEventListener("click", function () { if (runTimer === null && runBtn.getAttribute("aria-pressed") !== "true") startRun(); else stopRun(); });
    resetBtn.addEventListener("click", reset);
    kSel.addEventListener("change", function () { setK(parseInt(kSel.value, 10)); });
    reset();

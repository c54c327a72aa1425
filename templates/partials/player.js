{% if module %}var mountPlayer = {% endif %}(function () {
  "use strict";
  // The same text for every player: it finds its own player (the element around this script),
  // reads that player's numbers, and never touches anything outside it. The notebook widget
  // (partials/widget.js) includes this same text as a module and mounts a player itself.
  var SVG = "http://www.w3.org/2000/svg";

  // options (the widget's): hash (follow the URL's #epoch=, default true), autoplay (default true),
  // onStop(stop) (called with {epoch, half} at every stop shown). Returns a controller: go(epoch,
  // half) shows a stop from outside, destroy() stops the player's timers and window listeners.
  function init(root, options) {
    if (!root || root.getAttribute("data-ready")) return null;
    root.setAttribute("data-ready", "1");
    options = options || {};
    var P = JSON.parse(root.querySelector(":scope > script.vzp-data").textContent);
    // The player's words, in the page's language, from vizgmm's catalogue (pages/player_words.py).
    var W = P.words;
    function fill(text, values) {
      return text.replace(/\{(\w+)\}/g, function (all, name) { return name in values ? String(values[name]) : all; });
    }
    function say(key, values) { return fill(W[key], values); }
    // A sentence with a count: W[key] is [one, other] from the catalogue (pages/player_words.live_words).
    function nsay(key, n, values) { return fill(W[key][W.plural_one && n === 1 ? 0 : 1], values); }
    var V = P.view, k = P.k, S = P.epochs.length, flat = P.d === 1;
    var q = function (sel) { return root.querySelector(sel); };
    var scene = q(".vzp-scene"), shapes = q(".vzp-shapes"), pointsG = q(".vzp-points");
    var caption = q(".vzp-caption"), stopText = q(".vzp-stop"), slider = q(".vzp-slider");
    var playBtn = q(".vzp-play"), speedSel = q(".vzp-speed"), loopBox = q(".vzp-loop"), halfBox = q(".vzp-half");
    var tip = q(".vzp-tip"), cursor = q(".vzp-cursor");
    var rows = root.querySelectorAll(".vzp-table tbody tr");
    var box = V.box;  // [x0, x1, y0 (bottom), y1 (top)] in the scene's pixels

    function px(x) { return box[0] + (x - V.xlim[0]) / (V.xlim[1] - V.xlim[0]) * (box[1] - box[0]); }
    function py(y) { return box[2] + (y - V.ylim[0]) / (V.ylim[1] - V.ylim[0]) * (box[3] - box[2]); }
    function dataX(p) { return V.xlim[0] + (p - box[0]) / (box[1] - box[0]) * (V.xlim[1] - V.xlim[0]); }
    function dataY(p) { return V.ylim[0] + (p - box[2]) / (box[3] - box[2]) * (V.ylim[1] - V.ylim[0]); }
    function el(name, attrs, parent) {
      var e = document.createElementNS(SVG, name);
      for (var a in attrs) e.setAttribute(a, attrs[a]);
      if (parent) parent.appendChild(e);
      return e;
    }

    // -- stops: full epochs, or the start then E and M of every epoch ------------------------
    function buildStops(half) {
      var out = [];
      if (!half) {
        for (var i = 0; i < S; i++) out.push({ p: i, l: i, kind: "full", name: String(P.epochs[i]) });
        return out;
      }
      out.push({ p: 0, l: -1, kind: "start", name: String(P.epochs[0]) });
      for (var j = 1; j < S; j++) {
        out.push({ p: j - 1, l: j - 1, kind: "e", name: P.epochs[j] + "e", i: j });
        out.push({ p: j, l: j - 1, kind: "m", name: String(P.epochs[j]), i: j });
      }
      return out;
    }

    // -- labels of the drawn points, decoded on demand -----------------------------------
    var labels = [], labelsAt = 0;
    function resetLabels() {
      labels = [];
      for (var i = 0; i < P.m; i++) labels.push(P.labels0.charCodeAt(i) - 48);
      labelsAt = 0;
    }
    function labelsFor(s) {
      if (s < labelsAt) resetLabels();
      while (labelsAt < s) {
        labelsAt += 1;
        var ch = P.relabel[labelsAt];
        for (var c = 0; c < ch.length; c += 2) labels[ch[c]] = ch[c + 1];
      }
      return labels;
    }
    resetLabels();

    // -- the points (created once; only their colour changes) ------------------------------
    var dots = [], drawn = [];
    for (var i = 0; i < P.m; i++) {
      var cx = flat ? P.points[i] : P.points[2 * i], cy = flat ? V.rug : P.points[2 * i + 1];
      dots.push(el("circle", { cx: cx, cy: cy, r: flat ? 2.4 : 2.1, "class": "kn" }, pointsG));
      drawn.push(-2);
    }
    // Soft EM in 2-D: as in the frames, a point's colour blends the components' by its responsibilities.
    var blend = P.method === "soft" && P.d === 2, blended = null;
    function rgb(hex) { var v = parseInt(hex.replace("#", ""), 16); return [v >> 16 & 255, v >> 8 & 255, v & 255]; }
    function colourPoints(l) {
      var lab = l < 0 ? null : labelsFor(l);
      for (var i = 0; i < P.m; i++) {
        var j = lab ? lab[i] : -1;
        if (drawn[i] !== j) {
          dots[i].setAttribute("class", j < 0 ? "kn" : "k" + j);
          dots[i].setAttribute("data-j", j < 0 ? "" : j);
          drawn[i] = j;
        }
      }
      if (!blend || blended === l) return;
      blended = l;
      var style = getComputedStyle(root), colours = [];
      for (var c = 0; c < k; c++) colours.push(rgb(style.getPropertyValue("--vzp-c" + (c % 10)).trim()));
      for (var n = 0; n < P.m; n++) {
        var r = l < 0 ? null : posterior(P.params[l], dataX(P.points[2 * n]), dataY(P.points[2 * n + 1]));
        if (!r) { dots[n].style.fill = ""; continue; }
        var mix = [0, 0, 0];
        for (var q2 = 0; q2 < k; q2++) for (var ch = 0; ch < 3; ch++) mix[ch] += r[q2] * colours[q2][ch];
        dots[n].style.fill = "rgb(" + mix.map(Math.round).join(",") + ")";
      }
    }

    // -- curves (1-D) or ellipses, trails and centres (2-D) ------------------------------------
    var curves, mixture, ellipses, casings, trails, centres;
    function buildShapes() {
      // Once for k components (again when the live player changes k).
      shapes.textContent = "";
      curves = []; mixture = null; ellipses = []; casings = []; trails = []; centres = [];
      if (flat) {
        mixture = el("path", { "class": "vzp-mixture" }, shapes);
        for (var j = 0; j < k; j++) curves.push(el("path", { "class": "vzp-curve k" + j, "data-j": j }, shapes));
        return;
      }
      for (var j2 = 0; j2 < k; j2++) {
        var g = el("g", { "class": "k" + j2, "data-j": j2 }, shapes);
        trails.push(el("g", { "class": "vzp-trail" }, g));
        // A casing in the background colour under each ellipse keeps it visible inside its own points.
        var casing = [el("ellipse", { "class": "vzp-casing" }, g), el("ellipse", { "class": "vzp-casing" }, g)];
        ellipses.push([el("ellipse", { "class": "vzp-ellipse one" }, g), el("ellipse", { "class": "vzp-ellipse two" }, g)]);
        casings.push(casing);
        centres.push(el("path", { "class": "vzp-centre", d: "M-5,-3L-3,-5L0,-2L3,-5L5,-3L2,0L5,3L3,5L0,2L-3,5L-5,3L-2,0Z" }, g));
      }
    }
    buildShapes();
    function normal(x, mu, sd) { var z = (x - mu) / sd; return Math.exp(-0.5 * z * z) / (sd * Math.sqrt(2 * Math.PI)); }
    function drawCurves(par) {
      var xs = [], n = 400;
      for (var i = 0; i <= n; i++) xs.push(V.xlim[0] + (V.xlim[1] - V.xlim[0]) * i / n);
      for (var j = 0; j < k; j++) if (par.sd[j] > 0) xs.push(par.mu[j]);  // each peak lies on a sample
      xs.sort(function (a, b) { return a - b; });
      var total = xs.map(function () { return 0; });
      var top = V.ylim[1] * 3, bottom = V.ylim[0];
      for (var j = 0; j < k; j++) {
        var live = par.phi[j] > 0 && par.sd[j] > 0;
        curves[j].style.display = live ? "" : "none";
        if (!live) continue;
        var d = [];
        for (var i = 0; i < xs.length; i++) {
          var y = par.phi[j] * normal(xs[i], par.mu[j], par.sd[j]);
          total[i] += y;
          d.push((i ? "L" : "M") + px(xs[i]).toFixed(2) + "," + py(Math.max(bottom, Math.min(y, top))).toFixed(2));
        }
        curves[j].setAttribute("d", d.join(""));
      }
      mixture.setAttribute("d", xs.map(function (x, i) {
        return (i ? "L" : "M") + px(x).toFixed(2) + "," + py(Math.min(total[i], top)).toFixed(2);
      }).join(""));
    }
    function ellipseShape(c) {
      // Eigen-decomposition of [[a, b], [b, c]]: semi-axes √λ, the major axis's angle.
      var a = c[0], b = c[1], d = c[2], mid = (a + d) / 2, r = Math.sqrt((a - d) * (a - d) / 4 + b * b);
      return { major: Math.sqrt(Math.max(mid + r, 0)), minor: Math.sqrt(Math.max(mid - r, 0)), angle: 0.5 * Math.atan2(2 * b, a - d) };
    }
    function drawEllipses(pi) {
      var trail = [];
      for (var t = 0; t <= pi; t++) trail.push(P.params[t].mu);
      drawEllipsesOf(P.params[pi], trail);
    }
    // The means' trails by the frames' rule (vizgmm/look/trails.py): "fade" keeps the last R.fade steps, each
    // older one fainter, and none with an end outside the view; "full" every step; "off" none.
    var R = P.trails || { mode: "full", fade: 0, alpha: 0.8 };
    function inView(p) { return p[0] >= V.xlim[0] && p[0] <= V.xlim[1] && p[1] >= V.ylim[0] && p[1] <= V.ylim[1]; }
    function trailSteps(pts) {
      var out = [], n = pts.length - 1;
      if (R.mode === "off") return out;
      for (var s = 0; s < n; s++) {
        var alpha = R.alpha;
        if (R.mode === "fade") {
          alpha = R.alpha * Math.max(0, Math.min(1, 1 - (n - 1 - s) / R.fade));
          if (!(alpha > 0) || !inView(pts[s]) || !inView(pts[s + 1])) continue;
        }
        out.push([pts[s], pts[s + 1], alpha]);
      }
      return out;
    }
    function drawEllipsesOf(par, path) {
      // Each axis has its own scale (as in the frames), so the ellipse is shaped in pixels:
      // the covariance seen through the axes, S Σ S with S = diag(sx, sy) (sy < 0: SVG's y points down).
      var sx = (box[1] - box[0]) / (V.xlim[1] - V.xlim[0]), sy = (box[3] - box[2]) / (V.ylim[1] - V.ylim[0]);
      for (var j = 0; j < k; j++) {
        var c = par.cov[j], live = par.phi[j] > 0, cx = px(par.mu[j][0]), cy = py(par.mu[j][1]);
        var e = ellipseShape([c[0] * sx * sx, c[1] * sx * sy, c[2] * sy * sy]);
        var deg = e.angle * 180 / Math.PI;
        for (var r = 0; r < 4; r++) {
          var s = r < 2 ? ellipses[j][r] : casings[j][r - 2], radius = r % 2 + 1;
          s.setAttribute("cx", cx.toFixed(2)); s.setAttribute("cy", cy.toFixed(2));
          s.setAttribute("rx", (radius * e.major).toFixed(2)); s.setAttribute("ry", (radius * e.minor).toFixed(2));
          s.setAttribute("transform", "rotate(" + deg.toFixed(3) + " " + cx.toFixed(2) + " " + cy.toFixed(2) + ")");
          s.style.display = live ? "" : "none";
        }
        var steps = trailSteps(path.map(function (m) { return m[j]; }));
        trails[j].textContent = "";
        for (var t = 0; t < steps.length; t++) {
          var a = steps[t][0], b2 = steps[t][1];
          el("line", { x1: px(a[0]).toFixed(1), y1: py(a[1]).toFixed(1), x2: px(b2[0]).toFixed(1), y2: py(b2[1]).toFixed(1),
                       style: "opacity:" + steps[t][2].toFixed(3) }, trails[j]);
        }
        centres[j].setAttribute("transform", "translate(" + cx.toFixed(2) + " " + cy.toFixed(2) + ")");
        centres[j].style.opacity = live ? 1 : 0.35;
      }
    }

    // -- the lower bound along EM's path (soft and hard EM only) --------------------------------
    var B = P.bound, bq = function (sel) { return root.querySelector(".vzp-bound-block " + sel); };
    var bBlock = B ? q(".vzp-bound-block") : null, bCaption = B ? bq(".vzp-bound-caption") : null;
    // Zoomed, one epoch fills the box at its own y scale (B.zoom); else EM's whole path, epoch e at x shifted by e − 1.
    var zoomed = false, Z = B ? B.zoom : null, zoomAt = 0, zoomBox = Z ? bq(".vzp-bound-zoom input") : null;
    function bx(i, j) { return zoomed ? Z.x[j] + (i - zoomAt) * Z.dx : B.x[j] + (i - 1) * B.dx; }
    function rowOf(name, i) { return zoomed ? (i === zoomAt ? Z.rows[i - 1][name] : Z.rows[zoomAt - 1].prev) : B[name][i - 1]; }
    function bLine(i, row, from, to) {
      var pts = [];
      for (var j = from; j <= to; j++) pts.push(bx(i, j).toFixed(1) + "," + row[j]);
      return pts.join(" ");
    }
    function drawPath() {
      // log p along the whole path: every epoch's segment [0, 1], end to end; zoomed, the epoch's segment and beyond.
      var whole = [];
      if (zoomed) whole.push(bLine(zoomAt, rowOf("ll", zoomAt), 0, Z.x.length - 1));
      else for (var e = 1; e <= B.ll.length; e++) whole.push(bLine(e, B.ll[e - 1], e === 1 ? B.zero : B.zero + 1, B.one));
      bq(".vzp-path").setAttribute("points", whole.join(" "));
    }
    function drawZoomAxes(i) {
      var axes = bq(".vzp-zoom-axes"), box = B.box, grid = [], ticks = [];
      bq(".vzp-whole-axes").style.display = zoomed ? "none" : "";
      axes.style.display = zoomed ? "" : "none";
      if (!zoomed) return;
      var yt = Z.rows[i - 1].yticks, xt = [[Z.x[B.zero], epochName(i) - 1], [Z.x[B.one], epochName(i)]];
      for (var a = 0; a < yt.length; a++) {
        grid.push('<line x1="' + box[0] + '" x2="' + box[1] + '" y1="' + yt[a][0] + '" y2="' + yt[a][0] + '"/>');
        ticks.push('<text x="' + (box[0] - 6) + '" y="' + (yt[a][0] + 5) + '" text-anchor="end"></text>');
      }
      for (var c = 0; c < xt.length; c++) {
        grid.push('<line x1="' + xt[c][0] + '" x2="' + xt[c][0] + '" y1="' + box[3] + '" y2="' + box[2] + '"/>');
        ticks.push('<text x="' + xt[c][0] + '" y="' + (box[2] + 18) + '" text-anchor="middle"></text>');
      }
      axes.firstChild.innerHTML = grid.join(""); axes.lastChild.innerHTML = ticks.join("");
      var texts = axes.lastChild.childNodes, labels = yt.map(function (t) { return t[1]; }).concat([String(xt[0][1]), String(xt[1][1])]);
      for (var b = 0; b < texts.length; b++) texts[b].textContent = labels[b];
    }
    // The live player fills B itself, epoch by epoch (partials/bound_live.js), and counts its epochs from 0.
    function epochName(i) { return B.live ? i : P.epochs[i]; }
    function setPoint(sel, x, y) { var c = bq(sel); c.setAttribute("cx", x); c.setAttribute("cy", y); c.style.display = ""; }
    function hide(sel) { bq(sel).style.display = "none"; }
    function drawBound(st) {
      if (!B) return;
      // Which epoch's bound, and where on it: an E-stop touches at t = 0, an M-stop sits at the peak, t = 1.
      var kind = st.kind, i = st.i;
      if (kind === "full") { if (st.p === 0) { kind = "e"; i = 1; } else { kind = "m"; i = st.p; } }
      zoomed = !!(zoomBox && zoomBox.checked); zoomAt = kind === "start" ? 1 : i;
      bBlock.setAttribute("data-zoom", zoomed ? "1" : "0");
      drawZoomAxes(zoomAt); drawPath();
      var cursorX;
      if (kind === "start") {
        ["vzp-gap", "vzp-old-bound", "vzp-bound-line", "vzp-climb", "vzp-lift", "vzp-touch", "vzp-on-bound"].forEach(function (c) { hide("." + c); });
        cursorX = bx(1, B.zero);
        setPoint(".vzp-on-path", cursorX, rowOf("ll", 1)[B.zero]);
        bBlock.setAttribute("data-epoch", "0"); bBlock.setAttribute("data-at", "start");
        bCaption.textContent = say("bound_start", { value: B.numbers[0][0] });
      } else {
        var ll = rowOf("ll", i), lb = rowOf("bound", i), last = lb.length - 1, j = kind === "e" ? B.zero : B.one;
        var gap = [];
        for (var a = 0; a <= last; a++) gap.push((a ? "L" : "M") + bx(i, a).toFixed(1) + "," + ll[a]);
        for (var b2 = last; b2 >= 0; b2--) gap.push("L" + bx(i, b2).toFixed(1) + "," + lb[b2]);
        bq(".vzp-gap").setAttribute("d", gap.join("") + "Z"); bq(".vzp-gap").style.display = "";
        bq(".vzp-bound-line").setAttribute("points", bLine(i, lb, 0, last)); bq(".vzp-bound-line").style.display = "";
        var climb = bq(".vzp-climb"), lift = bq(".vzp-lift"), old = bq(".vzp-old-bound");
        if (kind === "m") { climb.setAttribute("points", bLine(i, lb, B.zero, B.one)); climb.style.display = ""; }
        else climb.style.display = "none";
        if (kind === "e" && i > 1) {
          // The E-step lifts the bound at the same parameters: from the last bound's peak to the new touch point.
          var prev = rowOf("bound", i - 1);
          old.setAttribute("points", bLine(i - 1, prev, 0, last)); old.style.display = "";
          lift.setAttribute("x1", bx(i, B.zero)); lift.setAttribute("x2", bx(i, B.zero));
          lift.setAttribute("y1", prev[B.one]); lift.setAttribute("y2", lb[B.zero]); lift.style.display = "";
        } else { old.style.display = "none"; lift.style.display = "none"; }
        setPoint(".vzp-touch", bx(i, B.zero), lb[B.zero]);
        cursorX = bx(i, j);
        setPoint(".vzp-on-bound", cursorX, lb[j]);
        setPoint(".vzp-on-path", cursorX, ll[j]);
        var n = B.numbers[i - 1], o = kind === "e" ? 0 : 3;
        var text = say(kind === "e" ? "bound_e" : "bound_m", { epoch: epochName(i) }) +
          say("bound_numbers", { logp: n[o], bound: n[o + 1], gap: n[o + 2] });
        if (kind === "m") text += say("bound_climb", { value: n[1] });
        if (B.method === "hard") {
          text += say("bound_hard", { gap: n[o + 2], epoch: epochName(i) });
        } else if (kind === "e") {
          text += W.bound_touch;
        } else {
          text += W.bound_rose;
        }
        bBlock.setAttribute("data-epoch", String(epochName(i))); bBlock.setAttribute("data-at", kind);
        bCaption.textContent = text;
      }
      var cur = bq(".vzp-bcursor");
      cur.setAttribute("x1", cursorX.toFixed(1)); cur.setAttribute("x2", cursorX.toFixed(1));
    }

    // -- a variational fit: components its prior drained below 1 % fade, as in the frames ----------
    var activeText = q(".vzp-active");
    function fadeComponents(p) {
      if (!P.faded) return;
      var gone = {};
      for (var f = 0; f < P.faded[p].length; f++) gone[P.faded[p][f]] = true;
      for (var j = 0; j < k; j++) {
        var shape = flat ? curves[j] : ellipses[j][0].parentNode;
        shape.classList.toggle("vzp-faded", !!gone[j]);
        if (rows[j]) rows[j].classList.toggle("vzp-faded", !!gone[j]);
      }
      if (activeText) activeText.textContent = P.active[p].charAt(0).toUpperCase() + P.active[p].slice(1) + ".";
    }

    // -- what a stop shows ---------------------------------------------------------------
    var half = !!P.half, stops = buildStops(half), at = 0, timer = null;
    function stopCaption(st) {
      if (st.kind === "full") return P.captions.full[st.p];
      if (st.kind === "start") return W.start;
      return st.kind === "e" ? P.captions.e[st.i] : P.captions.m[st.i];
    }
    function stopTitle(st) {
      if (st.kind === "e") return say("stop_step", { epoch: P.epochs[st.i], step: W.e_step });
      if (st.kind === "m") return say("stop_step", { epoch: P.epochs[st.i], step: W.m_step });
      return say(P.epochs[st.p] === 0 ? "stop_zero" : "stop_of", { epoch: P.epochs[st.p], last: P.epochs[S - 1] });
    }
    function show(index) {
      at = Math.max(0, Math.min(stops.length - 1, index));
      var st = stops[at];
      colourPoints(st.l);
      if (flat) drawCurves(P.params[st.p]); else drawEllipses(st.p);
      for (var j = 0; j < rows.length; j++) {
        var cells = rows[j].querySelectorAll("td"), vals = P.table[st.p][j];
        for (var c = 0; c < vals.length; c++) cells[c].textContent = vals[c];
        cells[vals.length].textContent = st.l < 0 ? "–" : P.counts[st.l][j].toLocaleString("en-US");
      }
      fadeComponents(st.p);
      var L = P.loglik, x = L.box[0] + (P.epochs[st.p] - L.xlim[0]) / (L.xlim[1] - L.xlim[0]) * (L.box[1] - L.box[0]);
      cursor.setAttribute("x1", x.toFixed(1)); cursor.setAttribute("x2", x.toFixed(1));
      stopText.textContent = stopTitle(st);
      caption.textContent = stopCaption(st);
      drawBound(st);
      slider.max = String(stops.length - 1);
      slider.value = String(at);
      slider.setAttribute("aria-valuetext", stopTitle(st));
      root.setAttribute("data-stop", st.name);
      hideTip();
      if (options.onStop) options.onStop(stopOf(st));
    }
    // A stop as the widget's traits say it: the epoch, and "" (whole epochs) or "e" / "m" (E and M
    // apart: the E-step of that epoch, or its M-step; the start counts as epoch 0's "m").
    function stopOf(st) {
      return { epoch: P.epochs[st.kind === "e" ? st.i : st.p], half: !half ? "" : st.kind === "e" ? "e" : "m" };
    }
    function go(epoch, halfStep) {
      setHalf(halfStep === "e" || halfStep === "m");
      var names = [String(epoch) + (halfStep === "e" ? "e" : ""), String(epoch)];
      for (var n = 0; n < names.length; n++) {
        for (var i = 0; i < stops.length; i++) if (stops[i].name === names[n]) { step(i); return; }
      }
      step(epoch > P.epochs[S - 1] ? stops.length - 1 : 0);
    }
    function setHalf(on) {
      if (on === half) return;
      var p = stops[at].p;
      half = on; halfBox.checked = on; stops = buildStops(on);
      var target = 0;
      for (var i = 0; i < stops.length; i++) if (stops[i].p === p && stops[i].kind !== "e") target = i;
      show(target);
    }

    // -- playing -------------------------------------------------------------------------
    function delay() { return P.duration / (parseFloat(speedSel.value) || 1) / (half ? 2 : 1); }
    function tick() {
      if (at >= stops.length - 1) {
        if (!loopBox.checked) { pause(); return; }
        show(0);
      } else {
        show(at + 1);
      }
      timer = setTimeout(tick, at === stops.length - 1 ? delay() * 3 : delay());
    }
    function play() {
      if (timer !== null) return;
      if (at >= stops.length - 1 && !loopBox.checked) show(0);
      root.setAttribute("data-playing", "");
      playBtn.setAttribute("aria-label", W.pause);
      timer = setTimeout(tick, delay());
    }
    function pause() {
      if (timer !== null) clearTimeout(timer);
      timer = null;
      root.removeAttribute("data-playing");
      playBtn.setAttribute("aria-label", W.play);
    }
    function step(to) { pause(); show(to); }

    q(".vzp-first").addEventListener("click", function () { step(0); });
    q(".vzp-prev").addEventListener("click", function () { step(at - 1); });
    q(".vzp-next").addEventListener("click", function () { step(at + 1); });
    q(".vzp-last").addEventListener("click", function () { step(stops.length - 1); });
    playBtn.addEventListener("click", function () { if (timer === null) play(); else pause(); });
    slider.addEventListener("input", function () { step(parseInt(slider.value, 10)); });
    halfBox.addEventListener("change", function () { setHalf(halfBox.checked); });
    if (zoomBox) zoomBox.addEventListener("change", function () { drawBound(stops[at]); });
    speedSel.addEventListener("change", function () { if (timer !== null) { pause(); play(); } });
    root.addEventListener("keydown", function (ev) {
      var t = ev.target, tag = t.tagName;
      if (ev.altKey || ev.ctrlKey || ev.metaKey) return;
      // The slider and the menu keep their own keys; buttons and boxes keep space and Enter.
      if ((tag === "INPUT" && t.type === "range") || tag === "SELECT") return;
      if ((tag === "BUTTON" || tag === "INPUT") && (ev.key === " " || ev.key === "Enter")) return;
      if (ev.key === " " || ev.key === "Spacebar") { if (timer === null) play(); else pause(); }
      else if (ev.key === "ArrowRight") step(at + 1);
      else if (ev.key === "ArrowLeft") step(at - 1);
      else if (ev.key === "Home") step(0);
      else if (ev.key === "End") step(stops.length - 1);
      else return;
      ev.preventDefault();
    });

    // -- highlight a component everywhere; a point's responsibilities -------------------------
    function highlight(j) { if (j === null || j === "") root.removeAttribute("data-hl"); else root.setAttribute("data-hl", j); }
    Array.prototype.forEach.call(rows, function (row) {
      var j = row.getAttribute("data-j");
      row.addEventListener("pointerenter", function () { highlight(j); });
      row.addEventListener("pointerleave", function () { highlight(null); });
      row.addEventListener("focus", function () { highlight(j); });
      row.addEventListener("blur", function () { highlight(null); });
      row.addEventListener("click", function () { highlight(root.getAttribute("data-hl") === j ? null : j); });
    });
    function hideTip() { tip.hidden = true; }
    function posterior(par, x, y) {
      var w = [], sum = 0;
      for (var j = 0; j < k; j++) {
        var v = 0;
        if (par.phi[j] > 0) {
          if (flat) v = par.sd[j] > 0 ? par.phi[j] * normal(x, par.mu[j], par.sd[j]) : 0;
          else {
            var c = par.cov[j], det = c[0] * c[2] - c[1] * c[1], dx = x - par.mu[j][0], dy = y - par.mu[j][1];
            v = det > 0 ? par.phi[j] * Math.exp(-0.5 * (c[2] * dx * dx - 2 * c[1] * dx * dy + c[0] * dy * dy) / det) / (2 * Math.PI * Math.sqrt(det)) : 0;
          }
        }
        w.push(v); sum += v;
      }
      return sum > 0 ? w.map(function (v) { return v / sum; }) : null;
    }
    function fmt(v) { var a = Math.abs(v); return (a === 0 || (a >= 0.01 && a < 1e5) ? v.toFixed(2) : v.toPrecision(3)).replace("-", "\u2212"); }
    function pointAt(ev) {
      var m = scene.getScreenCTM();
      if (!m || P.live) return;  // the live player's clicks add points instead
      var pt = new DOMPoint(ev.clientX, ev.clientY).matrixTransform(m.inverse()), best = -1, bestD = 64;
      for (var i = 0; i < P.m; i++) {
        var dx = (flat ? P.points[i] : P.points[2 * i]) - pt.x, dy = (flat ? V.rug : P.points[2 * i + 1]) - pt.y;
        var d2 = dx * dx + dy * dy;
        if (d2 < bestD) { bestD = d2; best = i; }
      }
      if (best < 0) {
        // Not on a point: on a curve, ellipse or centre, pick out its component.
        var shape = ev.target.closest && ev.target.closest(".vzp-shapes [data-j]");
        hideTip(); highlight(shape ? shape.getAttribute("data-j") : null); return;
      }
      var st = stops[at], x = dataX(flat ? P.points[best] : P.points[2 * best]), y = flat ? 0 : dataY(P.points[2 * best + 1]);
      var lab = st.l < 0 ? -1 : labelsFor(st.l)[best];
      var text = (flat ? "x ≈ " + fmt(x) : "(" + fmt(x) + ", " + fmt(y) + ")") + (lab < 0 ? " · " + W.unassigned : " · " + P.names[lab]);
      // Responsibilities come from the parameters the point was labelled with (exact for d ≤ 2).
      var resp = P.method === "soft" && P.d <= 2 && st.l >= 0 ? posterior(P.params[st.l], x, y) : null;
      if (resp) text += " · " + W.responsibilities + " " + resp.map(function (r, j) { return P.names[j] + " " + r.toFixed(2); }).join(", ");
      tip.textContent = text;
      tip.hidden = false;
      var rb = root.getBoundingClientRect();
      tip.style.left = Math.max(0, Math.min(ev.clientX - rb.left + 12, rb.width - tip.offsetWidth - 4)) + "px";
      tip.style.top = (ev.clientY - rb.top + 14) + "px";
      highlight(lab < 0 ? null : String(lab));
    }
    scene.addEventListener("pointermove", pointAt);
    scene.addEventListener("pointerdown", pointAt);
    scene.addEventListener("pointerleave", function () { hideTip(); highlight(null); });

    // -- where to start: the URL's #epoch=5 / #epoch=5e, else the first stop ----------------
    function fromHash() {
      var m = /(?:^#|[&#])epoch=(\d+)([em]?)/.exec(location.hash);
      if (!m) return false;
      if (m[2]) setHalf(true);
      var name = m[1] + (m[2] === "e" ? "e" : "");
      for (var i = 0; i < stops.length; i++) if (stops[i].name === name) { step(i); return true; }
      step(stops.length - 1);
      return true;
    }
{% if live %}
    if (P.live) {
{% include "partials/em.js" %}
{% include "partials/player_live.js" %}
      return;
    }
{% endif %}
    var hash = options.hash !== false;
    if (hash) window.addEventListener("hashchange", fromHash);
    show(0);
    var still = window.matchMedia && window.matchMedia("(prefers-reduced-motion: reduce)").matches;
    if (!(hash && fromHash()) && !still && options.autoplay !== false) play();
    return {
      go: go,
      destroy: function () { pause(); if (hash) window.removeEventListener("hashchange", fromHash); }
    };
  }
{% if module %}
  return init;
{% else %}
  var here = document.currentScript;
  if (here && here.parentNode && here.parentNode.classList && here.parentNode.classList.contains("vzp")) {
    init(here.parentNode);
  } else {
    Array.prototype.forEach.call(document.querySelectorAll(".vzp:not([data-ready])"), function (root) { init(root); });
  }
{% endif %}
})();

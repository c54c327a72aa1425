    // -- player_drag.js: the reader's hands on the live player (inside player_live.js: same scope) -----
    // A press that moves more than a few pixels from a point or a mean's marker drags it; a press that does
    // not move adds a point where it was, so a drag never adds one. A moved point is data: the parameters
    // shown start a new run on the moved points, as after an added point. A moved mean sets that component's
    // μ and keeps its σ (covariance) and φ; the next E-step runs from there, and a run in progress goes on
    // from it. The markers: 2-D the ✕ at each mean; 1-D a dot on top of each component's curve.
    var handlesG = flat ? el("g", { "class": "vzp-handles" }, scene) : null, handles = [], press = null;
    var GRAB_MEAN = { mouse: 12, touch: 22 }, GRAB_POINT = { mouse: 8, touch: 16 }, DRAG = { mouse: 4, touch: 8 };

    function sceneAt(ev) {
      var m = scene.getScreenCTM();
      if (!m) return null;
      var pt = new DOMPoint(ev.clientX, ev.clientY).matrixTransform(m.inverse());
      return { x: pt.x, y: pt.y, scale: m.a };  // m.a: CSS pixels per scene pixel
    }
    function clampToBox(at) {
      return { x: Math.max(box[0], Math.min(box[1], at.x)), y: Math.max(box[3], Math.min(box[2], at.y)) };
    }
    function buildHandles() {
      if (!flat) return;
      handlesG.textContent = "";
      handles = [];
      for (var j = 0; j < k; j++) handles.push(el("circle", { r: 6, "class": "vzp-handle k" + j, "data-j": j }, handlesG));
    }
    function handleY(j) {
      // On top of the curve (φ times the density at its peak), inside the box.
      var s = sd(par.covs[j], 0), top = par.weights[j] > 0 && s > 0 ? py(par.weights[j] / (s * Math.sqrt(2 * Math.PI))) : box[2];
      return Math.max(box[3] + 7, Math.min(box[2] - 7, top));
    }
    function meanXY(j) { return flat ? [px(par.means[j][0]), handleY(j)] : [px(par.means[j][0]), py(par.means[j][1])]; }
    function placeHandles() {
      // The exact means ride on their markers (data-x, data-y), for a reader's tools and the tests.
      for (var j = 0; j < k; j++) {
        var marker = flat ? handles[j] : centres[j], xy = meanXY(j);
        if (!marker) continue;
        if (flat) {
          marker.setAttribute("cx", xy[0].toFixed(2)); marker.setAttribute("cy", xy[1].toFixed(2));
          marker.style.opacity = par.weights[j] > 0 ? 1 : 0.35;
        }
        marker.setAttribute("data-x", String(par.means[j][0]));
        if (!flat) marker.setAttribute("data-y", String(par.means[j][1]));
      }
    }
    function grab(at, kind) {
      // The nearest mean within reach, else the nearest point within reach, else nothing.
      var reach = GRAB_MEAN[kind] / at.scale, best = null, bestD = reach * reach, j, xy, d2;
      for (j = 0; j < k; j++) {
        xy = meanXY(j); d2 = (xy[0] - at.x) * (xy[0] - at.x) + (xy[1] - at.y) * (xy[1] - at.y);
        if (d2 < bestD) { bestD = d2; best = { mean: j }; }
      }
      if (best) return best;
      reach = GRAB_POINT[kind] / at.scale; bestD = reach * reach;
      for (var i = 0; i < rowsData.length; i++) {
        xy = pointXY(rowsData[i]); d2 = (xy[0] - at.x) * (xy[0] - at.x) + (xy[1] - at.y) * (xy[1] - at.y);
        if (d2 < bestD) { bestD = d2; best = { point: i }; }
      }
      return best;
    }
    function kindOf(ev) { return ev.pointerType === "mouse" ? "mouse" : "touch"; }
    function where(r) { return flat ? fv(r[0]) : "(" + fv(r[0]) + ", " + fv(r[1]) + ")"; }

    function moveTo(target, at) {
      var c = clampToBox(at), r = flat ? [dataX(c.x)] : [dataX(c.x), dataY(c.y)];
      if (target.mean !== undefined) {
        par.means[target.mean] = r;
        pending = null;  // no E-step under the old mean may be used
        drawFit();
        return;
      }
      var i = target.point, xy;
      rowsData[i] = r; xy = pointXY(r);
      dots[i].setAttribute("cx", xy[0].toFixed(2)); dots[i].setAttribute("cy", xy[1].toFixed(2));
      dots[i].setAttribute("data-x", String(r[0]));
      if (!flat) dots[i].setAttribute("data-y", String(r[1]));
    }
    function drop(p) {
      root.removeAttribute("data-dragging");
      if (p.target.mean !== undefined) {
        var j = p.target.mean;
        restart(say(flat ? "live_moved_mean_1d" : "live_moved_mean_2d", { name: L.names[j], where: where(par.means[j]) }));
        if (p.running) startRun();
      } else {
        restart(say("live_moved_point", { where: (flat ? "x = " : "") + where(rowsData[p.target.point]) }));
      }
    }

    scene.addEventListener("pointerdown", function (ev) {
      if (!ev.isPrimary) return;  // a second finger leaves the first one's drag alone
      press = null;
      if (ev.pointerType === "mouse" && ev.button !== 0) return;
      var at = sceneAt(ev);
      if (!at) return;
      press = { id: ev.pointerId, x: ev.clientX, y: ev.clientY, kind: kindOf(ev), target: grab(at, kindOf(ev)), moved: false };
      // Held by the scene: the drag follows the pointer outside it (an unknown pointer id cannot be captured).
      if (press.target) { try { scene.setPointerCapture(ev.pointerId); } catch (e) { /* not capturable */ } }
    });
    scene.addEventListener("pointermove", function (ev) {
      if (!press) {
        if (ev.pointerType === "mouse") {
          var at = sceneAt(ev), over = at && grab(at, "mouse");
          if (over) root.setAttribute("data-over", ""); else root.removeAttribute("data-over");
        }
        return;
      }
      if (ev.pointerId !== press.id) return;
      if (!press.moved && Math.hypot(ev.clientX - press.x, ev.clientY - press.y) < DRAG[press.kind]) return;
      if (!press.moved) {
        press.moved = true;
        if (!press.target) return;  // a press on nothing that wanders off adds no point
        press.running = runBtn.getAttribute("aria-pressed") === "true";
        stopRun();
        if (press.target.mean !== undefined) par = EM.copy(par);  // the trail keeps the old means
        root.setAttribute("data-dragging", "");
      }
      if (press.target) { moveTo(press.target, sceneAt(ev)); ev.preventDefault(); }
    });
    scene.addEventListener("pointerup", function (ev) {
      if (!press || ev.pointerId !== press.id) return;
      var p = press;
      press = null;
      if (!p.moved) { addPoint(ev); return; }
      if (!p.target) return;
      moveTo(p.target, sceneAt(ev));
      drop(p);
    });
    scene.addEventListener("pointercancel", function (ev) {
      if (!press || ev.pointerId !== press.id) return;
      var p = press;
      press = null;
      if (p.moved && p.target) drop(p);  // where the pointer last was
    });
    scene.addEventListener("pointerleave", function () {
      root.removeAttribute("data-over");
      if (press && !press.target) press = null;  // released outside: no point
    });
    // A finger on a point or a mean holds the page still (elsewhere it scrolls as usual).
    scene.addEventListener("touchstart", function (ev) {
      if (ev.touches.length !== 1) return;
      var at = sceneAt(ev.touches[0]);
      if (at && grab(at, "touch")) ev.preventDefault();
    }, { passive: false });

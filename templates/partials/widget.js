// widget.js: the epoch player as an anywidget module (vizgmm.widget). The player is player.js itself,
// included here as a module (mountPlayer is its init); this file only wires it to the widget's model:
// the traits epoch and half_step follow the reader's steps, and Python setting them moves the player.
{% include "partials/player.js" %}

function render({ model, el }) {
  var player = null, driving = false, reporting = false;

  function goToModel() {
    // Our own model.set calls fire change events too: the player already shows that stop.
    if (!player || reporting) return;
    // Stops the player shows because Python asked are not sent back (a clamped request stays as asked).
    driving = true;
    try { player.go(model.get("epoch"), model.get("half_step")); } finally { driving = false; }
  }
  function onStop(stop) {
    if (driving || (stop.epoch === model.get("epoch") && stop.half === model.get("half_step"))) return;
    reporting = true;
    try {
      model.set("epoch", stop.epoch);
      model.set("half_step", stop.half);
      model.save_changes();
    } finally { reporting = false; }
  }
  function mount() {
    if (player) player.destroy();
    player = null;
    // The fragment's own <script> is left out by Python: markup inserted this way runs no script anyway.
    el.innerHTML = model.get("_html");
    var root = el.querySelector(".vzp");
    if (!root) return;
    driving = true;
    try { player = mountPlayer(root, { hash: false, autoplay: false, onStop: onStop }); } finally { driving = false; }
    goToModel();
  }

  model.on("change:_html", mount);
  model.on("change:epoch", goToModel);
  model.on("change:half_step", goToModel);
  mount();
  return function () {
    model.off("change:_html", mount);
    model.off("change:epoch", goToModel);
    model.off("change:half_step", goToModel);
    if (player) player.destroy();
  };
}

export default { render };

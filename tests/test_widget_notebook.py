"""The widget in a real notebook (nbclient runs a Jupyter kernel), then its module driven in Chromium.

The kernel creates the widget, Python sets the stop and reads it back, and a
live fit streams into a second widget; the executed notebook's widget state
(what a Jupyter front end receives) is checked. No Jupyter front end runs
here, so the browser half loads the module from that very state (its
``_esm``, as anywidget's front end does: a Blob URL imported as an ES module)
and renders it with a small model that keeps anywidget's contract (get, set,
on, off, save_changes; set fires "change:name" as Backbone does). That is the
widget's real JavaScript against the real markup and numbers from the kernel.
"""

import json
import sys

import pytest

nbformat = pytest.importorskip("nbformat")
nbclient = pytest.importorskip("nbclient")
pytest.importorskip("anywidget")

pytestmark = [pytest.mark.slow]

WIDGET_STATE = "application/vnd.jupyter.widget-state+json"
WIDGET_VIEW = "application/vnd.jupyter.widget-view+json"

CELLS = [
    "import vizgmm\nx, _ = vizgmm.walkthrough_data(seed=0)\n"
    "history = vizgmm.fit(x, 2, method='hard', init=vizgmm.WALKTHROUGH_INIT, tol=0, max_iter=6)",
    "w = vizgmm.widget(history)\nw",
    "w.epoch, w.half_step = 3, 'e'\nprint(w.epoch, w.half_step)",
    # What the front end sends when the reader steps: an "update" message on the widget's comm.
    "w._handle_msg({'content': {'data': {'method': 'update', 'state': {'epoch': 5, 'half_step': 'm'},"
    " 'buffer_paths': []}}, 'buffers': []})\nprint(w.epoch, w.half_step)\nw.epoch, w.half_step = 3, 'e'",
    "live = vizgmm.fit(x, 2, method='soft', init=vizgmm.WALKTHROUGH_INIT, tol=0, max_iter=8, live=True)",
]


@pytest.fixture(scope="module")
def notebook(tmp_path_factory):
    folder = tmp_path_factory.mktemp("widget")
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(src) for src in CELLS])
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    client = nbclient.NotebookClient(nb, timeout=600, kernel_name="python3", store_widget_state=True,
                                     resources={"metadata": {"path": str(folder)}})
    # The kernel runs this interpreter, so it imports the vizgmm under test.
    client.km_kwargs = {"kernel_cmd": [sys.executable, "-m", "ipykernel_launcher", "-f", "{connection_file}"]}
    client.execute()
    return nb, folder


def view_of(cell):
    (out,) = [o for o in cell.outputs if WIDGET_VIEW in o.get("data", {})]
    return out["data"][WIDGET_VIEW]["model_id"]


def state_of(nb, model_id):
    return nb.metadata["widgets"][WIDGET_STATE]["state"][model_id]["state"]


def test_python_sets_the_stop_and_reads_it_back_in_a_kernel(notebook):
    nb, _ = notebook
    assert not [o for c in nb.cells for o in c.outputs if o["output_type"] == "error"]
    assert nb.cells[2].outputs[0]["text"] == "3 e\n"
    assert nb.cells[3].outputs[0]["text"] == "5 m\n"  # the front end's update reached the traits
    state = state_of(nb, view_of(nb.cells[1]))
    # The state a Jupyter front end gets: the stop Python set, the player's markup, the player's module.
    assert (state["epoch"], state["half_step"]) == (3, "e")
    assert state["_model_module"] == "anywidget"
    assert 'class="vzp"' in state["_html"] and "<script>" not in state["_html"]
    assert "function init(root, options)" in state["_esm"]


def test_a_live_fit_shows_a_widget_that_ends_at_the_last_epoch(notebook):
    nb, _ = notebook
    cell = nb.cells[4]
    assert [o["output_type"] for o in cell.outputs] == ["display_data"]
    state = state_of(nb, view_of(cell))
    assert (state["epoch"], state["half_step"]) == (8, "")
    assert 'max="8"' in state["_html"] and "Soft EM fits" in state["_html"]


def harness(path, state):
    data = json.dumps(state).replace("<", "\\u003c")
    path.write_text(f"""<!doctype html><html><head><meta charset="utf-8"><title>widget</title></head><body>
<div id="out"></div>
<script type="application/json" id="state">{data}</script>
<script type="module">
const attrs = JSON.parse(document.getElementById("state").textContent), listeners = {{}};
const fire = (names) => names.forEach((n) => (listeners["change:" + n] || []).slice().forEach((f) => f()));
const model = {{
  saved: [],
  get(name) {{ return attrs[name]; }},
  // Backbone: set(name, value) or set({{...}}); every value first, then one change event per changed name.
  set(name, value) {{
    const next = typeof name === "string" ? {{ [name]: value }} : name, changed = [];
    for (const n in next) if (attrs[n] !== next[n]) {{ attrs[n] = next[n]; changed.push(n); }}
    fire(changed);
  }},
  on(event, f) {{ (listeners[event] = listeners[event] || []).push(f); }},
  off(event, f) {{ listeners[event] = (listeners[event] || []).filter((g) => g !== f); }},
  save_changes() {{ this.saved.push([attrs.epoch, attrs.half_step]); }},
}};
window.vzModel = model;
const url = URL.createObjectURL(new Blob([attrs._esm], {{ type: "text/javascript" }}));
const widget = (await import(url)).default;
window.vzCleanup = widget.render({{ model, el: document.getElementById("out") }});
document.body.setAttribute("data-mounted", "");
</script></body></html>""", encoding="utf-8")


@pytest.mark.browser
def test_the_widgets_module_follows_python_and_reports_the_reader(notebook, browser):
    nb, folder = notebook
    first, streamed = state_of(nb, view_of(nb.cells[1])), state_of(nb, view_of(nb.cells[4]))
    path = folder / "widget.html"
    harness(path, first)
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    try:
        page = context.new_page()
        errors, requests = [], []
        page.on("pageerror", lambda exc: errors.append(str(exc)))
        page.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" else None)
        page.on("request", lambda req: requests.append(req.url))
        page.goto(path.as_uri(), wait_until="load")
        page.wait_for_selector("body[data-mounted]")
        player = page.locator("#out .vzp")
        saved = lambda: page.evaluate("window.vzModel.saved")  # noqa: E731
        traits = lambda: page.evaluate("[vzModel.get('epoch'), vzModel.get('half_step')]")  # noqa: E731

        # Mounted at the kernel's stop, E and M apart, paused, and nothing sent back.
        assert player.get_attribute("data-stop") == "3e"
        assert player.locator(".vzp-half").is_checked()
        assert player.locator(".vzp-stop").inner_text() == "Epoch 3 · E-step"
        assert player.get_attribute("data-playing") is None and saved() == []

        # The reader steps: the traits follow, one save per stop.
        player.get_by_role("button", name="Step forward").click()
        assert player.get_attribute("data-stop") == "3" and traits() == [3, "m"]
        player.get_by_role("button", name="Step back").click()
        player.get_by_role("button", name="Step back").click()
        assert player.get_attribute("data-stop") == "2" and traits() == [2, "m"]
        assert saved() == [[3, "m"], [3, "e"], [2, "m"]]

        # Python sets the stop (both traits in one message): the player moves and sends nothing back.
        page.evaluate("vzModel.set({epoch: 5, half_step: ''})")
        assert player.get_attribute("data-stop") == "5" and not player.locator(".vzp-half").is_checked()
        assert player.locator(".vzp-stop").inner_text() == "Epoch 5 of 6" and len(saved()) == 3

        # Playing reports every stop and keeps playing (its own reports do not pause it).
        player.get_by_role("button", name="Play").click()
        page.wait_for_function("vzModel.saved.length >= 5", timeout=5000)
        assert player.get_attribute("data-playing") == ""
        assert player.get_attribute("data-stop") == str(traits()[0])
        player.get_by_role("button", name="Pause").click()

        # A fit streaming in: new markup and its last epoch in one message; the player is mounted anew.
        page.evaluate("(s) => vzModel.set({_html: s._html, epoch: s.epoch, half_step: s.half_step})", streamed)
        assert player.get_attribute("data-stop") == "8"
        assert player.locator(".vzp-slider").get_attribute("max") == "8"
        assert page.locator("#out .vzp").count() == 1 and player.get_attribute("data-playing") is None
        assert player.locator(".vzp-desc").inner_text().startswith("Soft EM fits 2 normal components")
        player.get_by_role("button", name="First stop").click()
        assert traits() == [0, ""]

        # A notebook on a phone: the widget's player fits 390 px.
        page.set_viewport_size({"width": 390, "height": 844})
        assert page.evaluate("document.documentElement.scrollWidth") <= 390

        page.evaluate("window.vzCleanup()")
        assert errors == []
        assert [u for u in requests if not u.startswith("blob:")] == [path.as_uri()]
    finally:
        context.close()

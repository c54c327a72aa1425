"""A real notebook: executed by a Jupyter kernel (nbclient), rendered to HTML (nbconvert), played in Chromium."""

import sys
from pathlib import Path

import pytest

nbformat = pytest.importorskip("nbformat")
nbclient = pytest.importorskip("nbclient")
nbconvert = pytest.importorskip("nbconvert")

pytestmark = [pytest.mark.slow, pytest.mark.browser]

CELLS = [
    "import vizgmm\nx, _ = vizgmm.walkthrough_data(seed=0)",
    "history = vizgmm.fit(x, 2, method='hard', init=vizgmm.WALKTHROUGH_INIT, tol=0, max_iter=6)\nhistory",
    "history  # shown again: a second, independent player",
]


@pytest.fixture(scope="module")
def notebook_html(tmp_path_factory):
    folder = tmp_path_factory.mktemp("notebook")
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(src) for src in CELLS])
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    # The kernel runs this interpreter, so it imports the vizgmm under test.
    client = nbclient.NotebookClient(nb, timeout=600, kernel_name="python3", resources={"metadata": {"path": str(folder)}})
    client.km_kwargs = {"kernel_cmd": [sys.executable, "-m", "ipykernel_launcher", "-f", "{connection_file}"]}
    client.execute()
    nbformat.write(nb, folder / "fit.ipynb")
    # "basic" is the notebook's own markup without nbconvert's page chrome (which fetches from CDNs).
    body, _ = nbconvert.HTMLExporter(template_name="basic").from_notebook_node(nb)
    path = folder / "fit.html"
    path.write_text(f"<!doctype html><html><head><meta charset=utf-8></head><body>{body}</body></html>", encoding="utf-8")
    return nb, path


def test_the_executed_notebook_holds_the_player(notebook_html):
    nb, _ = notebook_html
    outputs = [o for o in nb.cells[1].outputs if o.get("output_type") == "execute_result"]
    assert outputs, nb.cells[1].outputs
    html = outputs[0]["data"]["text/html"]
    assert 'class="vzp"' in html and "vzp-data" in html and "hard EM, k=2" in html


def test_the_rendered_notebook_plays_in_chromium(notebook_html, browser):
    _, path = notebook_html
    context = browser.new_context(viewport={"width": 1280, "height": 900}, reduced_motion="reduce")
    try:
        page = context.new_page()
        errors, requests = [], []
        page.on("pageerror", lambda exc: errors.append(str(exc)))
        page.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" else None)
        page.on("request", lambda req: requests.append(req.url))
        page.goto(Path(path).as_uri(), wait_until="load")
        players = page.locator(".vzp[data-stop]")
        assert players.count() == 2
        first, second = players.nth(0), players.nth(1)
        assert first.get_attribute("id") != second.get_attribute("id")
        first.get_by_role("button", name="Last stop").click()
        assert first.get_attribute("data-stop") == "6" and second.get_attribute("data-stop") == "0"
        assert first.locator(".vzp-curve").count() == 2
        assert errors == [] and requests == [Path(path).as_uri()]
    finally:
        context.close()

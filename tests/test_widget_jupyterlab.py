"""The widget in a real JupyterLab: a Lab server, its front end in Chromium, cells run through the Lab UI.

tests/test_widget_notebook.py runs the widget in a kernel and its module
against a stand-in model; this is the whole chain a reader has: JupyterLab's
widget manager and anywidget's Lab extension load the module from the kernel,
render it in the output area, and carry the traits both ways over the comm.
The notebook is run cell by cell with Shift+Enter in Lab, and what Python
sees is read back by running a cell that prints it.
"""

import json
import os
import re
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
import uuid
from pathlib import Path

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.slow]

ROOT = Path(__file__).resolve().parents[1]

CELLS = [
    "import vizgmm\nx, _ = vizgmm.walkthrough_data(seed=0)\n"
    "h = vizgmm.fit(x, 2, method='hard', init=vizgmm.WALKTHROUGH_INIT, tol=0, max_iter=10)\n"
    "w = vizgmm.widget(h, half_steps=True)\nw",
    "w.epoch = 3",
    "print('stop', w.epoch, repr(w.half_step))",
]

#: Generous: the server, the kernel and Lab's first load share two cores with other work.
START_TIMEOUT = 120
WAIT_MS = 90_000


def require(module, what):
    """Import ``module``, or skip locally and fail in CI (as the browser fixture does)."""
    try:
        __import__(module)
    except ImportError:
        missing = f"{what} is missing (pip install '.[test]')"
        if os.environ.get("CI"):
            pytest.fail(f"the JupyterLab widget test cannot run in CI: {missing}")
        pytest.skip(missing)


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def die_with_parent():
    """In the server's process, before exec: SIGTERM it when pytest dies, however pytest dies (Linux)."""
    try:
        import ctypes

        ctypes.CDLL(None, use_errno=True).prctl(1, signal.SIGTERM)  # PR_SET_PDEATHSIG
    except (OSError, AttributeError):
        pass


@pytest.fixture(scope="module")
def lab(tmp_path_factory):
    """A JupyterLab server on a free localhost port, with a token, in a temp dir; stopped in teardown."""
    require("jupyterlab", "jupyterlab")
    require("anywidget", "anywidget")
    folder = tmp_path_factory.mktemp("lab")
    work = folder / "work"
    work.mkdir()
    notebook = {
        "cells": [{"cell_type": "code", "execution_count": None, "id": f"c{i}", "metadata": {},
                   "outputs": [], "source": src} for i, src in enumerate(CELLS)],
        "metadata": {"kernelspec": {"name": "python3", "display_name": "Python 3", "language": "python"}},
        "nbformat": 4, "nbformat_minor": 5,
    }
    (work / "widget.ipynb").write_text(json.dumps(notebook), encoding="utf-8")
    port, token = free_port(), uuid.uuid4().hex
    env = dict(os.environ)
    # Nothing of the developer's Jupyter or IPython set-up, and the kernel imports the vizgmm under test
    # (the python3 kernel runs this interpreter: jupyter_client puts sys.executable for "python").
    for name in ("config", "data", "runtime", "ipython"):
        (folder / name).mkdir()
    env.update(JUPYTER_CONFIG_DIR=str(folder / "config"), JUPYTER_DATA_DIR=str(folder / "data"),
               JUPYTER_RUNTIME_DIR=str(folder / "runtime"), IPYTHONDIR=str(folder / "ipython"),
               PYTHONPATH=os.pathsep.join([str(ROOT), *filter(None, [env.get("PYTHONPATH")])]),
               PATH=os.pathsep.join([str(Path(sys.executable).parent), env.get("PATH", "")]),
               JUPYTER_PLATFORM_DIRS="1")
    log = (folder / "server.log").open("wb")
    command = [sys.executable, "-m", "jupyterlab", "--no-browser", "--ip=127.0.0.1", f"--port={port}",
               "--ServerApp.port_retries=0", f"--IdentityProvider.token={token}", f"--ServerApp.root_dir={work}",
               # Root in containers; no terminals; nothing asked of PyPI or jupyter.org by the server.
               "--ServerApp.allow_root=True", "--ServerApp.terminals_enabled=False",
               "--LabApp.extension_manager=readonly", "--LabApp.news_url=None",
               "--LabApp.check_for_updates_class=jupyterlab.NeverCheckForUpdate"]
    server = subprocess.Popen(command, cwd=work, env=env, stdout=log, stderr=subprocess.STDOUT,
                              stdin=subprocess.DEVNULL, start_new_session=True, preexec_fn=die_with_parent)
    base = f"http://127.0.0.1:{port}"

    def server_log():
        log.flush()
        return (folder / "server.log").read_text(errors="replace")[-3000:]

    try:
        deadline = time.monotonic() + START_TIMEOUT
        while True:
            if server.poll() is not None:
                pytest.fail(f"jupyter lab exited with {server.returncode}:\n{server_log()}")
            try:
                with urllib.request.urlopen(f"{base}/api/status?token={token}", timeout=5) as answer:
                    if answer.status == 200:
                        break
            except (urllib.error.URLError, OSError):
                pass
            if time.monotonic() > deadline:
                pytest.fail(f"jupyter lab did not answer in {START_TIMEOUT} s:\n{server_log()}")
            time.sleep(0.25)
        yield {"base": base, "token": token}
    finally:
        # SIGTERM: the server shuts its kernels down itself; its whole session if it does not.
        server.terminate()
        try:
            server.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(server.pid, signal.SIGKILL)
            server.wait()
        log.close()


def test_the_widget_renders_in_jupyterlab_and_its_stop_goes_both_ways(browser, lab):
    from playwright.sync_api import expect

    context = browser.new_context(viewport={"width": 1280, "height": 1400})
    errors, outside = [], []
    try:
        page = context.new_page()
        page.set_default_timeout(WAIT_MS)
        page.on("pageerror", lambda exc: errors.append(f"pageerror: {exc}"))
        page.on("console", lambda msg: errors.append(f"console: {msg.text}") if msg.type == "error" else None)

        # The page asks nothing of the network beyond its own server (news and update checks are off).
        def only_local(route):
            if route.request.url.startswith(lab["base"]) or route.request.url.startswith(("blob:", "data:")):
                route.continue_()
            else:
                outside.append(route.request.url)
                route.abort()

        context.route("**/*", only_local)
        page.goto(f"{lab['base']}/lab/tree/widget.ipynb?token={lab['token']}")
        notebook = page.locator(".jp-NotebookPanel:not(.lm-mod-hidden)")
        cells = notebook.locator(".jp-Notebook .jp-Cell")
        cells.nth(len(CELLS) - 1).wait_for()
        # The front end is connected to an idle kernel before the first Shift+Enter (a cell run earlier
        # is dropped). The status bar says so; the toolbar's indicator reads "idle" before any kernel.
        page.locator(".jp-StatusBar-Item", has_text=re.compile(r"^Python 3.* \| Idle$")).wait_for()

        def run(i):
            cells.nth(i).locator(".jp-InputArea-editor").click()
            page.keyboard.press("Shift+Enter")
            # Done when the kernel has numbered it: "[n]:" replaces "[*]:".
            expect(cells.nth(i).locator(".jp-InputArea-prompt")).to_have_text(re.compile(r"\[\d+\]"), timeout=WAIT_MS)

        run(0)
        output = cells.nth(0).locator(".jp-OutputArea-output")
        player = output.locator(".vzp")
        # The widget manager shows either the view or its error box ("Could not create a view").
        output.locator(".vzp, .jupyter-widgets-error-widget").first.wait_for()
        assert output.locator(".jupyter-widgets-error-widget").count() == 0, errors
        # The player drawn by its own script: the scene's SVG, the table filled in, the start shown.
        assert player.locator("svg.vzp-scene").is_visible()
        assert player.locator("svg.vzp-scene .vzp-shapes > *").count() > 0
        table = player.locator("table.vzp-table")
        assert table.is_visible() and table.locator("tbody tr").count() == 2
        start_row = table.locator("tbody tr").first.inner_text()
        assert any(ch.isdigit() for ch in start_row)
        assert player.get_attribute("data-stop") == "0"
        assert player.locator(".vzp-half").is_checked()

        # Python sets the stop: the rendered player moves to it (and its table follows).
        run(1)
        expect(player).to_have_attribute("data-stop", "3", timeout=WAIT_MS)
        assert player.locator(".vzp-stop").inner_text() == "Epoch 3 · M-step"
        assert table.locator("tbody tr").first.inner_text() != start_row

        # The reader steps in the rendered player: Python reads the new stop.
        player.get_by_role("button", name="Step forward").click()
        assert player.get_attribute("data-stop") == "4e"
        run(2)
        stream = cells.nth(2).locator(".jp-OutputArea-output")
        assert stream.inner_text().strip() == "stop 4 'e'"

        assert page.locator(".jp-OutputArea-output[data-mime-type*='error']").all_inner_texts() == []
        assert errors == [], errors
        assert outside == [], outside
    finally:
        context.close()

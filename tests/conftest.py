"""Shared pytest fixtures."""

import os
import signal
from pathlib import Path

import pytest

# vizgmm writes in the user's language when it has a catalogue for it (vizgmm/i18n.py); the suite pins
# English outputs, so it runs in English whatever the developer's locale (LANGUAGE wins over LC_*/LANG
# for messages only, so the C library's encoding is left alone). tests/test_i18n.py sets its own.
os.environ["LANGUAGE"] = "en"

# -- a real browser: Debian's Chromium driven by Playwright (never a downloaded one) ----------
CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


@pytest.fixture(scope="session")
def browser():
    """A headless Chromium for the whole session; skipped locally without one, an error in CI."""
    missing = None
    if not CHROMIUM.exists():
        missing = f"{CHROMIUM} is missing (apt-get install chromium)"
    else:
        try:
            from playwright.sync_api import sync_playwright
        except ImportError:
            missing = "the playwright package is missing (pip install playwright)"
    if missing:
        if os.environ.get("CI"):
            pytest.fail(f"browser tests cannot run in CI: {missing}")
        pytest.skip(missing)
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            yield chromium
        finally:
            chromium.close()


@pytest.fixture(scope="session")
def pdflatex():
    """The pdflatex that compiles the Beamer tests; skipped locally without one, an error in CI (.ci/run installs it)."""
    import shutil

    found = shutil.which("pdflatex")
    if found is None:
        missing = ("pdflatex is missing (apt-get install texlive-latex-base texlive-latex-recommended "
                   "texlive-latex-extra)")
        if os.environ.get("CI"):
            pytest.fail(f"the Beamer compile tests cannot run in CI: {missing}")
        pytest.skip(missing)
    return found


# -- the walk-through, fitted once for the whole session ----------------------------------------
@pytest.fixture(scope="session")
def walkthrough_data():
    """The walk-through's 1000 foot sizes and their true sexes (seed 0)."""
    import vizgmm

    return vizgmm.walkthrough_data(seed=0)


@pytest.fixture(scope="session")
def walk(walkthrough_data):
    """The walk-through: hard EM from the far guess (210, 290), 10 epochs, tol 0. Shared: do not modify it."""
    import vizgmm

    x, _ = walkthrough_data
    return vizgmm.fit(x, 2, method="hard", init=vizgmm.WALKTHROUGH_INIT, tol=0, max_iter=10)


@pytest.fixture(scope="session")
def drained_fit():
    """A variational fit of six components to two clusters, where the Dirichlet-process prior drains
    several below 1 % weight: (history, how many keep weight). Shared: do not modify it."""
    import numpy as np

    import vizgmm
    from vizgmm.look.variational import FADE_WEIGHT

    rng = np.random.default_rng(7)
    X = np.vstack([rng.normal([0, 0], 0.5, size=(120, 2)), rng.normal([4, 4], 0.5, size=(120, 2))])
    history = vizgmm.fit(X, 6, method="variational", init="kmeans++", seed=0, max_iter=300,
                         weight_concentration_prior=1e-3)
    drained = int((history.final.weights < FADE_WEIGHT).sum())
    assert 1 <= drained < 6
    return history, 6 - drained


@pytest.fixture
def interruptible():
    """Ctrl-C reaches this process and the programs it starts, however the suite was started.

    Under ``nohup`` or ``python -m pytest &`` the shell starts pytest with SIGINT ignored, and an ignored
    signal stays ignored in every child: the tests that send SIGINT would see nothing happen. A Python
    handler is reset to the default by exec, so installing Python's own one here fixes the children too.
    """
    before = signal.signal(signal.SIGINT, signal.default_int_handler)
    yield
    signal.signal(signal.SIGINT, before)


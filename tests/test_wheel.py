"""The wheel is complete: installed into a fresh virtual environment, `vizgmm demo` works from any folder.

This catches what an editable install hides: templates missing from the
wheel, paths relative to the checkout, undeclared dependencies. It builds the
wheel and installs it with its dependencies from the package index (pip's
cache makes repeat runs quicker), so it takes a minute or two.
"""

import re
import shutil
import subprocess
import sys
import venv
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def _run(args, cwd, timeout=900):
    proc = subprocess.run([str(a) for a in args], cwd=cwd, capture_output=True, text=True, timeout=timeout)
    assert proc.returncode == 0, f"{args}\nexit {proc.returncode}\n{proc.stdout[-3000:]}\n{proc.stderr[-3000:]}"
    return proc


@pytest.mark.slow
def test_wheel_installs_and_runs_the_demo_outside_the_checkout(tmp_path):
    # Build from a copy: setuptools writes build/ and *.egg-info into the source folder, and
    # two runs at once in the same checkout would trip over each other.
    source = tmp_path / "source"
    shutil.copytree(ROOT, source, ignore=shutil.ignore_patterns(
        ".git", ".venv", "build", "dist", "*.egg-info", "outputs", "__pycache__", ".pytest_cache", ".hypothesis",
    ))
    dist = tmp_path / "dist"
    _run([sys.executable, "-m", "build", "--wheel", "--outdir", dist, source], cwd=tmp_path)
    wheels = list(dist.glob("vizgmm-*.whl"))
    assert len(wheels) == 1

    import zipfile

    names = zipfile.ZipFile(wheels[0]).namelist()
    assert "vizgmm/templates/report.html" in names, "the report templates are not in the wheel"

    env = tmp_path / "fresh"
    venv.EnvBuilder(with_pip=True, clear=True).create(env)
    bin_dir = env / ("Scripts" if sys.platform == "win32" else "bin")
    _run([bin_dir / "python", "-m", "pip", "install", "--quiet", "--disable-pip-version-check", wheels[0]],
         cwd=tmp_path)

    elsewhere = tmp_path / "somewhere else"
    elsewhere.mkdir()
    proc = _run([bin_dir / "vizgmm", "demo", "--out", "demo"], cwd=elsewhere)
    out = elsewhere / "demo"
    for name in ("animation.gif", "animation.mp4", "report.html", "history.json", "history.npz"):
        assert (out / name).stat().st_size > 0, name
    page = (out / "report.html").read_text(encoding="utf-8")
    assert re.search(r'src="data:video/mp4;base64,[A-Za-z0-9+/]{1000}', page), "no embedded animation"
    assert "walk-through" in page
    assert "report.html" in proc.stdout

    # The installed package, not the checkout, did the work.
    where = _run([bin_dir / "python", "-c", "import vizgmm; print(vizgmm.__file__)"], cwd=elsewhere).stdout
    assert str(env) in where and str(ROOT) not in where

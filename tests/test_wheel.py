"""The wheel is complete: installed non-editable into a fresh virtual environment, every subcommand works.

This catches what an editable install hides: templates missing from the wheel
(issue 20: templates/explain.txt was not shipped, so `vizgmm compare` always
failed after `pip install .`), paths relative to the checkout. It builds the
wheel from a copy of the checkout, checks the wheel's file list against
templates/, installs the wheel alone (``--no-deps``) into a fresh venv and
lets that venv see this environment's third-party packages through a ``.pth``
file, so it runs offline. A ``.pth`` line only appends a folder to sys.path:
the ``.pth`` files inside it (this checkout's editable finder) are not read,
and the test asserts that the imported vizgmm is the wheel's copy.
"""

import re
import shutil
import site
import subprocess
import sys
import sysconfig
import venv
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def _run(args, cwd, timeout=600, env=None):
    proc = subprocess.run([str(a) for a in args], cwd=cwd, capture_output=True, text=True, timeout=timeout, env=env)
    assert proc.returncode == 0, f"{args}\nexit {proc.returncode}\n{proc.stdout[-3000:]}\n{proc.stderr[-3000:]}"
    return proc


def _build_wheel(tmp_path):
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
    return wheels[0]


def _fresh_env(tmp_path, wheel):
    """A new venv holding the wheel's vizgmm, seeing this environment's dependencies (not its vizgmm)."""
    env = tmp_path / "fresh"
    venv.EnvBuilder(with_pip=True, clear=True).create(env)
    bin_dir = env / ("Scripts" if sys.platform == "win32" else "bin")
    python = bin_dir / "python"
    _run([python, "-m", "pip", "install", "--quiet", "--no-deps", "--no-index", "--disable-pip-version-check",
          wheel], cwd=tmp_path)
    fresh_site = Path(_run([python, "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
                           cwd=tmp_path).stdout.strip())
    ours = {sysconfig.get_paths()["purelib"], sysconfig.get_paths()["platlib"], *site.getsitepackages()}
    (fresh_site / "zz_parent_dependencies.pth").write_text("\n".join(sorted(ours)) + "\n", encoding="utf-8")
    return env, bin_dir


@pytest.mark.slow
def test_wheel_ships_every_template_and_every_subcommand_runs_from_it(tmp_path):
    wheel = _build_wheel(tmp_path)

    # Every file under templates/ is in the wheel, under vizgmm/templates/.
    names = set(zipfile.ZipFile(wheel).namelist())
    templates = ROOT / "templates"
    expected = {f"vizgmm/templates/{p.relative_to(templates).as_posix()}" for p in templates.rglob("*")
                if p.is_file() and "__pycache__" not in p.parts}
    assert expected, "no templates found in the checkout"
    missing = sorted(expected - names)
    assert not missing, f"template files missing from the wheel: {missing}"

    env, bin_dir = _fresh_env(tmp_path, wheel)
    elsewhere = tmp_path / "somewhere else"
    elsewhere.mkdir()
    clean = {k: v for k, v in __import__("os").environ.items() if k not in ("PYTHONPATH", "PYTHONHOME")}

    # The installed package, not the checkout, does the work.
    where = _run([bin_dir / "python", "-c", "import vizgmm; print(vizgmm.__file__)"], cwd=elsewhere, env=clean)
    assert str(env) in where.stdout and str(ROOT) not in where.stdout, where.stdout

    def vizgmm(*args):
        return _run([bin_dir / "vizgmm", *args], cwd=elsewhere, env=clean)

    # The compiled Korean catalogue is in the wheel and the installed package reads it (vizgmm/i18n.py).
    assert "vizgmm/locale/ko/LC_MESSAGES/vizgmm.mo" in names
    korean = _run([bin_dir / "python", "-c", "from vizgmm.i18n import words; print(words('ko').gettext('Play'))"],
                  cwd=elsewhere, env={**clean, "PYTHONIOENCODING": "utf-8"})
    assert korean.stdout.strip() == "재생", korean.stdout

    # simulate: small labelled data for fit and compare.
    vizgmm("simulate", "-c", "0,1,60", "-c", "5,1,40", "--seed", "1", "-o", "small.csv")
    assert (elsewhere / "small.csv").read_text(encoding="utf-8").startswith("x,label")

    proc = vizgmm("demo", "--out", "demo")
    out = elsewhere / "demo"
    for name in ("animation.gif", "animation.mp4", "report.html", "history.json", "history.npz"):
        assert (out / name).stat().st_size > 0, name
    page = (out / "report.html").read_text(encoding="utf-8")
    assert re.search(r'src="data:video/mp4;base64,[A-Za-z0-9+/]{1000}', page), "no embedded animation"
    assert "walk-through" in page
    assert "report.html" in proc.stdout

    vizgmm("fit", "small.csv", "-k", "2", "--column", "x", "--labels-column", "label", "--max-iter", "5",
           "--no-mp4", "--out", "fit", "-q")
    for name in ("animation.gif", "report.html", "history.json"):
        assert (elsewhere / "fit" / name).stat().st_size > 0, name

    # compare reads templates/explain.txt: the fault issue 20 found.
    vizgmm("compare", "small.csv", "-k", "2", "--column", "x", "--max-iter", "5", "--no-mp4", "--out", "cmp", "-q")
    for name in ("compare.gif", "compare.html", "hard/history.json", "soft/history.json"):
        assert (elsewhere / "cmp" / name).stat().st_size > 0, name

    history = out / "history.json"
    vizgmm("render", history, "--no-mp4", "--out", "rendered", "-q")
    assert (elsewhere / "rendered" / "animation.gif").stat().st_size > 0
    vizgmm("report", history, "-o", "again.html", "-q")
    assert "<html" in (elsewhere / "again.html").read_text(encoding="utf-8").lower()
    vizgmm("player", history, "-o", "player.html", "-q")
    assert (elsewhere / "player.html").stat().st_size > 0
    vizgmm("slides", history, "-o", "deck.pptx", "--beamer", "beamer", "--reveal", "deck", "-q")
    assert zipfile.is_zipfile(elsewhere / "deck.pptx")
    assert (elsewhere / "beamer" / "animation.tex").stat().st_size > 0
    # The reveal.js deck copies vizgmm's vendored reveal.js from the installed package (issue 25.3).
    for name in ("index.html", "animation.mp4", "animation.vtt", "reveal/reveal.js", "reveal/LICENSE"):
        assert (elsewhere / "deck" / name).stat().st_size > 0, name

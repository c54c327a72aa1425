"""The `vizgmm` command driven as a user drives it: in a subprocess, end to end.

Every command, every error class (exit status 2, exactly one line on standard
error, no traceback), Ctrl-C and SIGTERM (no half-written file, no temporary
file left), and `python -m vizgmm` == the console script.
"""

import json
import os
import shlex
import signal
import subprocess
import sys
import time
from pathlib import Path

import imageio.v3 as iio
import numpy as np
import pytest
from cli_helpers import assert_one_line_error, run

import vizgmm

COMMANDS = ("demo", "fit", "render", "report", "simulate")


def no_temporary_files(folder):
    return [p.name for p in Path(folder).rglob("*") if ".part" in p.name]


@pytest.fixture(scope="module")
def demo(tmp_path_factory):
    """`vizgmm demo` once for the module: (cwd, output folder, the run)."""
    cwd = tmp_path_factory.mktemp("demo")
    proc = run(cwd, "demo", "--component-names", "여자,남자")
    return cwd, cwd / "outputs" / "demo", proc


# -- the walk-through end to end --------------------------------------------------------

def test_demo_writes_every_file_and_a_summary(demo):
    cwd, out, proc = demo
    for name in ("animation.gif", "animation.mp4", "report.html", "history.json", "history.npz"):
        assert (out / name).stat().st_size > 0, name
        assert name in proc.stdout  # the closing summary lists every file ...
    assert " KB" in proc.stdout  # ... with its size
    assert "report.html in a browser" in proc.stdout
    assert no_temporary_files(out) == []

    history = vizgmm.History.load(out / "history.json")
    assert history.settings["method"] == "hard" and history.epochs == 10 and history.n == 1000
    assert history.meta["component_names"] == ["여자", "남자"]
    assert shlex.split(history.meta["command"]) == ["vizgmm", "demo", "--component-names", "여자,남자"]
    assert history.true_labels is not None and np.bincount(history.true_labels).tolist() == [700, 300]
    # The walk-through: starting from 210/290, hard EM finds the two groups near 240 and 270.
    assert history[0].means.ravel().tolist() == [210.0, 290.0]
    assert abs(history.final.means[0, 0] - 240) < 1.5 and abs(history.final.means[1, 0] - 270) < 1.5

    frames = iio.imread(out / "animation.gif", index=None)
    assert frames.ndim == 4 and frames.shape[0] >= len(history)
    assert not np.array_equal(frames[0], frames[-1])  # the picture moves
    mp4 = iio.imread(out / "animation.mp4", index=None, plugin="pyav") if _has_pyav() else None
    if mp4 is not None:
        assert mp4.shape[0] >= len(history)

    page = (out / "report.html").read_text(encoding="utf-8")
    assert "Hard EM on the walk-through" in page
    assert "여자" in page
    assert "data:video/mp4;base64," in page and "data:image/gif;base64," in page


def _has_pyav():
    try:
        import av  # noqa: F401
    except ImportError:
        return False
    return True


def test_demo_soft_is_true_em_on_the_same_data(tmp_path):
    proc = run(tmp_path, "demo", "--method", "soft", "--out", "soft", "--no-gif", "--no-mp4", "--no-html")
    history = vizgmm.History.load(tmp_path / "soft" / "history.json")
    assert history.settings["method"] == "soft" and history.epochs == 10
    assert "soft EM" in proc.stdout
    # Soft EM never lowers the log-likelihood.
    assert np.all(np.diff(history.log_likelihoods) >= -1e-9 * abs(history.log_likelihoods).max())


# -- fit: every input format --------------------------------------------------------

@pytest.fixture(scope="module")
def feet(tmp_path_factory):
    """The walk-through's data written by `vizgmm simulate` in every format."""
    cwd = tmp_path_factory.mktemp("feet")
    for name in ("feet.csv", "feet.tsv", "feet.txt", "feet.npy"):
        run(cwd, "simulate", "--component", "240,7,700", "--component", "270,6,300", "--seed", "0", "-o", name)
    return cwd


def test_simulate_formats_hold_the_same_values(feet):
    x, labels = vizgmm.simulate([(240, 7, 700), (270, 6, 300)], seed=0)
    csv_rows = (feet / "feet.csv").read_text().splitlines()
    assert csv_rows[0] == "x,label" and len(csv_rows) == 1001
    assert float(csv_rows[1].split(",")[0]) == x[0]
    assert (feet / "feet.tsv").read_text().splitlines()[1] == csv_rows[1].replace(",", "\t")
    assert np.array_equal(np.loadtxt(feet / "feet.txt"), x)
    arr = np.load(feet / "feet.npy")
    assert arr.shape == (1000, 2) and np.array_equal(arr[:, 0], x) and np.array_equal(arr[:, 1], labels)


def test_simulate_to_standard_output(tmp_path):
    proc = run(tmp_path, "simulate", "-c", "0,1,3", "-c", "10,1,2", "--seed", "4")
    rows = proc.stdout.splitlines()
    assert rows[0] == "x,label" and [r.split(",")[1] for r in rows[1:]] == ["0", "0", "0", "1", "1"]
    assert run(tmp_path, "simulate", "-c", "0,1,3", "-c", "10,1,2", "--seed", "4").stdout == proc.stdout


@pytest.mark.parametrize("name, options", [
    ("feet.csv", ["--column", "x", "--labels-column", "label"]),
    ("feet.tsv", ["--column", "1", "--labels-column", "2"]),
    ("feet.txt", []),
    ("feet.npy", ["--column", "1", "--labels-column", "2"]),
])
def test_fit_reads_every_format_the_same(feet, name, options):
    out = f"out-{name.replace('.', '-')}"
    proc = run(feet, "fit", name, "-k", "2", "--method", "hard", "--means", "210,290", "--stds", "12,15",
               "--weights", "0.5,0.5", "--tol", "0", "--max-iter", "10", "--out", out,
               "--no-gif", "--no-mp4", "--no-html", *options)
    history = vizgmm.History.load(feet / out / "history.json")
    walkthrough = vizgmm.fit(*vizgmm.walkthrough_data(seed=0)[:1], 2, method="hard",
                             init=vizgmm.WALKTHROUGH_INIT, tol=0, max_iter=10)
    assert history.epochs == 10
    assert np.allclose(history.final.means, walkthrough.final.means, rtol=0, atol=1e-9)
    assert history.meta["source"] == name
    assert (history.true_labels is not None) == bool(options)
    assert "history.json" in proc.stdout and "epoch 10: μ = " in proc.stdout


def test_fit_from_standard_input_into_default_folder(feet, tmp_path):
    data = (feet / "feet.txt").read_text()
    proc = run(tmp_path, "fit", "-", "-k", "2", "--seed", "1", "--no-gif", "--no-mp4", "--no-html", stdin=data)
    history = vizgmm.History.load(tmp_path / "outputs" / "stdin" / "history.json")
    assert history.n == 1000 and history.meta["source"] == "standard input"
    assert sorted(np.round(history.final.means.ravel())) == pytest.approx([240, 270], abs=2)
    assert "outputs/stdin" in proc.stdout


def test_fit_default_column_note_and_init_file(feet):
    (feet / "init.json").write_text(json.dumps(vizgmm.WALKTHROUGH_INIT))
    proc = run(feet, "fit", "feet.csv", "-k", "2", "--init-file", "init.json", "--max-iter", "3", "--tol", "0",
               "--out", "from-json", "--no-gif", "--no-mp4", "--no-html")
    assert "note: using column 'x'" in proc.stderr
    history = vizgmm.History.load(feet / "from-json" / "history.json")
    assert history.settings["init"] == "explicit" and history[0].means.ravel().tolist() == [210.0, 290.0]
    assert history.epochs == 3


def test_fit_2d_columns_with_all_outputs(tmp_path):
    rng = np.random.default_rng(0)
    a = rng.normal([0, 0], 1, size=(60, 2))
    b = rng.normal([6, 3], 1, size=(40, 2))
    rows = ["height;weight;group"] + [f"{x:.3f};{y:.3f};{g}".replace(".", ",")
                                     for (x, y), g in zip(np.vstack([a, b]), [0] * 60 + [1] * 40)]
    (tmp_path / "people.csv").write_text("\n".join(rows) + "\n")
    proc = run(tmp_path, "fit", "people.csv", "-k", "2", "--columns", "height,weight", "--labels-column", "group",
               "--seed", "0", "--title", "Two groups", "--max-iter", "8")
    out = tmp_path / "outputs" / "people"
    for name in ("animation.gif", "animation.mp4", "report.html", "history.json", "history.npz"):
        assert (out / name).is_file(), proc.stdout
    history = vizgmm.History.load(out / "history.json")
    assert history.d == 2 and history.meta["feature_names"] == ["height", "weight"]
    assert "Two groups" in (out / "report.html").read_text(encoding="utf-8")
    assert iio.imread(out / "animation.gif", index=0).shape[:2] == (480, 640)


# -- render and report from a saved history ---------------------------------------------------

def test_render_from_history_with_new_options(demo, tmp_path):
    _, out, _ = demo
    proc = run(tmp_path, "render", out / "history.json", "--out", "slides", "--preset", "slides", "--no-mp4",
               "--frames", "--theme", "dark")
    gif = iio.imread(tmp_path / "slides" / "animation.gif", index=0)
    assert gif.shape[:2] == (1080, 1920)
    assert gif[5, 5, :3].mean() < 80  # dark background
    frames = sorted((tmp_path / "slides" / "frames").glob("*.png"))
    assert len(frames) >= 11 and "PNG frames" in proc.stdout
    assert not (tmp_path / "slides" / "animation.mp4").exists()


def test_report_from_history_reuses_the_animation_beside_it(demo, tmp_path):
    _, out, _ = demo
    target = tmp_path / "again.html"
    proc = run(tmp_path, "report", out / "history.json", "-o", target)
    assert "embedding" in proc.stderr and "animation.mp4" in proc.stderr
    page = target.read_text(encoding="utf-8")
    assert "Hard EM on the walk-through" in page and "data:video/mp4;base64," in page
    # The embedded video is the very file beside the history (not a new rendering).
    import base64
    import re

    uri = re.search(r"data:video/mp4;base64,([A-Za-z0-9+/=]+)", page).group(1)
    assert base64.b64decode(uri) == (out / "animation.mp4").read_bytes()


def test_report_to_a_folder_is_one_line_without_embedding_notes(demo, tmp_path):
    _, out, _ = demo
    (tmp_path / "out").mkdir()
    proc = run(tmp_path, "report", out / "history.json", "-o", "out", check=False)
    # the notes about reused animations would only describe a report that was never written
    assert_one_line_error(proc, "is a folder")


@pytest.mark.slow
def test_report_rerenders_with_drawing_options(demo, tmp_path):
    _, out, _ = demo
    target = tmp_path / "gif.html"
    proc = run(tmp_path, "report", out / "history.json", "-o", target, "--animation", "gif", "--title", "Week 3")
    assert "embedding" not in proc.stderr  # a new title is drawn into a new animation
    page = target.read_text(encoding="utf-8")
    assert "Week 3" in page
    assert "data:image/gif;base64," in page and "data:video/mp4" not in page


# -- help, version, python -m == console script ---------------------------------------------

@pytest.mark.parametrize("command", COMMANDS)
def test_every_command_has_help_with_an_example(tmp_path, command):
    proc = run(tmp_path, command, "--help")
    assert "Example" in proc.stdout and f"vizgmm {command}" in proc.stdout


def test_version_and_bare_command(tmp_path):
    assert run(tmp_path, "--version").stdout.strip() == f"vizgmm {vizgmm.__version__}"
    bare = run(tmp_path, check=False)
    assert bare.returncode == 2 and "COMMAND" in bare.stderr


def test_console_script_is_the_same_command(tmp_path):
    script = Path(sys.executable).with_name("vizgmm")
    if not script.exists():
        pytest.skip("vizgmm console script is not installed next to this Python")
    proc = subprocess.run([script, "--version"], capture_output=True, text=True, cwd=tmp_path)
    assert proc.returncode == 0 and proc.stdout.strip() == f"vizgmm {vizgmm.__version__}"


# -- every error class: exit 2, one line, no traceback ---------------------------------------

@pytest.fixture()
def data_dir(tmp_path):
    (tmp_path / "d.csv").write_text("size,sex\n240,F\n270,M\n250,F\nabc,M\n")
    (tmp_path / "ok.csv").write_text("size\n240\n270\n250\n245\n")
    (tmp_path / "three.csv").write_text("a,b,c\n1,2,3\n4,5,7\n2,2,9\n")
    (tmp_path / "folder").mkdir()
    (tmp_path / "bad.json").write_text('{"means": [1, 2')
    (tmp_path / "binary.dat").write_bytes(b"\x00\x01\x02\x00" * 10)
    return tmp_path


# One subprocess per error class; their variants run through cli.main in this
# process (the same code path, a second faster per case).
ERRORS = [
    # a missing or unreadable file
    ("subprocess", ["fit", "missing.csv", "-k", "2"], ["missing.csv", "does not exist"]),
    ("subprocess", ["fit", "binary.dat", "-k", "2"], ["binary.dat", "binary file"]),
    ("subprocess", ["render", "missing.json"], ["missing.json", "does not exist"]),
    ("in-process", ["fit", "folder", "-k", "2"], ["folder", "is a folder"]),
    ("in-process", ["report", "ok.csv"], ["ok.csv", "not a readable history"]),
    ("in-process", ["fit", "ok.csv", "-k", "2", "--init-file", "bad.json"], ["bad.json", "not valid JSON"]),
    # an unknown column
    ("subprocess", ["fit", "d.csv", "-k", "2", "--column", "height"], ["'height' not found", "available: size, sex"]),
    ("in-process", ["fit", "d.csv", "-k", "2", "--column", "9"], ["column number 9", "1 to 2"]),
    # values that are not numbers
    ("subprocess", ["fit", "d.csv", "-k", "2", "--column", "size"], ["line 5", "'abc' is not a number"]),
    # invalid option values: vizgmm's own checks and argparse's
    ("subprocess", ["fit", "ok.csv", "-k", "2", "--means", "210,290", "--stds", "12,-1"], ["std", "> 0"]),
    ("subprocess", ["fit", "ok.csv", "-k", "2", "--method", "magic"], ["invalid choice: 'magic'", "see vizgmm fit --help"]),
    ("in-process", ["fit", "ok.csv", "-k", "0"], ["k must be at least 1", "use -k 2 or more, or -k auto"]),
    ("in-process", ["fit", "ok.csv", "-k", "two"], ["'two'"]),
    ("in-process", ["fit", "ok.csv", "-k", "9"], ["k=9", "distinct points"]),
    ("in-process", ["fit", "ok.csv", "-k", "2", "--tol", "-1"], ["--tol must be 0 or more", "--tol 0.001"]),
    ("in-process", ["fit", "ok.csv", "-k", "2", "--seed", "-3"], ["--seed must be 0 or more", "--seed 0"]),
    ("in-process", ["fit", "ok.csv", "-k", "2", "--means", "-5,5"], ["expected one argument", "--means=-5,5"]),
    ("in-process", ["fit", "ok.csv", "-k", "2", "--max-iter", "ten"], ["--max-iter", "see vizgmm fit --help"]),
    ("in-process", ["fit", "ok.csv", "-k", "2", "--means", "210,x", "--stds", "1,2"], ["--means", "'x' is not a number"]),
    ("in-process", ["fit", "ok.csv", "-k", "2", "--means", "210,290"], ["--stds"]),
    ("in-process", ["fit", "ok.csv", "-k", "2", "--component-names", "a,b,c"], ["3 names for 2 components"]),
    ("in-process", ["fit", "ok.csv", "-k", "2", "--preset", "poster"], ["unknown preset 'poster'", "blog"]),
    ("in-process", ["fit", "ok.csv", "-k", "2", "--tween", "100"], ["--tween", "0 to 60"]),
    ("in-process", ["fit", "ok.csv", "-k", "2", "--fps", "0"], ["--fps must be more than 0", "e.g. --fps 10"]),
    ("in-process", ["demo", "--duration-ms", "0"], ["--duration-ms must be more than 0", "--duration-ms 500"]),
    ("in-process", ["fit", "three.csv", "-k", "1", "--columns", "a,b,c", "--features", "1,9"], ["--features", "1 to 3"]),
    ("in-process", ["fit", "ok.csv", "-k", "2", "--frobnicate"], ["unrecognized arguments: --frobnicate", "vizgmm fit --help"]),
    ("in-process", ["fit", "ok.csv"], ["required", "-k"]),
    ("in-process", ["demo", "--fps", "10", "--duration-ms", "50"], ["not allowed with"]),
    ("subprocess", ["simulate", "-c", "240,7"], ["MEAN,STD,COUNT"]),
    ("in-process", ["simulate", "-c", "240,-7,10"], ["std > 0"]),
    ("in-process", ["simulate", "-c", "240,7,10", "-o", "x.xlsx"], ["'.xlsx'", ".csv"]),
    ("in-process", ["frobnicate"], ["invalid choice: 'frobnicate'"]),
    # --out is a folder: "x.gif" would become a folder of that name
    ("in-process", ["fit", "ok.csv", "-k", "2", "--out", "x.gif"], ["--out is a folder", "use --out x"]),
    ("in-process", ["report", "ok.csv", "--out", "r.html"], ["--out is a folder", "use -o r.html"]),
]


@pytest.mark.parametrize("how, args, words", ERRORS, ids=[" ".join(e[1]) for e in ERRORS])
def test_errors_are_one_line_and_exit_2(data_dir, monkeypatch, capfd, how, args, words):
    if how == "subprocess":
        proc = run(data_dir, *args, check=False)
    else:
        from vizgmm.cli.main import main

        monkeypatch.chdir(data_dir)
        status = main(args)
        out, err = capfd.readouterr()
        proc = subprocess.CompletedProcess(args, status, out, err)
    line = assert_one_line_error(proc, *words)
    assert line.startswith("vizgmm")
    assert no_temporary_files(data_dir) == []


def test_debug_shows_the_traceback(data_dir):
    proc = run(data_dir, "fit", "d.csv", "-k", "2", "--column", "height", "--debug", check=False)
    assert proc.returncode == 2 and "Traceback" in proc.stderr
    assert proc.stderr.strip().splitlines()[-1].startswith("vizgmm: error: column 'height' not found")


def test_output_folder_that_is_a_file(data_dir):
    (data_dir / "taken").write_text("not a folder")
    proc = run(data_dir, "fit", "ok.csv", "-k", "1", "--out", "taken", check=False)
    assert_one_line_error(proc, "taken", "not a folder")


# -- interrupted runs leave the earlier files intact and no temporary files ----------------------

# Ctrl-C ends the process by SIGINT (a shell shows 130); SIGTERM exits with 143.
@pytest.mark.parametrize("signum, status, word", [
    (signal.SIGINT, -signal.SIGINT, "interrupted"),
    (signal.SIGTERM, 143, "terminated"),
], ids=["sigint", "sigterm"])
def test_interrupt_during_render_keeps_the_earlier_file(demo, tmp_path, signum, status, word, interruptible):
    _, out, _ = demo
    folder = tmp_path / "run"
    folder.mkdir()
    for name in ("history.json", "history.npz", "animation.gif"):
        (folder / name).write_bytes((out / name).read_bytes())
    before = (folder / "animation.gif").read_bytes()
    # Slides with 20 in-between frames per epoch (231 frames) take several seconds: ample time
    # to interrupt mid-write, however fast the renderer gets.
    proc = subprocess.Popen(
        [sys.executable, "-m", "vizgmm", "render", "history.json", "--no-mp4", "--preset", "slides",
         "--tween", "20"],
        cwd=folder, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )
    deadline = time.monotonic() + 120
    while not no_temporary_files(folder):
        assert proc.poll() is None, "the render finished before it could be interrupted"
        assert time.monotonic() < deadline
        time.sleep(0.05)
    time.sleep(0.1)  # inside the frame loop
    proc.send_signal(signum)
    _, stderr = proc.communicate(timeout=60)
    assert proc.returncode == status, stderr
    assert stderr.strip().splitlines() == [f"vizgmm: {word}"]
    assert (folder / "animation.gif").read_bytes() == before
    assert no_temporary_files(folder) == []


def test_ctrl_c_stops_the_shell_script_that_ran_vizgmm(demo, tmp_path, interruptible):
    # A terminal sends Ctrl-C to the whole foreground group: the shell and vizgmm. Bash goes
    # on with the next command when its child exits with 130 by itself ("it handled the
    # interrupt"), and stops only when the child died of SIGINT.
    _, out, _ = demo
    for name in ("history.json", "history.npz"):
        (tmp_path / name).write_bytes((out / name).read_bytes())
    vizgmm_command = f"{shlex.quote(sys.executable)} -m vizgmm render history.json --no-mp4 --preset slides --tween 20"
    proc = subprocess.Popen(
        ["bash", "-c", f"{vizgmm_command}; echo the script went on"], cwd=tmp_path,
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, start_new_session=True,
    )
    deadline = time.monotonic() + 120
    while not list(tmp_path.glob(".vizgmm-stage-*/*")):
        assert proc.poll() is None, "the render finished before it could be interrupted"
        assert time.monotonic() < deadline
        time.sleep(0.05)
    os.killpg(proc.pid, signal.SIGINT)
    stdout, stderr = proc.communicate(timeout=60)
    assert "went on" not in stdout
    assert proc.returncode == -signal.SIGINT
    assert stderr.strip().splitlines() == ["vizgmm: interrupted"]


# A signal's handler raises its exception wherever Python is, and code there decides what
# becomes of it. Python's own exec() of a string remembers a KeyboardInterrupt that escaped
# it (and would end the process by SIGINT even after vizgmm handled it); an extension module
# being imported turns it into ImportError; Python prints and drops an exception raised in
# an at-fork hook (run around starting ffmpeg), and the run would go on.
SIGNALLED_INSIDE = {
    "the command": "os.kill(os.getpid(), SIGNUM); time.sleep(5)",
    "exec of a string": 'exec("os.kill(os.getpid(), SIGNUM); time.sleep(5)")',
    "a library that turns it into ImportError": (
        "try:\n        os.kill(os.getpid(), SIGNUM); time.sleep(5)\n"
        "    except BaseException:\n        raise ImportError('initialization failed')"
    ),
    "an at-fork hook": (
        "os.register_at_fork(after_in_parent=lambda: [os.kill(os.getpid(), SIGNUM), *range(100_000)])\n"
        "    pid = os.fork()\n"
        "    if pid == 0:\n        os._exit(0)\n"
        "    os.waitpid(pid, 0); time.sleep(2)\n"
        "    open('went-on', 'w').close()"
    ),
}


@pytest.mark.parametrize("where", SIGNALLED_INSIDE)
@pytest.mark.parametrize("signum, status, word", [
    (signal.SIGINT, -signal.SIGINT, "interrupted"),  # Ctrl-C: death by SIGINT, 130 in a shell
    (signal.SIGTERM, 143, "terminated"),
], ids=["sigint", "sigterm"])
def test_a_signal_anywhere_is_one_line_and_its_status(tmp_path, where, signum, status, word, interruptible):
    script = f"""
import os, signal, sys, time
import vizgmm.cli.parser
SIGNUM = {int(signum)}

def signalled_simulate(args):
    {SIGNALLED_INSIDE[where]}

vizgmm.cli.parser.cmd_simulate = signalled_simulate
sys.argv = ["vizgmm", "simulate", "-c", "240,7,10"]
from vizgmm.__main__ import run
run()
"""
    proc = subprocess.run([sys.executable, "-c", script], cwd=tmp_path, capture_output=True, text=True, timeout=60)
    assert proc.returncode == status, proc.stderr
    assert proc.stderr.strip().splitlines() == [f"vizgmm: {word}"]
    assert not (tmp_path / "went-on").exists()


def test_ctrl_c_while_the_command_line_loads_is_one_line(tmp_path, interruptible):
    # The first few tenths of a second import numpy, matplotlib and the rest: Ctrl-C there too.
    script = """
import os, signal, sys, time

class InterruptTheImport:
    def find_spec(self, name, path, target=None):
        if name == "vizgmm.cli.parser":
            os.kill(os.getpid(), signal.SIGINT)
            time.sleep(5)

sys.meta_path.insert(0, InterruptTheImport())
sys.argv = ["vizgmm", "simulate", "-c", "240,7,10"]
from vizgmm.__main__ import run
run()
"""
    proc = subprocess.run([sys.executable, "-c", script], cwd=tmp_path, capture_output=True, text=True, timeout=60)
    assert proc.returncode == -signal.SIGINT, proc.stderr
    assert proc.stderr.strip().splitlines() == ["vizgmm: interrupted"]


def test_main_returns_130_after_ctrl_c_in_process(tmp_path, monkeypatch, capfd, interruptible):
    import vizgmm.cli.parser
    from vizgmm.cli.main import main

    def interrupted_simulate(args):
        try:
            os.kill(os.getpid(), signal.SIGINT)
            time.sleep(5)
        except KeyboardInterrupt:
            raise ImportError("initialization failed") from None

    monkeypatch.setattr(vizgmm.cli.parser, "cmd_simulate", interrupted_simulate)
    monkeypatch.chdir(tmp_path)
    assert main(["simulate", "-c", "240,7,10"]) == 130
    assert capfd.readouterr().err.strip().splitlines() == ["vizgmm: interrupted"]
    # the caller's own Ctrl-C handling is back
    assert signal.getsignal(signal.SIGINT) is signal.default_int_handler


def test_ctrl_c_swallowed_by_a_library_still_replaces_nothing(tmp_path, monkeypatch, capfd, interruptible):
    # Some libraries catch KeyboardInterrupt and carry on; the run must still stop before publishing.
    import vizgmm.animate.scenes.base as scenes_base
    from vizgmm.cli.main import main

    monkeypatch.chdir(tmp_path)
    assert main(["simulate", "-c", "240,7,60", "-c", "270,6,60", "--seed", "1", "-o", "feet.csv"]) == 0
    assert main(["fit", "feet.csv", "-k", "2", "--no-mp4", "--no-html", "--out", "run"]) == 0
    before = {p.name: p.read_bytes() for p in (tmp_path / "run").iterdir() if p.is_file()}
    capfd.readouterr()
    draw = scenes_base.Scene.render
    calls = []
    this_process = os.getpid()  # a forked second GIF process draws too; only this one is interrupted

    def swallowing_render(self, state):
        calls.append(1)
        if len(calls) == 3 and os.getpid() == this_process:
            try:
                os.kill(os.getpid(), signal.SIGINT)
                time.sleep(5)
            except KeyboardInterrupt:
                pass  # the library's "except KeyboardInterrupt: continue"
        return draw(self, state)

    monkeypatch.setattr(scenes_base.Scene, "render", swallowing_render)
    status = main(["render", "run/history.json", "--no-mp4", "--out", "run"])
    assert len(calls) > 3  # the frame loop went on after the swallowed Ctrl-C ...
    assert status == 130  # ... but the run still ends as interrupted
    assert capfd.readouterr().err.strip().splitlines() == ["vizgmm: interrupted"]
    after = {p.name: p.read_bytes() for p in (tmp_path / "run").iterdir() if p.is_file()}
    assert after == before  # nothing replaced, nothing left half-written
    assert not any(".part" in p.name or "vizgmm-stage" in p.name for p in (tmp_path / "run").rglob("*"))


def test_readme_shows_the_committed_demo_gif():
    root = Path(__file__).resolve().parent.parent
    readme = (root / "README.md").read_text(encoding="utf-8")
    assert "](outputs/examples/demo.gif)" in readme.split("## Set-up")[0]  # at the top
    gif = root / "outputs" / "examples" / "demo.gif"
    assert gif.stat().st_size < 300_000
    frames = iio.imread(gif, index=None)
    assert frames.shape[0] > 11 and frames.shape[1:3] == (480, 640)


def test_summary_notes_a_collapsed_component_and_says_1_epoch(tmp_path):
    (tmp_path / "col.csv").write_text("x\n1\n2\n3\n50\n")
    proc = run(tmp_path, "fit", "col.csv", "-k", "2", "--init", "kmeans++", "--no-gif", "--no-mp4", "--no-html")
    # the lone point at 50 takes a component of its own, whose σ falls to the floor in the first epoch
    assert ": 1 epoch, converged." in proc.stdout
    assert "  note: component 2 collapsed onto a single value" in proc.stdout  # numbered left to right

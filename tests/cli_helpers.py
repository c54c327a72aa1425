"""Running the `vizgmm` command in a subprocess, as a user runs it (shared by the CLI tests)."""

import os
import subprocess
import sys


def run(cwd, *args, stdin=None, check=True, timeout=300):
    """Run `python -m vizgmm ARGS` in ``cwd``; returns the CompletedProcess (text)."""
    proc = subprocess.run(
        [sys.executable, "-m", "vizgmm", *map(str, args)],
        cwd=cwd, input=stdin, capture_output=True, text=True, timeout=timeout,
        env={**os.environ, "PYTHONIOENCODING": "utf-8"},
    )
    if check and proc.returncode != 0:
        raise AssertionError(f"exit {proc.returncode}\nstdout:\n{proc.stdout}\nstderr:\n{proc.stderr}")
    return proc


def assert_one_line_error(proc, *words):
    """Exit status 2, exactly one line on standard error, no traceback, and each word in it."""
    assert proc.returncode == 2, (proc.returncode, proc.stderr)
    lines = proc.stderr.splitlines()
    assert len(lines) == 1, proc.stderr
    assert "Traceback" not in proc.stderr
    for word in words:
        assert word in lines[0], lines[0]
    return lines[0]

"""Refusing an output that would overwrite one of the command's own inputs.

``vizgmm player d/history.json -o d/history.json`` replaced the history with
HTML, and ``report ... -o d/history.npz`` destroyed its arrays. Paths are
compared resolved (``..``, symlinks) and by inode (a hard link is the same file).
"""

import os
from pathlib import Path

from vizgmm.errors import OptionError


def history_inputs(history_path):
    """The files a saved history is read from: the JSON and its ``.npz`` side file."""
    path = Path(history_path)
    return [path, path.with_suffix(".npz")]


def same_file(a, b):
    """Whether paths ``a`` and ``b`` name one file: equal when resolved, or the same inode."""
    a, b = Path(a), Path(b)
    try:
        if a.resolve() == b.resolve():
            return True
    except (OSError, RuntimeError):
        pass
    try:
        sa, sb = os.stat(a), os.stat(b)
    except OSError:
        return False
    return (sa.st_dev, sa.st_ino) == (sb.st_dev, sb.st_ino)


def refuse_overwriting_inputs(targets, inputs, flag="-o"):
    """OptionError if any of ``targets`` is one of ``inputs``; call before any work."""
    for target in targets:
        for source in inputs:
            if same_file(target, source):
                raise OptionError(
                    f"{flag} {target} is the input {source}; writing it would destroy it: choose another file name"
                )

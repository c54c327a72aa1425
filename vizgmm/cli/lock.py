"""One run at a time in an output folder, and a run's files published together.

A run that takes the lock also sweeps what killed runs left (SIGKILL skips
every clean-up): stage folders, vizgmm's ``.*.PID.*.part.*`` temporary files
and ``vizgmm-report-PID-*`` scratch folders of processes that are gone.

Two runs writing into the same ``--out`` mixed their files (a k = 3 report
embedding the k = 2 run's GIF), and a run that failed half-way left a mixed
set. So a run first takes the folder's lock — which also proves the folder
writable before any fitting — then writes everything into a hidden staging
folder inside it, and moves the files into place only when all are written:
the animations and report first, the history last, so a history is never
newer than the files made from it.
"""

import contextlib
import errno
import os
import shutil
import stat
import tempfile
import time
from pathlib import Path

from vizgmm import files
from vizgmm.errors import OutputError
from vizgmm.files import ensure_folder, staging_folder, sweep_leftovers

LOCK_NAME = ".vizgmm.lock"
STAGE_PREFIX = ".vizgmm-stage-"


@contextlib.contextmanager
def out_lock(folder, flag="--out", file=None):
    """Hold ``folder``'s run lock (creating the folder); OutputError naming the other run if it is taken.

    The lock is an ``flock`` on ``folder/.vizgmm.lock``, which the kernel
    releases however the run ends (SIGKILL included); the file holds the
    holder's pid so that the refusal can name it. ``file`` names the one
    file a run writes there (``report -o /tmp/r.html``): then it locks
    ``.r.html.vizgmm.lock`` and sweeps only that file's leftovers, not the
    folder's: ``/tmp`` is everyone's, not a vizgmm output folder.
    """
    import fcntl

    created = not Path(folder).exists()
    folder = ensure_folder(folder)
    path = folder / (LOCK_NAME if file is None else f".{file}{LOCK_NAME}")
    while True:
        fd = _open_lock(path, folder, flag)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError as exc:
            os.close(fd)
            if exc.errno not in (errno.EWOULDBLOCK, errno.EAGAIN, errno.EACCES):
                raise OutputError(f"cannot lock {folder}: {exc.strerror}; choose another {flag} folder") from None
            raise OutputError(
                f"another vizgmm run ({_holder(path)}) is writing into {folder}; "
                f"wait for it to finish or choose another {flag} folder"
            ) from None
        # The holder before us may have removed the file between our open and our lock:
        # then we hold a lock on a file nobody else sees, so try again on the new one.
        if _same_file(fd, path):
            break
        os.close(fd)
    try:
        os.ftruncate(fd, 0)
        os.write(fd, f"{os.getpid()}\n".encode())
        sweep(folder, file)
        yield folder
    finally:
        with contextlib.suppress(OSError):
            if _same_file(fd, path):  # never unlink a name that now points elsewhere
                os.unlink(path)
        os.close(fd)
        if created:
            with contextlib.suppress(OSError):
                folder.rmdir()  # only if the run wrote nothing (bad data): leave no empty folder behind


def _open_lock(path, folder, flag):
    """Open (or create) the lock file itself, never through a link: a planted symlink or odd file is refused.

    ``O_NOFOLLOW`` makes a symlink at the name fail (a dangling one included, so
    nothing is created where it points); ``O_NONBLOCK`` keeps a planted FIFO from
    hanging the open; the ``fstat`` then refuses anything but a regular file with
    one name, so a hard link to someone's file is not written either.
    """
    flags = os.O_RDWR | os.O_CREAT | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0) | getattr(os, "O_NOFOLLOW", 0)
    try:
        fd = os.open(path, flags, 0o644)
    except OSError as exc:
        if exc.errno == errno.ELOOP or os.path.islink(path):
            raise OutputError(
                f"{path} is a symbolic link, not vizgmm's lock; remove it or choose another {flag} folder"
            ) from None
        raise OutputError(f"cannot write in {folder}: {exc.strerror}; choose another {flag} folder") from None
    info = os.fstat(fd)
    if not stat.S_ISREG(info.st_mode) or info.st_nlink != 1:
        os.close(fd)
        raise OutputError(
            f"{path} is not a plain file vizgmm made (a folder, device, pipe or hard link); "
            f"remove it or choose another {flag} folder"
        )
    os.set_blocking(fd, True)
    return fd


def _same_file(fd, path):
    """Whether ``path`` (not followed) is still the file open as ``fd``."""
    try:
        here, there = os.fstat(fd), os.lstat(path)
    except FileNotFoundError:
        return False
    return (here.st_dev, here.st_ino) == (there.st_dev, there.st_ino)


def sweep(folder, file=None):
    """Remove what killed runs left here: stage folders (only a lock holder makes them), temp files, scratch folders.

    With ``file``, only that file's temporary copies (and vizgmm's scratch folders in the temp directory).
    """
    started = time.time()
    if file is not None:
        sweep_leftovers(folder, started, temp_dir=tempfile.gettempdir(), stem=Path(file).stem)
        return
    for entry in folder.glob(STAGE_PREFIX + "*"):
        if entry.is_dir() and not entry.is_symlink():
            shutil.rmtree(entry, ignore_errors=True)
    sweep_leftovers(folder, started, temp_dir=tempfile.gettempdir())
    sweep_leftovers(folder / "frames", started)


def _holder(path):
    try:
        text = Path(path).read_text(encoding="ascii", errors="replace").strip()
    except OSError:
        text = ""
    return f"pid {text}" if text.isdigit() else "its pid unknown"


def staging(out):
    """A hidden folder inside ``out`` to write a run's files into; removed on error (and after publishing)."""
    return staging_folder(out, STAGE_PREFIX, "choose another output folder")


def publish(stage, out):
    """Move every file and folder of ``stage`` into ``out``, histories last; returns a function mapping staged paths to published ones."""
    files.publish(stage, out, order=_publish_order)

    def published(item):
        if isinstance(item, tuple):
            return (published(item[0]), *item[1:])
        path = Path(item)
        try:
            return Path(out) / path.relative_to(stage)
        except ValueError:
            return path

    return published


def _publish_order(entry):
    """Animations, frames and reports first; then folders holding a history; the history itself last, JSON after its arrays."""
    holds_history = entry.is_dir() and (entry / "history.json").exists()
    return (entry.name.startswith("history.") or holds_history, entry.name.endswith(".json"), entry.name)

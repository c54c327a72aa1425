"""The one way vizgmm writes a file: to a temporary name beside it, then rename.

A reader never sees a half-written file at the target path, and an earlier
good file stays in place until the new one is complete — also when the write
is interrupted by an error, Ctrl-C or SIGTERM (which the CLI turns into an
exception so that this clean-up runs).
"""

import contextlib
import os
import re
import shutil
import stat
import tempfile
from pathlib import Path

from vizgmm.errors import OutputError

#: The signals (Ctrl-C, SIGTERM) the command line has received, first first. Its handlers
#: raise an exception as well; this record is what lets a write refuse to finish when a
#: library caught that exception and carried on.
SIGNALS_RECEIVED: list = []


def check_not_stopped():
    """Raise KeyboardInterrupt if the run has been told to stop: nothing is replaced after Ctrl-C."""
    if SIGNALS_RECEIVED:
        raise KeyboardInterrupt


@contextlib.contextmanager
def atomic_path(path, suffix=None):
    """Yield a temporary path in the target's folder; rename it to ``path`` on success.

    ``suffix`` (default: the target's own) lets writers that pick a format by
    extension (imageio, ffmpeg) see the right one.
    """
    path = Path(path)
    folder = path.parent if str(path.parent) else Path(".")
    ensure_folder(folder)
    suffix = path.suffix if suffix is None else suffix
    try:
        # The pid in the name lets a later run sweep the file if this process is killed.
        fd, tmp = tempfile.mkstemp(prefix=f".{path.stem}.{os.getpid()}.", suffix=".part" + suffix, dir=folder)
    except OSError as exc:
        raise OutputError(f"cannot write in {folder}: {exc.strerror}; choose another output folder") from None
    os.close(fd)
    tmp = Path(tmp)
    # mkstemp makes the file private (0600); give it the permissions a plain
    # open() would, so a web server or a colleague can read what we publish.
    os.chmod(tmp, 0o666 & ~_umask())
    try:
        yield tmp
        if path.is_dir():
            example = path / ("output" + (suffix or ".html"))
            raise OutputError(f"{path} is a folder; give the output a file name inside it, e.g. {example}")
        check_not_stopped()
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            tmp.unlink()
        raise


def _umask():
    mask = os.umask(0)
    os.umask(mask)
    return mask


def write_bytes(path, data):
    """Write ``data`` to ``path`` atomically."""
    with atomic_path(path) as tmp:
        tmp.write_bytes(data)


def write_text(path, text):
    """Write UTF-8 ``text`` to ``path`` atomically."""
    write_bytes(path, text.encode("utf-8"))


def build_time():
    """The time a written file may state, as "YYYY-MM-DD HH:MM UTC".

    Honours ``SOURCE_DATE_EPOCH`` (the reproducible-builds convention), so the
    same command with the same value writes the same bytes at any minute.
    """
    from datetime import datetime, timezone

    value = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    if value.isdigit():
        moment = datetime.fromtimestamp(int(value), timezone.utc)
    else:
        moment = datetime.now(timezone.utc)
    return moment.strftime("%Y-%m-%d %H:%M UTC")


@contextlib.contextmanager
def staging_folder(folder, prefix, advice):
    """A new hidden folder inside ``folder`` to write a set of files into, removed however the block ends.

    The files are moved out of it (published) inside the block; ``advice`` ends the one-line
    error when the folder cannot be created (e.g. "choose another output folder").
    """
    try:
        stage = Path(tempfile.mkdtemp(prefix=prefix, dir=folder))
    except OSError as exc:
        raise OutputError(f"cannot write in {folder}: {exc.strerror}; {advice}") from None
    try:
        yield stage
    finally:
        shutil.rmtree(stage, ignore_errors=True)


def publish(stage, folder, order=None, advice="choose another output folder"):
    """Move every file and folder of ``stage`` into ``folder``: folders replace the old one whole.

    Every destination is checked before the first move, so a refusal (a
    symbolic link, a file where a folder goes, a FIFO) leaves the earlier set
    whole. Entries move in the order of ``order`` (a sort key on the staged
    path; default by name), which puts last the file that says the set is
    complete (the history, the deck's ``index.html``): it appears only once
    everything it points to has. ``advice`` ends each error line.
    """
    stage, folder = Path(stage), Path(folder)
    entries = sorted(stage.iterdir(), key=order or (lambda entry: entry.name))
    check_not_stopped()
    for entry in entries:
        check_destination(folder / entry.name, entry.is_dir(), advice)
    for entry in entries:
        target = folder / entry.name
        if entry.is_dir() and target.is_dir() and not target.is_symlink():
            old = stage / f".old-{entry.name}"
            os.replace(target, old)
            os.replace(entry, target)
            shutil.rmtree(old, ignore_errors=True)
        else:
            os.replace(entry, target)


def check_destination(target, folder, advice):
    """OutputError naming ``target`` (the user's path) unless a new folder (``folder`` True) or file can replace it.

    A symlink at any name vizgmm writes is refused like one at the lock (whoever
    planted it chose where it points); a file cannot replace a folder, nor a folder
    a file, FIFO or device. ``advice`` ends the error line.
    """
    try:
        info = os.lstat(target)
    except FileNotFoundError:
        return
    except OSError as exc:
        raise OutputError(f"cannot check {target}: {exc.strerror}; {advice}") from None
    if stat.S_ISLNK(info.st_mode):
        raise OutputError(f"{target} is a symbolic link; remove it or {advice}")
    if folder and not stat.S_ISDIR(info.st_mode):
        raise OutputError(f"{target} is in the way of the {Path(target).name}/ folder; remove it or {advice}")
    if not folder and stat.S_ISDIR(info.st_mode):
        raise OutputError(f"{target} is a folder; remove it or {advice}")
    if not folder and not stat.S_ISREG(info.st_mode):
        raise OutputError(f"{target} is not a plain file; remove it or {advice}")


def ensure_folder(folder: str | os.PathLike) -> Path:
    """Create ``folder`` (and parents) or raise an OutputError that says why not."""
    folder = Path(folder)
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except FileExistsError:
        raise OutputError(f"{folder} exists and is not a folder; choose another output folder") from None
    except OSError as exc:
        raise OutputError(f"cannot create folder {folder}: {exc.strerror}; choose another output folder") from None
    if not os.access(folder, os.W_OK):
        raise OutputError(f"cannot write in {folder}: permission denied; choose another output folder")
    return folder


# -- leftovers of killed runs ---------------------------------------------------------
#: Names vizgmm gives its temporary files and folders, with the pid of the process that made them.
PART_FILE = re.compile(r"^\..*\.(?P<pid>\d+)\.[A-Za-z0-9_]{8}\.part(\.[A-Za-z0-9]+)?$")
OLD_PART_FILE = re.compile(r"^\..+\.[A-Za-z0-9_]{8}\.part(\.[A-Za-z0-9]+)?$")
SCRATCH_FOLDER = re.compile(r"^vizgmm-(report|compare|notebook)-(?P<pid>\d+)-[A-Za-z0-9_]{8}$")


def scratch_prefix(kind="report"):
    """Prefix of a page's scratch folder in the temp directory: a later run can tell whose it is."""
    return f"vizgmm-{kind}-{os.getpid()}-"


def sweep_leftovers(folder, started, temp_dir=None, stem=None):
    """Remove vizgmm's own temporary files that a killed run left; returns the paths removed.

    In ``folder``: ``.NAME.PID.XXXXXXXX.part.EXT`` files whose process is
    gone (names without a pid, from older versions, when older than
    ``started``, a POSIX time). In ``temp_dir``: ``vizgmm-report-PID-*`` (and compare, notebook)
    scratch folders whose process is gone. Nothing else is touched, and a
    file of a process still running is kept. With ``stem``, only the
    temporary files of ``STEM.*`` (what atomic_path names ``.STEM.PID.…``).
    """
    removed = []
    for entry in _entries(folder):
        if stem is not None and not entry.name.startswith(f".{stem}."):
            continue
        match = PART_FILE.match(entry.name)
        stale = process_gone(int(match["pid"])) if match else (
            OLD_PART_FILE.match(entry.name) is not None and _older(entry, started)
        )
        if stale and entry.is_file() and not entry.is_symlink():
            with contextlib.suppress(OSError):
                entry.unlink()
                removed.append(entry)
    if temp_dir is not None:
        for entry in _entries(temp_dir):
            match = SCRATCH_FOLDER.match(entry.name)
            if match and process_gone(int(match["pid"])) and entry.is_dir() and not entry.is_symlink():
                shutil.rmtree(entry, ignore_errors=True)
                removed.append(entry)
    return removed


def _entries(folder):
    try:
        return list(Path(folder).iterdir())
    except OSError:
        return []


def process_gone(pid):
    if pid == os.getpid():
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return True
    except OSError:  # alive, someone else's
        return False
    return False


def _older(path, started):
    try:
        return path.stat().st_mtime < started
    except OSError:
        return False

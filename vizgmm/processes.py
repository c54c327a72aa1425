"""Helper processes that die with the process that started them.

vizgmm starts ffmpeg and gifsicle, and forks a second render process for
GIFs. If vizgmm itself is killed (SIGKILL, the OOM killer, a closed
terminal) none of them may live on, holding memory and writing files. On
Linux the kernel does it for us: ``prctl(PR_SET_PDEATHSIG, SIGKILL)`` in the
child asks for SIGKILL when the parent dies. Elsewhere the helpers still
stop when their pipe from the parent closes.
"""

import ctypes
import ctypes.util
import os
import signal
import sys

_PR_SET_PDEATHSIG = 1
_libc = None


def _prctl():
    """libc's prctl, loaded in the parent (loading a library after a fork can deadlock); None off Linux."""
    global _libc
    if not sys.platform.startswith("linux"):
        return None
    if _libc is None:
        try:
            _libc = ctypes.CDLL("libc.so.6", use_errno=True)
        except OSError:
            _libc = ctypes.CDLL(ctypes.util.find_library("c"), use_errno=True)
    return _libc.prctl


def die_with_parent(parent_pid, prctl=None):
    """In a child process: ask the kernel to SIGKILL it when its parent dies (Linux; a no-op elsewhere).

    ``parent_pid``: the parent's pid as seen before the fork. If the parent
    died before the request took effect, the child exits now.

    The kernel tracks the thread that forked the child: start helpers from a
    thread that outlives them (vizgmm starts them from the main thread).
    """
    prctl = prctl or _prctl()
    if prctl is None:
        return
    prctl(_PR_SET_PDEATHSIG, int(signal.SIGKILL), 0, 0, 0)
    if os.getppid() != parent_pid:
        os._exit(1)


def helper_preexec():
    """A ``preexec_fn`` for Popen that ties the program's life to this process's (only a system call runs in the child)."""
    parent, prctl = os.getpid(), _prctl()
    if prctl is None:
        return None
    return lambda: die_with_parent(parent, prctl)

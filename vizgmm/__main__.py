"""``python -m vizgmm`` and the ``vizgmm`` console script: the command line, then the exit.

Nothing heavy is imported before Ctrl-C is handled: the command line's
modules take a few tenths of a second to load, and Ctrl-C then is one line
too, not a traceback.
"""

import signal
import sys

_INTERRUPTED_WHILE_LOADING: list = []


def run():
    """Run :func:`vizgmm.cli.main` and exit with its status; after Ctrl-C, die of SIGINT.

    A shell shows status 130 either way, but bash goes on with the next
    command of a loop or script when its child exits with 130 by itself, and
    stops only when the child died of the signal. (Python dies of SIGINT
    after an unhandled KeyboardInterrupt for the same reason.)
    """
    loading = signal.signal(signal.SIGINT, _interrupted_while_loading)
    try:
        from vizgmm.cli.main import interrupted_by_ctrl_c, main
    except BaseException:
        # An extension module being imported may turn the KeyboardInterrupt into ImportError.
        if not _INTERRUPTED_WHILE_LOADING:
            raise
        print("vizgmm: interrupted", file=sys.stderr, flush=True)
        _die_of_sigint()
    try:
        status = main()  # installs its own handlers, and puts back the one above when done
    finally:
        signal.signal(signal.SIGINT, loading)
    if interrupted_by_ctrl_c(status):
        _die_of_sigint()
    sys.exit(status)


def _interrupted_while_loading(signum, frame):
    _INTERRUPTED_WHILE_LOADING.append(signum)
    raise KeyboardInterrupt


def _die_of_sigint():
    # An unhandled KeyboardInterrupt makes Python finish cleaning up (atexit,
    # buffers) and then kill itself with SIGINT. "vizgmm: interrupted" has been
    # said, so no traceback.
    sys.excepthook = _quiet
    raise KeyboardInterrupt


def _quiet(kind, value, tb):
    if not issubclass(kind, KeyboardInterrupt):
        sys.__excepthook__(kind, value, tb)


if __name__ == "__main__":
    run()

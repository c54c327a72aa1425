"""The ``vizgmm`` entry point: parse, dispatch, and turn every failure into one line and an exit status."""

import contextlib
import os
import signal
import sys
import traceback
import warnings

from vizgmm.cli.arguments import check_arguments
from vizgmm.cli.console import (
    EXIT_BROKEN_PIPE,
    EXIT_INTERNAL,
    EXIT_INTERRUPTED,
    EXIT_TERMINATED,
    EXIT_USAGE,
    say,
    tolerant_streams,
)
from vizgmm.cli.outputs import check_out_folder
from vizgmm.cli.parser import SUBPARSERS, build_parser
from vizgmm.errors import OptionError, VizgmmError
from vizgmm.files import SIGNALS_RECEIVED
from vizgmm.params import ParameterError


class Terminated(BaseException):
    """SIGTERM, raised as an exception so that every atomic write removes its temporary file.

    A BaseException (like KeyboardInterrupt) so that no ``except Exception``
    in a library swallows it.
    """


def main(argv=None):
    """Run the command line; returns the exit status (0 ok, 1 bug, 2 usage or data error, 130 Ctrl-C)."""
    argv = sys.argv[1:] if argv is None else [str(a) for a in argv]
    debug = "--debug" in argv
    tolerant_streams()
    restore = _install_signal_handlers()
    show_warning = warnings.showwarning
    warnings.showwarning = _show_warning
    try:
        parser = build_parser()
        args, extras = parser.parse_known_args(argv)
        command = getattr(args, "command", None)
        if extras:
            (command and SUBPARSERS[command] or parser).error(f"unrecognized arguments: {' '.join(extras)}")
        if command is None:
            parser.print_help(sys.stderr)
            return EXIT_USAGE
        debug = args.debug
        args.argv = argv
        check_arguments(args, SUBPARSERS[command])
        check_out_folder(args)
        return args.func(args) or 0
    except SystemExit as exc:  # argparse: --help, --version, usage errors
        return exc.code if isinstance(exc.code, int) else (0 if exc.code is None else EXIT_USAGE)
    except (KeyboardInterrupt, Terminated):
        return _stopped()
    except Exception as exc:
        # A library may turn the KeyboardInterrupt raised inside it into an error of
        # its own (an extension module being imported fails with ImportError, a
        # writer's pipe breaks): after Ctrl-C or SIGTERM any failure is the signal's.
        return _stopped() if _RECEIVED else _failed(exc, debug)
    finally:
        warnings.showwarning = show_warning
        restore()


def interrupted_by_ctrl_c(status):
    """Whether :func:`main` returned ``status`` because Ctrl-C stopped it (the program then dies of SIGINT)."""
    return status == EXIT_INTERRUPTED and _RECEIVED[:1] == [signal.SIGINT]


def _stopped():
    """Say which signal stopped the run; its exit status (130 Ctrl-C, 143 SIGTERM, 129 SIGHUP)."""
    signum = _RECEIVED[0] if _RECEIVED else signal.SIGINT
    say({signal.SIGINT: "vizgmm: interrupted", signal.SIGHUP: "vizgmm: hung up"}.get(signum, "vizgmm: terminated"))
    return {signal.SIGINT: EXIT_INTERRUPTED, signal.SIGTERM: EXIT_TERMINATED}.get(signum, 128 + signum)


def _failed(exc, debug):
    """One line for ``exc`` and the exit status: 2 for the user's input or files, 1 for a bug."""
    if isinstance(exc, ParameterError):
        # The library names the keyword (duration_ms=500); the user typed a flag (--duration-ms 500).
        flag = flag_for(exc.parameter)
        return _fail(OptionError(exc.message(flag, flag + " ")), EXIT_USAGE, debug)
    if isinstance(exc, VizgmmError):
        return _fail(exc, EXIT_USAGE, debug)
    if isinstance(exc, BrokenPipeError):
        # The reader of our standard output went away (e.g. `| head`): stop quietly.
        with contextlib.suppress(OSError):
            os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return EXIT_BROKEN_PIPE
    if isinstance(exc, OSError):
        where = f" ({exc.filename})" if exc.filename else ""
        return _fail(
            OSError(f"{exc.strerror or exc}{where}; check the path, free space and permissions"), EXIT_USAGE, debug
        )
    # A bug: say so in one line, traceback on request.
    if debug:
        traceback.print_exc()
    message = " ".join(f"{type(exc).__name__}: {exc}".split())
    say(f"vizgmm: internal error: {message} (run again with --debug for the traceback, and report it)")
    return EXIT_INTERNAL


#: Parameters whose flag is not "--" + the name with dashes.
FLAGS = {"k": "-k", "anneal_steps": "--steps"}


def flag_for(parameter):
    """The command-line flag of a library parameter: ``duration_ms`` -> ``--duration-ms``."""
    return FLAGS.get(parameter, "--" + parameter.replace("_", "-"))


def _show_warning(message, category, filename, lineno, file=None, line=None):
    # A warning (e.g. no font for some label characters) is one line too, without source lines.
    say("vizgmm: warning: " + " ".join(str(message).split()))


def _fail(exc, status, debug):
    if debug:
        traceback.print_exc()
    say("vizgmm: error: " + " ".join(str(exc).split()))
    return status


def _install_signal_handlers():
    """SIGTERM raises Terminated and SIGINT raises KeyboardInterrupt (even if the shell ignored it).

    Both unwind through vizgmm.files.atomic_path, which deletes its temporary
    file, so an interrupted run leaves no half-written file behind.
    """
    global _MAIN_PID
    _MAIN_PID = os.getpid()
    _RECEIVED.clear()
    SIGNALS_RECEIVED.clear()
    try:
        previous = {
            signal.SIGTERM: signal.signal(signal.SIGTERM, _on_sigterm),
            # A closed terminal or ssh session: stop as cleanly as on SIGTERM.
            signal.SIGHUP: signal.signal(signal.SIGHUP, _on_sigterm),
            signal.SIGINT: signal.signal(signal.SIGINT, _on_sigint),
            signal.SIGALRM: signal.signal(signal.SIGALRM, _on_alarm),
        }
    except ValueError:  # not the main thread: leave signals alone
        return lambda: None
    unraisable_hook = sys.unraisablehook
    alarm = []

    def raise_again(unraisable):
        # Where Python cannot propagate an exception (the at-fork hooks run around
        # starting ffmpeg, a __del__) it prints and drops it: the signal would be lost
        # and the run go on. A millisecond later, SIGALRM raises it again, outside
        # this hook (sending the signal itself would run its handler here and now).
        ours = unraisable.exc_type is not None and issubclass(unraisable.exc_type, (KeyboardInterrupt, Terminated))
        if ours and _RECEIVED and os.getpid() == _MAIN_PID:
            alarm.append(signal.setitimer(signal.ITIMER_REAL, 0.001))
        else:
            unraisable_hook(unraisable)

    sys.unraisablehook = raise_again

    def restore():
        SIGNALS_RECEIVED.clear()  # a library call after main() in the same process is not stopped
        sys.unraisablehook = unraisable_hook
        if alarm:
            signal.setitimer(signal.ITIMER_REAL, 0)
        for number, handler in previous.items():
            signal.signal(number, handler)

    return restore


# A process forked from this one (the renderer's second GIF process) inherits
# these handlers; there an exception could be caught and leave it blocked on a
# full pipe, so a forked helper ignores Ctrl-C (its parent stops it) and dies
# on SIGTERM as if no handler were installed.
_MAIN_PID = None

#: The signals this run received, first first.
_RECEIVED: list = []


def _received(signum):
    if signum not in _RECEIVED:
        _RECEIVED.append(signum)
    # Every write checks this before it replaces a file, in case a library swallows the exception.
    SIGNALS_RECEIVED.append(signum)


def _on_sigint(signum, frame):
    if os.getpid() == _MAIN_PID:
        _received(signum)
        raise KeyboardInterrupt


def _on_alarm(signum, frame):
    # Only armed by the unraisable hook, to raise a dropped signal's exception again.
    if os.getpid() == _MAIN_PID and _RECEIVED:
        raise KeyboardInterrupt if _RECEIVED[0] == signal.SIGINT else Terminated(_RECEIVED[0])


def _on_sigterm(signum, frame):
    if os.getpid() == _MAIN_PID:
        _received(signum)
        raise Terminated(signum)
    signal.signal(signum, signal.SIG_DFL)
    os.kill(os.getpid(), signum)


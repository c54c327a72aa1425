"""What every command shares to speak to the user: exit statuses and one-line messages on standard error."""

import contextlib
import sys

EXIT_USAGE = 2


EXIT_INTERNAL = 1


EXIT_INTERRUPTED = 130


EXIT_TERMINATED = 143


EXIT_BROKEN_PIPE = 141  # as a shell reports a process killed by SIGPIPE


def say(line):
    """One line on standard error, with anything that could drive the terminal spelled out (``\\x1b``)."""
    from vizgmm.text import shown

    with contextlib.suppress(OSError):
        print(shown(line), file=sys.stderr, flush=True)


def tolerant_streams():
    """Let standard output and error print any text: what the terminal's encoding lacks as \\u03bc escapes.

    With ``PYTHONIOENCODING=ascii`` (or a C locale) the summary's "μ" raised
    UnicodeEncodeError after every file was written, and the run exited 1.
    """
    for stream in (sys.stdout, sys.stderr):
        with contextlib.suppress(AttributeError, ValueError, OSError):
            stream.reconfigure(errors="backslashreplace")

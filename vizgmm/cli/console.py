"""What every command shares to speak to the user: exit statuses and one-line messages on standard error."""

import contextlib
import sys

EXIT_USAGE = 2


EXIT_INTERNAL = 1


EXIT_INTERRUPTED = 130


EXIT_TERMINATED = 143


EXIT_BROKEN_PIPE = 141  # as a shell reports a process killed by SIGPIPE


def say(line):
    with contextlib.suppress(OSError):
        print(line, file=sys.stderr, flush=True)

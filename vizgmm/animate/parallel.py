"""A second process that draws every other snapshot's frames while this one encodes (the GIF's serial LZW).

Work is split by snapshot, not by frame; the child maps its frames to the
writer's shared palette and passes palette indices through a ring of
shared-memory slots. It dies with this process and stops with Ctrl-C.
"""

import mmap
import multiprocessing
import os
import threading

import numpy as np

from vizgmm.animate.frames import timing as frames
from vizgmm.errors import OptionError, OutputError
from vizgmm.processes import helper_preexec

# Below this many frames a second process costs more to start than it saves.
PARALLEL_MIN_FRAMES = 24
# Frames the second render process may be ahead (shared-memory slots of one byte per pixel).
RING_SLOTS = 16


def use_second_process(workers, count):
    if workers not in ("auto", 1, 2):
        raise OptionError(f"workers must be 'auto', 1 or 2, got {workers!r}")
    if workers == 1 or "fork" not in multiprocessing.get_all_start_methods():
        return False
    if workers == 2:
        return True
    # A second process pays only when a core is idle (the 1-minute load counts
    # this process too); on a busy machine two processes just take turns and
    # the fork is overhead.
    # Forking a process that runs other threads (a Jupyter kernel, a progress
    # bar's monitor) can copy a lock some thread holds and hang the child, so
    # "auto" forks only a single-threaded process.
    cores = _cpu_count()
    return (
        cores >= 2
        and count >= PARALLEL_MIN_FRAMES
        and threading.active_count() == 1
        and _load_average() <= cores - 0.75
    )


def _load_average():
    try:
        return os.getloadavg()[0]
    except (AttributeError, OSError):
        return float("inf")


def render_in_two_processes(history, scene, writer, durations, tween, bar):
    """Render every other snapshot's frames in a forked copy of this process; write all here in order.

    Work is split by snapshot, not by frame, so each process draws a
    snapshot's title, legend and points once and only moves the curves for
    its in-betweens. The GIF writer's LZW encoding is the serial part, so
    this process keeps it; the child renders and maps its frames to the
    shared palette (built before the fork, so both use the same one).

    The child puts each frame's palette indices (one byte per pixel) into a
    ring of slots in shared memory and sends only the slot number: passing
    megabytes through a pipe would make this process stop for the GIL on
    every chunk. A semaphore keeps the child at most a ring ahead, so memory
    stays flat however long the animation.
    """
    factors = [frames.covariance_factor(s.covariances) for s in history.snapshots]
    count = len(durations)
    per_snapshot = tween + 1
    w, h = scene.size
    slots = max(2, min(2 * per_snapshot, RING_SLOTS))
    ring = mmap.mmap(-1, slots * w * h)
    context = multiprocessing.get_context("fork")
    free = context.Semaphore(slots)
    receive, send = context.Pipe(duplex=False)
    child = context.Process(
        target=_gif_child, args=(send, ring, free, slots, history, scene, writer, tween, factors, count, helper_preexec()),
        daemon=True,
    )
    child.start()
    send.close()
    try:
        for i in range(count):
            if (i // per_snapshot) % 2 == 0:
                state = frames.state_at(history, i, tween, factors=factors)
                indices = writer.quantize(scene.render(state))
            else:
                try:
                    message = receive.recv()
                except (EOFError, OSError):
                    message = "it stopped"
                if not isinstance(message, int):
                    raise OutputError(f"the second render process failed ({message}); rerun with workers=1")
                start = message * w * h
                indices = np.frombuffer(ring, np.uint8, count=w * h, offset=start).reshape(h, w).copy()
                free.release()
            writer.grab_indices(indices, durations[i])
            if bar is not None:
                bar.update(1)
    finally:
        if child.is_alive():
            child.terminate()
        child.join()
        receive.close()
        ring.close()


def _gif_child(send, ring, free, slots, history, scene, writer, tween, factors, count, tie_to_parent):
    # SIGKILL of the parent left this process waiting on the semaphore forever, holding its memory.
    if tie_to_parent is not None:
        tie_to_parent()
    per_snapshot = tween + 1
    w, h = scene.size
    slot = 0
    try:
        for i in range(count):
            if (i // per_snapshot) % 2 == 1:
                state = frames.state_at(history, i, tween, factors=factors)
                indices = writer.quantize(scene.render(state))
                free.acquire()
                ring[slot * w * h:(slot + 1) * w * h] = indices.tobytes()
                send.send(slot)
                slot = (slot + 1) % slots
    except (BrokenPipeError, EOFError):
        pass  # the parent stopped reading: it has failed or been interrupted
    except BaseException as exc:  # reported to the parent, which raises it as one line
        try:
            send.send(f"{type(exc).__name__}: {exc}")
        except OSError:
            pass
    finally:
        send.close()


def _cpu_count():
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:
        return os.cpu_count() or 1

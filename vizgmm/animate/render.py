"""Animations of a fit: GIF, MP4 and PNG frames from a History, and single stills.

Every function takes the same options (a few are format-specific)::

    preset        "blog" (640×480, default), "slides" (1920×1080), "square" (1080×1080), or a dict
    size          (width, height) in pixels, overriding the preset's canvas
    theme         "light" (default), "dark", or a dict of colours (see vizgmm.presets)
    tween         in-between frames per epoch (0); means, covariances and weights glide
    duration_ms   how long one epoch is shown (500 ms), shared by its tween + 1 frames
    fps           or: frames per second (each frame 1000/fps ms); not with duration_ms
    hold_first_ms, hold_last_ms   extra time on the first and last frame (1000, 2000)
    title         a line above the plot (default: history.meta["title"])
    component_names  one name per component, e.g. ["여자", "남자"] (default: history.meta)
    panels        any of ("loglik", "params"): log-likelihood curve with a cursor, parameter table
    features      (i, j): plot these two features of d > 2 data instead of the first two principal components
    show_loglik   put the log-likelihood in the frame's title (True)
    progress      show a tqdm progress bar (False)
    workers       processes that render frames: "auto" (both cores when it pays), or 1 or 2

    GIF only:  loop=0 (forever; None plays once), gifsicle="auto" (run gifsicle -O3 when installed),
               colors=64 (palette size, 2-255: anti-aliased edges need few shades; 64 looked the same
               as 255 at 1:1 and made the walk-through's GIF 20 % smaller)
    MP4 only:  quality=7 (1–10, mapped to x264 CRF 38 − 2.6·quality) or crf (1–51)
    PNG only:  transparent=False (transparent figure background, RGBA files)

Frame counts (see :mod:`vizgmm.frames`): every output shows
``len(history) * (tween + 1)`` frame states; MP4 and PNG repeat the first
frame ``round(hold_first_ms / frame_ms)`` more times and the last
``round(hold_last_ms / frame_ms)`` more times, while a GIF lengthens their
delays instead (and stores identical consecutive frames once, with the sum
of their delays).

Memory and cores: frames stream into every writer, so memory does not grow
with the number of frames (the GIF writer keeps only the previous frame's
palette indices, one byte per pixel). MP4 encoding runs in ffmpeg's own
process alongside the drawing; PNG compression runs in a second thread;
GIF frames are drawn by two processes (every other snapshot in a forked
copy) when ``workers=2``, or with ``"auto"`` when a core is idle.
"""

import multiprocessing
import os
import threading
from pathlib import Path

import numpy as np

from vizgmm.animate import encoders, presets
from vizgmm.animate import timing as frames
from vizgmm.animate.scenes import make_scene
from vizgmm.errors import OptionError, OutputError
from vizgmm.model.history import History
from vizgmm.processes import helper_preexec

COMMON_OPTIONS = {
    "preset": "blog",
    "size": None,
    "theme": "light",
    "tween": 0,
    "duration_ms": None,
    "fps": None,
    "hold_first_ms": None,
    "hold_last_ms": None,
    "title": None,
    "component_names": None,
    "panels": (),
    "features": None,
    "show_loglik": True,
    "progress": False,
    "workers": "auto",
}
FORMAT_OPTIONS = {
    "gif": {"loop": 0, "gifsicle": "auto", "colors": encoders.DEFAULT_GIF_COLORS, "transparent": False},
    "mp4": {"quality": None, "crf": None, "transparent": False},
    "png": {"transparent": False},
    "still": {"transparent": False},
}
# Below this many frames a second process costs more to start than it saves.
PARALLEL_MIN_FRAMES = 24
PALETTE_SAMPLES = 3
# Frames the second render process may be ahead (shared-memory slots of one byte per pixel).
RING_SLOTS = 16


def render_gif(history, path, **opts):
    """Write an animated GIF of the fit; returns the path.

    One shared 256-colour palette (median cut over a few frames, no
    dithering), delays in 10 ms steps, loops forever unless ``loop=None``.
    """
    opts = _options(opts, "gif")
    if opts["transparent"]:
        raise OptionError("transparent backgrounds are for PNG frames (render_frames); GIF frames are opaque")
    writer = encoders.GifWriter(path, loop=opts["loop"], gifsicle=opts["gifsicle"], colors=opts["colors"])
    _render(_check_history(history), writer, opts, kind="gif")
    return Path(path)


def render_mp4(history, path, **opts):
    """Write an H.264 MP4 (yuv420p, +faststart) of the fit; returns the path.

    It plays in browsers, PowerPoint and QuickTime. Canvases whose sides are
    not multiples of 16 are padded with the background colour, never scaled.
    """
    opts = _options(opts, "mp4")
    if opts["transparent"]:
        raise OptionError("transparent backgrounds are for PNG frames (render_frames); H.264 MP4 has no alpha")
    writer = encoders.Mp4Writer(path, quality=opts["quality"], crf=opts["crf"])
    _render(_check_history(history), writer, opts, kind="mp4")
    return Path(path)


def render_frames(history, folder, **opts):
    """Write the animation as numbered PNG files in ``folder``; returns their paths in order."""
    opts = _options(opts, "png")
    writer = encoders.PngWriter(folder, transparent=opts["transparent"])
    _render(_check_history(history), writer, opts, kind="png")
    return list(writer.paths)


def render_still(history, snapshot=-1, **opts):
    """One epoch's frame as pixels: shape (h, w, 3) uint8, or (h, w, 4) with ``transparent=True``."""
    opts = _options(opts, "still")
    history = _check_history(history)
    try:
        index = range(len(history))[snapshot]
    except (IndexError, TypeError):
        raise OptionError(
            f"snapshot {snapshot!r} does not exist; the history has snapshots 0 to {len(history) - 1}"
        ) from None
    scene = _scene(history, opts)
    state = frames.state_at(history, index, tween=0)
    pixels = scene.render(state)
    out = np.array(pixels if opts["transparent"] else pixels[..., :3])
    scene.close()
    return out


# -- the pipeline -------------------------------------------------------------
def _render(history, writer, opts, kind):
    timing = frames.make_timing(opts["tween"], opts["fps"], opts["duration_ms"],
                                opts["hold_first_ms"], opts["hold_last_ms"])
    count = frames.frame_count(history, opts["tween"])
    durations = timing.durations(count)
    scene = _scene(history, opts)
    setup = {}
    if kind == "gif":
        picks = np.unique(np.linspace(0, count - 1, min(PALETTE_SAMPLES, count)).round().astype(int))
        setup["palette_frames"] = [
            np.array(scene.render(frames.state_at(history, i, opts["tween"]))[..., :3]) for i in picks
        ]
    elif kind == "mp4":
        setup["pad_color"] = tuple(int(round(255 * c)) for c in _rgb(scene.theme["background"]))
    bar = _progress(opts["progress"], count, kind)
    try:
        with writer.saving(scene.size, timing.frame_ms, **setup):
            if kind == "gif" and _use_second_process(opts["workers"], count):
                _render_gif_in_two_processes(history, scene, writer, durations, opts["tween"], bar)
            else:
                for state in frames.frame_states(history, opts["tween"]):
                    writer.grab_frame(scene.render(state), durations[state.index])
                    if bar is not None:
                        bar.update(1)
    finally:
        if bar is not None:
            bar.close()
        scene.close()


def _use_second_process(workers, count):
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


def _render_gif_in_two_processes(history, scene, writer, durations, tween, bar):
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
    import mmap

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


def _scene(history, opts):
    return make_scene(
        history,
        preset=presets.preset(opts["preset"], size=opts["size"]),
        theme=presets.theme(opts["theme"]),
        title=opts["title"],
        component_names=opts["component_names"],
        panels=opts["panels"],
        transparent=opts.get("transparent", False),
        show_loglik=opts["show_loglik"],
        features=opts["features"],
    )


def _options(given, kind):
    allowed = {**COMMON_OPTIONS, **FORMAT_OPTIONS[kind]}
    unknown = sorted(set(given) - set(allowed))
    if unknown:
        raise OptionError(
            f"unknown option {unknown[0]!r} for {kind} output; use any of: {', '.join(sorted(allowed))}"
        )
    return {**allowed, **given}


def _check_history(history):
    if not isinstance(history, History):
        raise OptionError(
            f"expected a vizgmm History (from vizgmm.fit or History.load), got {type(history).__name__}"
        )
    if len(history) == 0:
        raise OptionError("the history has no snapshots; fit the data first (vizgmm.fit)")
    return history


def _progress(enabled, total, kind):
    if not enabled:
        return None
    from tqdm.auto import tqdm

    return tqdm(total=total, desc=f"render {kind}", unit="frame", leave=False)


def _rgb(color):
    from matplotlib.colors import to_rgb

    return to_rgb(color)


def _cpu_count():
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:
        return os.cpu_count() or 1

"""Attack 1: a full disk during MP4 encoding must not replace a good animation.mp4 with a corrupt one.

A real 400 KB tmpfs (root only; CI runs as root) holds the demo's history and its good MP4,
and is filled until the slides-sized MP4 cannot fit.
"""

import shutil

import imageio_ffmpeg
from cli_helpers import assert_one_line_error, run
from conftest import fill


def test_full_disk_during_mp4_keeps_the_earlier_file(demo_run, tmpfs):
    for name in ("history.json", "history.npz", "animation.mp4"):
        shutil.copy(demo_run / name, tmpfs / name)
    before = (tmpfs / "animation.mp4").read_bytes()
    fill(tmpfs, leave_bytes=100_000)
    proc = run(tmpfs, "render", "history.json", "--no-gif", "--preset", "slides", check=False)
    line = assert_one_line_error(proc, "animation.mp4", "disk")
    assert len(line) < 300, line
    assert (tmpfs / "animation.mp4").read_bytes() == before
    # The file left in place still plays: ffmpeg counts its frames.
    assert imageio_ffmpeg.count_frames_and_secs(str(tmpfs / "animation.mp4"))[0] > 0
    leftovers = sorted(p.name for p in tmpfs.iterdir() if ".part" in p.name)
    assert leftovers == []

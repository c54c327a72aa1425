"""--max-size / max_bytes: files under the budget when settings must be lowered, a clean error when they cannot be."""

import pytest
from cli_helpers import assert_one_line_error, run

import vizgmm
from vizgmm.animate import api as render
from vizgmm.animate.options import RenderOptions
from vizgmm.animate.writers.budget import ladder, parse_size
from vizgmm.errors import OptionError


@pytest.fixture(scope="module")
def walk():
    x, _ = vizgmm.walkthrough_data(seed=0)
    return vizgmm.fit(x, 2, method="hard", init=vizgmm.WALKTHROUGH_INIT, tol=0, max_iter=10)


@pytest.mark.parametrize("text, expected", [("3MB", 3_000_000), ("500 kb", 500_000), ("1.5M", 1_500_000),
                                            ("2MiB", 2 * 1024 ** 2), (4096, 4096)])
def test_sizes_read_as_people_write_them(text, expected):
    assert parse_size(text) == expected


@pytest.mark.parametrize("bad", ["3XB", "-1MB", "0", "", True])
def test_bad_sizes_name_the_parameter(bad):
    with pytest.raises(OptionError, match="max_bytes"):
        parse_size(bad)


def test_the_lowering_order_is_colours_then_frame_rate_then_size():
    steps = [(setting, value) for setting, value, _ in ladder("gif", RenderOptions(colors=64, tween=4))]
    assert steps == [("colours", "32"), ("colours", "16"), ("in-between frames", "2"), ("in-between frames", "1"),
                     ("in-between frames", "0"), ("size", "480×360"), ("size", "320×240")]
    assert [s for s, _, _ in ladder("webm", RenderOptions(quality=None, tween=0))][:3] == ["quality"] * 3


@pytest.mark.parametrize("kind", ["gif", "webp", "webm"])
def test_a_budget_that_needs_lowering_is_met(walk, tmp_path, kind, capsys):
    write = getattr(render, f"render_{kind}")
    free = write(walk, tmp_path / f"free.{kind}", tween=2).stat().st_size
    budget = int(free * 0.8)
    path = write(walk, tmp_path / f"fit.{kind}", tween=2, max_bytes=budget)
    assert 0 < path.stat().st_size <= budget
    notes = capsys.readouterr().err
    assert f"fit.{kind} is" in notes and "over the" in notes and "→" in notes
    assert sorted(p.name for p in tmp_path.iterdir()) == [f"fit.{kind}", f"free.{kind}"]


def test_an_impossible_budget_writes_nothing_and_names_the_smallest_size(walk, tmp_path):
    target = tmp_path / "keep.gif"
    target.write_bytes(b"earlier")
    with pytest.raises(OptionError, match=r"max_bytes 1 kB cannot be met for keep.gif: the smallest reached was [\d.]+ kB"):
        render.render_gif(walk, target, max_bytes="1kB")
    assert target.read_bytes() == b"earlier"
    assert [p.name for p in tmp_path.iterdir()] == ["keep.gif"]


def test_cli_max_size_fits_or_fails_in_one_line(tmp_path):
    proc = run(tmp_path, "demo", "--out", "ok", "--formats", "gif,webm", "--tween", "1", "--max-size", "45KB",
               "--no-html")
    for name in ("animation.gif", "animation.webm"):
        assert (tmp_path / "ok" / name).stat().st_size <= 45_000
    assert "over the 45 kB budget" in proc.stderr
    proc = run(tmp_path, "demo", "--out", "no", "--formats", "gif", "--max-size", "2KB", check=False)
    line = assert_one_line_error(proc, "--max-size 2 kB cannot be met for animation.gif", "smallest reached was")
    assert "size 320×240" in line
    assert not list((tmp_path / "no").glob("animation*")) and not list((tmp_path / "no").glob(".*"))
    proc = run(tmp_path, "demo", "--out", "no", "--max-size", "2XB", check=False)
    assert_one_line_error(proc, "--max-size", "3MB")

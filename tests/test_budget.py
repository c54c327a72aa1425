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


def test_cli_compare_honours_max_size_as_a_single_render_does(tmp_path):
    # It used to be ignored: the side-by-side GIF came out at whatever size, and a budget nothing could meet passed.
    x, _ = vizgmm.walkthrough_data(seed=0)
    (tmp_path / "walk.csv").write_text("x\n" + "\n".join(f"{v:.6f}" for v in x) + "\n")
    common = ("compare", "walk.csv", "-k", "2", "--no-mp4", "--no-html", "--max-iter", "6", "--tween", "1")
    run(tmp_path, *common, "--out", "free", "-q")
    free = (tmp_path / "free" / "compare.gif").stat().st_size
    budget = int(free * 0.8)
    proc = run(tmp_path, *common, "--out", "capped", "--max-size", str(budget))
    assert 0 < (tmp_path / "capped" / "compare.gif").stat().st_size <= budget
    assert "compare.gif is" in proc.stderr and "budget" in proc.stderr and "→" in proc.stderr
    assert (tmp_path / "capped" / "soft" / "history.json").is_file()
    proc = run(tmp_path, *common, "--out", "none", "--max-size", "2KB", check=False)
    assert_one_line_error(proc, "--max-size 2 kB cannot be met for compare.gif", "smallest reached was")
    assert not (tmp_path / "none").exists() or not any((tmp_path / "none").rglob("*"))


def test_a_side_by_side_gif_keeps_to_max_bytes_and_an_mp4_refuses_it(tmp_path, capsys):
    x, _ = vizgmm.walkthrough_data(seed=0)
    comparison = vizgmm.compare(x, 2, ("hard", "soft"), seed=0, max_iter=6)
    free = vizgmm.render_comparison(comparison, tmp_path / "free.gif", tween=1).stat().st_size
    path = vizgmm.render_comparison(comparison, tmp_path / "fit.gif", tween=1, max_bytes=int(free * 0.8))
    assert 0 < path.stat().st_size <= free * 0.8
    assert "fit.gif is" in capsys.readouterr().err
    with pytest.raises(OptionError, match="max_bytes is a file size budget for GIF; MP4 has none"):
        vizgmm.render_comparison(comparison, tmp_path / "fit.mp4", max_bytes="1MB")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["fit.gif", "free.gif"]


def test_cli_restarts_keeps_the_race_and_the_grid_within_max_size(tmp_path):
    # Both used to ignore --max-size (only animation.gif kept to it).
    x, _ = vizgmm.walkthrough_data(seed=0)
    (tmp_path / "walk.csv").write_text("x\n" + "\n".join(f"{v:.6f}" for v in x) + "\n")
    common = ("restarts", "walk.csv", "-k", "2", "--n-init", "3", "--seed", "0", "--max-iter", "6", "--no-mp4",
              "--no-html")
    run(tmp_path, *common, "--out", "free", "-q")
    sizes = {name: (tmp_path / "free" / name).stat().st_size for name in ("race.gif", "restarts.gif")}
    budget = int(min(sizes.values()) * 0.9)
    proc = run(tmp_path, *common, "--out", "capped", "--max-size", str(budget))
    for name in ("animation.gif", "race.gif", "restarts.gif"):
        assert 0 < (tmp_path / "capped" / name).stat().st_size <= budget, name
    # The grid's notes give the panels' drawn size (restart panels are 3/4 of the 640×480 canvas).
    assert "restarts.gif is" in proc.stderr and "panel size 480×360 → 360×270" in proc.stderr

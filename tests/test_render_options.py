"""One options object (issue 21 #4): RenderOptions holds every option's default, resolved once; one frame loop."""

import argparse
import dataclasses
import inspect
import re
from pathlib import Path

import pytest

import vizgmm
from vizgmm.animate import options
from vizgmm.animate.frames import timing as frames
from vizgmm.animate.options import DEFAULTS, OPTIONS, RenderOptions, resolve
from vizgmm.animate.writers import budget, registry
from vizgmm.cli import option_groups
from vizgmm.errors import OptionError
from vizgmm.look import presets

ROOT = Path(__file__).resolve().parent.parent


def test_every_option_is_a_field_of_the_frozen_options_with_its_default():
    fields = {f.name: f.default for f in dataclasses.fields(RenderOptions) if f.init}
    assert fields == {o.name: o.default for o in OPTIONS}
    with pytest.raises(dataclasses.FrozenInstanceError):
        DEFAULTS.tween = 3  # type: ignore[misc]
    # help(vizgmm.render_gif) shows the same defaults, and documents each option.
    signature = inspect.signature(vizgmm.render_gif)
    for name in ("tween", "colors", "preset", "loop", "max_bytes"):
        assert signature.parameters[name].default == fields[name]
        assert f"    {name} : " in vizgmm.render_gif.__doc__
    assert "tween : int, default 0" in RenderOptions.__doc__


def test_resolve_looks_the_preset_and_theme_up_once_and_names_an_unknown_option():
    resolved = resolve({"preset": "slides", "theme": "dark", "size": (800, 600)}, "gif", ("colors",))
    assert resolved.canvas["size"] == (800, 600) and resolved.canvas["dpi"] == presets.preset("slides")["dpi"]
    assert resolved.colours == presets.theme("dark")
    # A lowered copy (the size budget's) looks its canvas up again.
    assert resolved.replace(size=None).canvas["size"] == (1920, 1080)
    with pytest.raises(OptionError, match="unknown option 'colors' for mp4 output"):
        resolve({"colors": 16}, "mp4", registry.get("mp4").options)
    with pytest.raises(OptionError, match="unknown preset"):
        resolve({"preset": "poster"}, "still")


def test_the_timing_carries_the_tween_count(walk):
    timing = frames.timing_of(resolve({"tween": 3}, "gif"))
    assert timing.tween == 3 and timing.frame_ms == options.EPOCH_MS / 4
    assert timing.count(walk) == len(walk) * 4 == frames.frame_count(walk, 3)
    assert frames.make_timing().hold_last_ms == options.HOLD_LAST_MS


def test_the_size_budget_starts_from_the_options_defaults():
    # colors=None and quality=None lower from the option defaults, named in options.py only.
    colours = [value for setting, value, _ in budget.ladder("gif", RenderOptions(colors=None)) if setting == "colours"]
    assert colours == [str(c) for c in budget.COLOR_STEPS if c < DEFAULTS.colors]
    qualities = [value for setting, value, _ in budget.ladder("webm", RenderOptions()) if setting == "quality"]
    assert qualities == [str(q) for q in budget.QUALITY_STEPS if q < options.QUALITY]


def test_cli_help_quotes_the_defaults_of_the_options(monkeypatch):
    # Change the defaults and the help follows: none is typed again in the CLI.
    monkeypatch.setattr(options, "DEFAULTS", RenderOptions(preset="square", theme="dark", tween=2, focus="bound",
                                                           aspect="equal", trails="full"))
    monkeypatch.setattr(options, "EPOCH_MS", 250)
    parser = argparse.ArgumentParser()
    option_groups.add_render_options(parser)
    text = " ".join(parser.format_help().split())
    assert "blog (640x480), slides (1920x1080) or square (1080x1080, default)" in text
    assert "light or dark (default)" in text
    assert "(default: 2)" in text and "one epoch every 0.25 s" in text
    assert "(why EM can only climb) (default); data: the data, with any --panels" in text
    assert "equal keeps one unit the same length on both, so ellipses show their true shape (default)" in text
    assert "full every step since the start (default); off none" in text


def test_every_movie_goes_through_the_one_frame_loop():
    # The single render, the grids and the race hand frames to a writer only in animate/stream.py
    # (the GIF's second process hands over palette indices, in animate/parallel.py).
    callers = sorted(
        str(path.relative_to(ROOT)) for path in (ROOT / "vizgmm").rglob("*.py")
        if "writers" not in path.parts and re.search(r"\.grab_frame\(", path.read_text(encoding="utf-8"))
    )
    assert callers == ["vizgmm/animate/stream.py"]

"""One declaration per parameter: the library names the keyword, the CLI the flag, from the same check."""

import pytest
from cli_helpers import assert_one_line_error, run

import vizgmm
from vizgmm.params import CONSTRAINTS, Choices, Flag, Numbers, OneOf, ParameterError, check


@pytest.mark.parametrize("name", sorted(CONSTRAINTS))
def test_every_declared_parameter_rejects_its_out_of_range_value_by_name(name):
    rule = CONSTRAINTS[name]
    if isinstance(rule, Flag):
        bad = "yes"  # a flag takes True or False only
    elif isinstance(rule, (Choices, OneOf)):
        bad = "no-such-name"
    elif isinstance(rule, Numbers):
        bad = "0,1"  # a number out of each one's range
    else:
        bad = (rule.low - 1) if rule.low is not None else (rule.high + 1)
    with pytest.raises(ParameterError) as info:
        check(name, bad)
    assert str(info.value).startswith(f"{name} must be")
    assert f"e.g. {name}=" in str(info.value)
    if not isinstance(rule, Flag):
        with pytest.raises(ParameterError):
            check(name, True)  # a bool is never a number here


def test_python_and_cli_word_the_same_check_for_their_reader(tmp_path, walkthrough_data):
    x, _ = walkthrough_data
    with pytest.raises(vizgmm.OptionError, match=r"^duration_ms must be more than 0, got -5; e\.g\. duration_ms=500"):
        history = vizgmm.fit(x, 2, max_iter=1)
        vizgmm.render_gif(history, tmp_path / "a.gif", duration_ms=-5.0)
    line = assert_one_line_error(run(tmp_path, "demo", "--duration-ms", "-5", "--out", "o", check=False))
    assert "--duration-ms must be more than 0, got -5; e.g. --duration-ms 500" in line
    assert not (tmp_path / "o").exists()

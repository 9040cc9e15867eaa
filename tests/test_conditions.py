"""The condition language: parsed, never evaluated as Python; errors point at the column."""
import pytest
from hypothesis import given, strategies as st

from simulator.scenario.conditions import ConditionError, evaluate, parse


@pytest.mark.parametrize("text,env,expected", [
    ("anger >= 80", dict(anger=80), True),
    ("anger >= 80", dict(anger=79), False),
    ("trust < 30 and not flag:gewaarschuwd", dict(trust=10), True),
    ("trust < 30 and not flag:gewaarschuwd", dict(trust=10, flags={"gewaarschuwd"}), False),
    ("anger >= 80 or flag:gescholden", dict(anger=0, flags={"gescholden"}), True),
    ("(anger > 50 or trust > 50) and turns == 3", dict(anger=60, turns=3), True),
    ("(anger > 50 or trust > 50) and turns == 3", dict(anger=60, turns=4), False),
    ("5 < turns", dict(turns=6), True),
    ("anger != 50", dict(anger=50), False),
    ("not not flag:a", dict(flags={"a"}), True),
    ("flag:a or flag:b and flag:c", dict(flags={"a"}), True),   # and binds tighter than or
])
def test_evaluate(text, env, expected):
    values = dict(anger=50, trust=50, turns=0, flags=set()) | env
    assert evaluate(parse(text), **values) is expected


@pytest.mark.parametrize("text,column,words", [
    ("anger >", 8, "whole number"),
    ("mood > 3", 1, "unknown variable"),
    ("anger > 3 and", 14, "ends too early"),
    ("(anger > 1", 11, "')'"),
    ("anger > 3 trust < 2", 11, "'and' or 'or'"),
    ("flag:", 1, "flag name"),
    ("", 1, "empty"),
    ("__import__('os')", 12, "unexpected character"),
    ("__import__ > 1", 1, "unknown variable"),
    ("anger = 3", 7, "unexpected character"),
])
def test_parse_errors_point_at_the_column(text, column, words):
    with pytest.raises(ConditionError) as err:
        parse(text)
    assert err.value.column == column
    assert words in err.value.message


@given(st.text(max_size=40))
def test_any_text_parses_or_gives_a_condition_error(text):
    try:
        parse(text)
    except ConditionError as exc:
        assert 1 <= exc.column <= len(text) + 1

"""Results read from files other machines wrote: anything odd is refused with a reason, never a crash later."""
from __future__ import annotations

import json

from hypothesis import given, settings
from hypothesis import strategies as st

from results_samples import bad_card, make_result
from simulator.results import export, xapi
from simulator.results.record import ConversationResult, RecordError
from simulator.results.report import render_html

json_values = st.recursive(
    st.none() | st.booleans() | st.integers(-5, 200) | st.floats(allow_nan=False) | st.text(max_size=8),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner, max_size=4),
    max_leaves=12)


def mutated(data: dict, draw_key: str, value) -> dict:
    copy = json.loads(json.dumps(data))
    if draw_key.startswith("path."):
        key = draw_key[5:]
        copy["path"][0][key] = value
    elif draw_key.startswith("scorecard."):
        copy["scorecard"][draw_key[10:]] = value
    else:
        copy[draw_key] = value
    return copy


KEYS = ["id", "player", "scenario", "title", "language", "scenario_version", "started_at", "finished_at", "status",
        "path", "scorecard", "votes", "path.node", "path.act", "path.choice", "path.text", "path.options",
        "path.feedback", "scorecard.score", "scorecard.steps", "scorecard.violations", "scorecard.customer",
        "scorecard.ending"]


@settings(max_examples=300, deadline=None)
@given(key=st.sampled_from(KEYS), value=json_values)
def test_a_damaged_field_is_refused_or_the_result_still_exports_and_reports(key, value):
    data = mutated(make_result(card=bad_card()).to_dict(), key, value)
    try:
        result = ConversationResult.from_dict(data)
    except RecordError as exc:
        assert str(exc)  # a reason for the user
        return
    export.csv_text([result])
    xapi.statements_for(result)
    render_html([result, make_result()])
    assert ConversationResult.from_dict(json.loads(json.dumps(result.to_dict()))) == result


def test_a_result_round_trips_through_its_json_form():
    result = make_result(votes=[[1, 2], [0, 3, 0]])
    assert ConversationResult.from_dict(json.loads(json.dumps(result.to_dict()))) == result


def test_every_result_gets_its_own_random_uuid_and_an_id_from_elsewhere_is_written_the_standard_way():
    import uuid

    ids = [make_result().id for _ in range(200)]
    assert len(set(ids)) == 200
    for result_id in ids:
        parsed = uuid.UUID(result_id)
        assert (parsed.version, parsed.variant, str(parsed)) == (4, uuid.RFC_4122, result_id)
    data = make_result().to_dict()
    written = "{" + ids[0].upper() + "}"   # another tool's way of writing the same UUID
    assert ConversationResult.from_dict({**data, "id": written}).id == ids[0]
    for bad in ("", "not-a-uuid", ids[0][:-1], 42):
        try:
            ConversationResult.from_dict({**data, "id": bad})
        except RecordError as exc:
            assert "is not a UUID" in str(exc)
        else:
            raise AssertionError(f"{bad!r} was taken as an id")

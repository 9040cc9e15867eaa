"""The hand-written constructors of the model's frozen values (simulator/frozen.py) make the same values as the
dataclass's own would."""
from __future__ import annotations

import dataclasses

import pytest

from simulator.diagnostics import SourcePos
from simulator.frozen import slot_setters
from simulator.scenario.conditions import Flag
from simulator.scenario.model import Choice, Condition, Node, Route

POS = SourcePos("a.yaml", 3, 7)
WHEN = Condition("vlag", Flag("vlag"), POS)
CASES = [
    (SourcePos, [("a.yaml",), ("a.yaml", 3), ("a.yaml", 3, 7)], {"path": "b.yaml", "column": 2}),
    (Condition, [("vlag", Flag("vlag"), POS)], {"source": "x", "expr": Flag("x"), "pos": POS}),
    (Route, [("n1", None, POS), ("n2", WHEN, POS)], {"goto": "n3", "when": None, "pos": POS}),
    (Choice, [("Hallo", "listen", (), POS), ("Hallo", "ask", (Route("n1", None, POS),), POS, -5, 10, ("vlag",),
                                                 WHEN, "Goed.")],
     {"text": "t", "act": "solve", "routes": (), "pos": POS, "feedback": "f", "trust": 3}),
    (Node, [("n1", POS), ("n1", POS, "Zeg", None, True, "satisfied")], {"id": "n2", "pos": POS, "abusive": True}),
]


def twin(cls):
    """The same class as dataclasses makes it, without the quick constructor."""
    params = cls.__dataclass_params__
    return dataclasses.make_dataclass(
        cls.__name__, [(f.name, f.type, dataclasses.field(default=f.default)) if f.default is not dataclasses.MISSING
                       else (f.name, f.type) for f in dataclasses.fields(cls)], frozen=True, order=params.order,
        slots=True)


@pytest.mark.parametrize("cls, positional, keywords", CASES, ids=[c[0].__name__ for c in CASES])
def test_quick_values_equal_the_dataclass_own(cls, positional, keywords):
    plain = twin(cls)
    for args in positional:
        quick, slow = cls(*args), plain(*args)
        assert dataclasses.astuple(quick) == dataclasses.astuple(slow)   # every field, defaults included
        assert quick == cls(*args) and hash(quick) == hash(cls(*args))
    assert dataclasses.astuple(cls(**keywords)) == dataclasses.astuple(plain(**keywords))
    with pytest.raises(TypeError):
        cls(*positional[0], *positional[0], *positional[0], *positional[0])   # too many, as before
    with pytest.raises(dataclasses.FrozenInstanceError):   # still frozen
        setattr(cls(*positional[0]), dataclasses.fields(cls)[0].name, "changed")
    assert not hasattr(cls(*positional[0]), "__dict__")   # the fields in slots: small and quick to read


def test_positions_keep_their_order():
    assert sorted([SourcePos("a", 2, 1), SourcePos("a", 1, 9), SourcePos("a", 1, 2)]) == [
        SourcePos("a", 1, 2), SourcePos("a", 1, 9), SourcePos("a", 2, 1)]


def test_a_constructor_that_does_not_take_the_fields_is_refused_when_the_class_is_made():
    @dataclasses.dataclass
    class Loose:
        x: int

    @dataclasses.dataclass(frozen=True, slots=True)
    class Generated:
        x: int

    @dataclasses.dataclass(frozen=True)
    class Roomy:
        x: int

        def __init__(self, x: int) -> None:
            object.__setattr__(self, "x", x)

    @dataclasses.dataclass(frozen=True, slots=True, init=False)
    class Forgotten:
        x: int

    @dataclasses.dataclass(frozen=True, slots=True, init=False)
    class Reordered:
        x: int
        y: int = 0

        def __init__(self, y: int = 0, x: int = 1) -> None:
            pass

    @dataclasses.dataclass(frozen=True, slots=True, init=False)
    class OtherDefault:
        x: int
        y: int = 0

        def __init__(self, x: int, y: int = 1) -> None:
            pass

    @dataclasses.dataclass(frozen=True, slots=True, init=False)
    class Missing:
        x: int
        y: int = 0

        def __init__(self, x: int) -> None:
            pass

    for cls in (Loose, Generated, Roomy, Forgotten, Reordered, OtherDefault, Missing):
        with pytest.raises(TypeError, match="slot_setters"):
            slot_setters(cls)

    @dataclasses.dataclass(frozen=True, slots=True, init=False)
    class Right:
        x: int
        y: int = 0

        def __init__(self, x: int, y: int = 0) -> None:
            set_x(self, x)
            set_y(self, y)

    set_x, set_y = slot_setters(Right)
    assert Right(1) == Right(1, 0) and Right(1).y == 0

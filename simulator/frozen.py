"""Frozen values made quickly and kept small.

A frozen dataclass sets each field in `__init__` through `object.__setattr__`, to get past its own refusal to be
changed: a method call per field. The loader makes tens of thousands of these values for a large file (a position,
a route, a choice per line or two), and those calls were a tenth of loading it. So the model's values are frozen
dataclasses with `slots=True` (their fields in slots: half the memory of an instance with a `__dict__`, and quicker
to read, which the analysis does for every node) and `init=False`, with an `__init__` written out by hand that fills
each slot through the slot's own setter, about twice as fast. `slot_setters` gives those setters and checks, when the
class is made, that the hand-written `__init__` takes exactly the fields, in order, with their defaults, so the two
cannot drift apart. Everything else stays the dataclass's own: equality, hashing, ordering, `repr`, and the refusal
of every later change.
"""
from __future__ import annotations

import dataclasses
import inspect   # dataclasses imports it already

TYPE_CHECKING = False   # as typing.TYPE_CHECKING: every command imports the diagnostics, which use this module,
if TYPE_CHECKING:       # and importing typing would cost --help a twentieth of its time
    from collections.abc import Callable



def slot_setters(cls: type) -> tuple[Callable[[object, object], None], ...]:
    """The setters of a frozen dataclass's slots, in the order of its fields, for its hand-written `__init__`;
    a TypeError when the class is not a frozen dataclass with slots and its own `__init__`, or when that `__init__`
    does not take exactly the fields, in order, with their defaults."""
    params = dataclasses.fields(cls)
    options = cls.__dataclass_params__  # type: ignore[attr-defined]
    if not options.frozen or options.init or "__slots__" not in cls.__dict__:
        raise TypeError(f"slot_setters: {cls.__name__} is not a frozen dataclass with slots and init=False")
    if any(f.default_factory is not dataclasses.MISSING for f in params):
        raise TypeError(f"slot_setters: {cls.__name__} has a default factory")
    own = cls.__dict__.get("__init__")
    if own is None:
        raise TypeError(f"slot_setters: {cls.__name__} has no __init__ of its own")
    fields = [(f.name, f.default) for f in params]
    empty = inspect.Parameter.empty
    taken = [(p.name, dataclasses.MISSING if p.default is empty else p.default)
             for p in list(inspect.signature(own).parameters.values())[1:]]
    if taken != fields:
        raise TypeError(f"slot_setters: {cls.__name__}.__init__ takes {taken}, but its fields are {fields}")
    return tuple(getattr(cls, f.name).__set__ for f in params)

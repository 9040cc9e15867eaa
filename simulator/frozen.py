"""Frozen values made quickly and kept small.

A frozen dataclass sets each field in `__init__` through `object.__setattr__`, to get past its own refusal to be
changed: a method call per field. The loader makes tens of thousands of these values for a large file (a position,
a route, a choice per line or two), and those calls were a tenth of loading it. `quick_init` takes a frozen dataclass
made with `slots=True` (its fields in slots: about half the memory of an instance with a `__dict__`, and quicker to
read, which the analysis does for every node) and gives it an `__init__` with the same parameters and defaults that
stores each field through its slot directly, about a third quicker than the dataclass's own. Everything else stays the
dataclass's own: equality, hashing, ordering, `repr`, and the refusal of every later change.
"""
from __future__ import annotations

import dataclasses

TYPE_CHECKING = False   # as typing.TYPE_CHECKING: every command imports the diagnostics, which use this module,
if TYPE_CHECKING:       # and importing typing would cost --help a twentieth of its time
    from collections.abc import Callable
    from typing import TypeVar

    T = TypeVar("T")


def quick_init(cls: type[T]) -> type[T]:
    """Replace the `__init__` of a frozen dataclass with slots (see the module's text) by one that fills the slots
    directly. Only for what the generated `__init__` would do plainly: no `__post_init__`, no default factories."""
    params = dataclasses.fields(cls)  # type: ignore[arg-type]
    frozen = cls.__dataclass_params__.frozen  # type: ignore[attr-defined]
    if (not frozen or hasattr(cls, "__post_init__") or "__slots__" not in cls.__dict__
            or any(f.default_factory is not dataclasses.MISSING or not f.init for f in params)):
        raise TypeError(f"quick_init: {cls.__name__} is not a plain frozen dataclass with slots")
    namespace: dict[str, object] = {}
    signature: list[str] = []
    for f in params:
        namespace[f"_set_{f.name}"] = getattr(cls, f.name).__set__   # the slot's own setter, past __setattr__
        if f.default is dataclasses.MISSING:
            signature.append(f.name)
        else:
            namespace[f"_default_{f.name}"] = f.default
            signature.append(f"{f.name}=_default_{f.name}")
    body = "".join(f"    _set_{f.name}(self, {f.name})\n" for f in params)
    exec(f"def __init__(self, {', '.join(signature)}):\n{body}", namespace)  # as dataclasses makes its own
    init: Callable[..., None] = namespace["__init__"]  # type: ignore[assignment]
    init.__qualname__ = f"{cls.__qualname__}.__init__"
    init.__module__ = cls.__module__
    cls.__init__ = init  # type: ignore[method-assign]
    return cls

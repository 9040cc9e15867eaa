"""Frozen values made quickly.

A frozen dataclass sets each field in `__init__` through `object.__setattr__`, to get past its own refusal to be
changed: a method call per field. The loader makes tens of thousands of these values for a large file (a position,
a route, a choice per line or two), and those calls were a tenth of loading it. `quick_init` gives such a class an
`__init__` with the same parameters and defaults that writes the fields straight into the instance's `__dict__`,
about three times faster. Everything else stays the dataclass's own: equality, hashing, ordering, `repr`, and the
refusal of every later change.
"""
from __future__ import annotations

import dataclasses

TYPE_CHECKING = False   # as typing.TYPE_CHECKING: every command imports the diagnostics, which use this module,
if TYPE_CHECKING:       # and importing typing would cost --help a twentieth of its time
    from collections.abc import Callable
    from typing import TypeVar

    T = TypeVar("T")


def quick_init(cls: type[T]) -> type[T]:
    """Replace a frozen dataclass's `__init__` by one that stores the fields directly (see the module's text).

    Only for what the generated `__init__` would do plainly: no `__post_init__`, no default factories, no
    `__slots__` (the fields live in `__dict__`)."""
    params = dataclasses.fields(cls)  # type: ignore[arg-type]
    frozen = cls.__dataclass_params__.frozen  # type: ignore[attr-defined]
    if (not frozen or hasattr(cls, "__post_init__")
            or "__slots__" in cls.__dict__ or any(f.default_factory is not dataclasses.MISSING or not f.init
                                                  for f in params)):
        raise TypeError(f"quick_init: {cls.__name__} is not a plain frozen dataclass")
    defaults: dict[str, object] = {}
    signature: list[str] = []
    for f in params:
        if f.default is dataclasses.MISSING:
            signature.append(f.name)
        else:
            defaults[f"_default_{f.name}"] = f.default
            signature.append(f"{f.name}=_default_{f.name}")
    body = "".join(f"    d[{f.name!r}] = {f.name}\n" for f in params)
    source = f"def __init__(self, {', '.join(signature)}):\n    d = self.__dict__\n{body}"
    namespace: dict[str, object] = dict(defaults)
    exec(source, namespace)  # the way dataclasses makes its own __init__
    init: Callable[..., None] = namespace["__init__"]  # type: ignore[assignment]
    init.__qualname__ = f"{cls.__qualname__}.__init__"
    init.__module__ = cls.__module__
    cls.__init__ = init  # type: ignore[method-assign]
    return cls

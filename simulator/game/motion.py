"""Small animations: values that glide to a target (the mood meters and face) and pulses that fade out (a shake, a
step lighting up). `update(dt)` is True while anything still moves, so the loop sleeps when nothing does."""
from __future__ import annotations


class Motion:
    def __init__(self, speed: float = 70.0, **values: float):
        self.speed = speed                 # units per second for gliding values
        self.values = dict(values)
        self.targets = dict(values)
        self.pulses: dict[str, float] = {}
        self.rates: dict[str, float] = {}

    def __getitem__(self, name: str) -> float:
        return self.values.get(name, self.pulses.get(name, 0.0))

    def aim(self, **targets: float) -> None:
        self.targets.update(targets)

    def snap(self, **values: float) -> None:
        self.values.update(values)
        self.targets.update(values)

    def pulse(self, name: str, seconds: float = 1.0) -> None:
        self.pulses[name] = 1.0
        self.rates[name] = 1.0 / max(0.05, seconds)

    def update(self, dt: float) -> bool:
        moving = False
        for name, target in self.targets.items():
            value = self.values[name]
            if abs(value - target) > 0.01:
                step = self.speed * dt
                self.values[name] = target if abs(target - value) <= step else value + (step if target > value
                                                                                          else -step)
                moving = True
        for name in list(self.pulses):
            self.pulses[name] -= dt * self.rates[name]
            if self.pulses[name] <= 0:
                del self.pulses[name]
            moving = True
        return moving

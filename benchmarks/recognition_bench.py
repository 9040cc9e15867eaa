"""Recognition time per typed answer (median and p99), against a bare `len(text)` call timed the same way; and how
long the model takes to build from the data (first use) and to load from the cache."""
from __future__ import annotations

import os
import statistics
import tempfile
import time

ROUNDS = 3


def _percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def _timed(fn, items) -> list[float]:
    out = []
    for _ in range(ROUNDS):
        for item in items:
            t0 = time.perf_counter_ns()
            fn(item)
            out.append((time.perf_counter_ns() - t0) / 1e6)
    return out


def run() -> dict:
    from simulator.recognition import corpus, model
    from simulator.recognition.recogniser import Recogniser
    from simulator.scenario.library import resolve

    with tempfile.TemporaryDirectory() as cache:
        old = os.environ.get("KLANTSIM_CACHE")
        os.environ["KLANTSIM_CACHE"] = cache
        try:
            build, models = {}, {}
            for language in corpus.languages():
                t0, c0 = time.perf_counter(), time.process_time()
                model.load_or_build(language, rebuild=True)
                build[language] = (time.perf_counter() - t0, time.process_time() - c0)
            t0 = time.perf_counter()
            for language in corpus.languages():
                models[language], built = model.load_or_build(language)
                assert not built
            load_s = time.perf_counter() - t0
        finally:
            if old is None:
                del os.environ["KLANTSIM_CACHE"]
            else:
                os.environ["KLANTSIM_CACHE"] = old
    recogniser = Recogniser(models)
    texts = [(t, lang) for lang in corpus.languages() for t, _ in corpus.heldout_examples(lang)]
    node = resolve("starter", "nl").scenario.nodes["uitval"]     # five offered choices, an abusive line
    recogniser.recognise("warm-up", "nl")
    bare = _timed(lambda item: len(item[0]), texts)
    plain = _timed(lambda item: recogniser.recognise(item[0], item[1]), texts)
    context = _timed(lambda item: recogniser.recognise(item[0], "nl", customer_line=node.say, abusive=True,
                                                       choices=node.choices), texts)
    row = lambda xs: {"p50": statistics.median(xs), "p99": _percentile(xs, 0.99)}
    return {"answers": len(texts) * ROUNDS, "bare": row(bare), "plain": row(plain), "context": row(context),
            "build": build, "load_s": load_s, "load_average": os.getloadavg()[0]}


def print_table(r: dict) -> None:
    b = r["bare"]
    print(f"| per typed answer ({r['answers']} timed) | p50 | p99 | ratio p50 to len(text) |")
    print("|---|---:|---:|---:|")
    print(f"| bare `len(text)` (baseline) | {b['p50'] * 1e3:.2f} µs | {b['p99'] * 1e3:.2f} µs | 1x |")
    for key, name in (("plain", "recognise(text)"), ("context", "recognise(text, line, abusive, 5 choices)")):
        x = r[key]
        print(f"| {name} | {x['p50']:.2f} ms | {x['p99']:.2f} ms | {x['p50'] / max(b['p50'], 1e-6):,.0f}x |")
    print()
    build = "; ".join(f"{lang} {wall:.1f} s ({cpu:.1f} s CPU)" for lang, (wall, cpu) in r["build"].items())
    print(f"model built from the data on a language's first use: {build} (aim <= 5 s); both loaded from the "
          f"cache: {r['load_s'] * 1e3:.0f} ms; load average {r['load_average']:.1f} on this machine")


if __name__ == "__main__":
    print_table(run())

"""How well the recogniser does on the held-out sentences: accuracy, macro-F1, confusion matrix, and how often it
is right when it says it is sure. `python -m simulator.recognition.evaluate` (or `make model`) prints it all."""
from __future__ import annotations

import sys
import time
from dataclasses import dataclass

from simulator.recognition import corpus
from simulator.scenario.acts import ACTS

SURE = 0.7   # "when the recogniser says confidence >= 0.7 it is right >= 95% of the time"


@dataclass
class Evaluation:
    language: str
    total: int
    correct: int
    macro_f1: float
    sure: int            # answers with confidence >= SURE
    sure_correct: int
    confusion: dict      # (true act, predicted act) -> count
    mistakes: list       # (text, true act, predicted act, confidence)

    @property
    def accuracy(self) -> float:
        return self.correct / self.total if self.total else 0.0

    @property
    def sure_precision(self) -> float:
        return self.sure_correct / self.sure if self.sure else 1.0


def evaluate(recogniser, language: str) -> Evaluation:
    examples = corpus.heldout_examples(language)
    confusion: dict[tuple[str, str], int] = {}
    mistakes = []
    sure = sure_correct = correct = 0
    for text, truth in examples:
        r = recogniser.recognise(text, language)
        confusion[(truth, r.act)] = confusion.get((truth, r.act), 0) + 1
        correct += r.act == truth
        if r.confidence >= SURE:
            sure += 1
            sure_correct += r.act == truth
        if r.act != truth:
            mistakes.append((text, truth, r.act, r.confidence))
    f1s = []
    for act in ACTS:
        tp = confusion.get((act, act), 0)
        fp = sum(n for (t, p), n in confusion.items() if p == act and t != act)
        fn = sum(n for (t, p), n in confusion.items() if t == act and p != act)
        if tp + fp + fn == 0:
            continue
        f1s.append(2 * tp / (2 * tp + fp + fn))
    return Evaluation(language, len(examples), correct, sum(f1s) / len(f1s) if f1s else 0.0, sure, sure_correct,
                      confusion, mistakes)


def short(act: str) -> str:
    """A four-letter column head for the confusion matrix."""
    parts = act.split("_")
    return (parts[0][:2] + parts[1][:2]) if len(parts) > 1 else act[:4]


def print_report(ev: Evaluation, out=sys.stdout, show_mistakes: bool = False) -> None:
    print(f"[{ev.language}] held-out: {ev.total} sentences, accuracy {ev.accuracy:.1%}, macro-F1 {ev.macro_f1:.3f}; "
          f"confidence >= {SURE}: {ev.sure} answers ({ev.sure / ev.total:.0%}), right {ev.sure_precision:.1%}",
          file=out)
    acts = [a for a in ACTS if any(t == a or p == a for t, p in ev.confusion)]
    print("confusion (rows: the act written, columns: the act recognised)", file=out)
    print(" " * 16 + "".join(f"{short(a):>5}" for a in acts), file=out)
    for t in acts:
        row = "".join(f"{ev.confusion.get((t, p), 0) or '.':>5}" for p in acts)
        print(f"{t:>15} {row}", file=out)
    if show_mistakes:
        for text, truth, got, conf in ev.mistakes:
            print(f"  ✗ {truth} → {got} ({conf:.2f}): {text}", file=out)


def main(argv: list[str] | None = None) -> int:
    from simulator.recognition.recogniser import load_recogniser

    argv = sys.argv[1:] if argv is None else argv
    t0 = time.perf_counter()
    from simulator.recognition import model

    rebuild = "--rebuild" in argv
    models, built = model.load_or_build(rebuild=rebuild)
    took = time.perf_counter() - t0
    from simulator.recognition.recogniser import Recogniser

    recogniser = Recogniser(models)
    sizes = {lang: len(corpus.training_examples(lang)) for lang in corpus.languages()}
    print(f"recogniser {'built' if built else 'loaded'} in {took:.1f} s from "
          + ", ".join(f"{n} {lang} training sentences" for lang, n in sizes.items())
          + f"; cache {model.cache_path()}")
    ok = True
    for language in corpus.languages():
        ev = evaluate(recogniser, language)
        print()
        print_report(ev, show_mistakes="--mistakes" in argv)
        ok &= ev.accuracy >= 0.85 and ev.macro_f1 >= 0.80 and ev.sure_precision >= 0.95
    del load_recogniser
    print()
    print("thresholds (accuracy >= 85%, macro-F1 >= 0.80, right >= 95% when sure):", "met" if ok else "NOT met")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())

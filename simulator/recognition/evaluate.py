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


def scenario_accuracy(recogniser, language: str) -> tuple[int, int]:
    """(right, total) over the bundled scenarios' choice texts, text only (no context): a harder, different test
    (long lines, stage directions in the third person, the authors' own labels), not a held-out split: the
    training templates were written after reading these scenarios."""
    from simulator.scenario.library import discover

    right = total = 0
    for result in discover():
        if result.ok and result.scenario is not None and result.scenario.language == language:
            for node in result.scenario.nodes.values():
                for choice in node.choices:
                    total += 1
                    right += recogniser.recognise(choice.text, language).act == choice.act
    return right, total


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
    from simulator.recognition import model
    from simulator.recognition.recogniser import Recogniser

    argv = sys.argv[1:] if argv is None else argv
    models, notes = {}, []
    for language in corpus.languages():
        t0, c0 = time.perf_counter(), time.process_time()
        models[language], built = model.load_or_build(language, rebuild="--rebuild" in argv)
        notes.append(f"{language}: {'built' if built else 'loaded'} in {time.perf_counter() - t0:.1f} s "
                     f"({time.process_time() - c0:.1f} s CPU) from {len(corpus.training_examples(language))} "
                     f"training sentences")
    print("recogniser " + "; ".join(notes))
    print(f"cache: {model.cache_dir()} (recogniser-LANG-{model.cache_key()}.pickle)")
    recogniser = Recogniser(models)
    ok = True
    for language in corpus.languages():
        ev = evaluate(recogniser, language)
        print()
        print_report(ev, show_mistakes="--mistakes" in argv)
        ok &= ev.accuracy >= 0.85 and ev.macro_f1 >= 0.80 and ev.sure_precision >= 0.95
    print()
    for language in corpus.languages():
        right, total = scenario_accuracy(recogniser, language)
        print(f"[{language}] the bundled scenarios' choice texts, text only, no context: {right} of {total} "
              f"({right / total:.0%}) get the author's act (informative; with the node's choices as context "
              f"each text finds its own choice)")
    print()
    print("thresholds (accuracy >= 85%, macro-F1 >= 0.80, right >= 95% when sure):", "met" if ok else "NOT met")
    return 0 if ok else 1


if __name__ == "__main__":
    try:
        sys.exit(main())
    except BrokenPipeError:
        sys.exit(0)

"""Load+check and analysis time of generated scenarios, each as a ratio to a plain CSafeLoader parse."""
from __future__ import annotations

import time

import yaml

from simulator.analysis.search import analyse
from simulator.scenario.loader import load_text

SIZES = (100, 1_000, 5_000)
STEP_ACTS = ("listen", "acknowledge", "ask", "solve", "agree", "follow_up")


def generate(n: int) -> str:
    """A scenario of n nodes shaped like a trainer's: a main line through the six steps in blocks; at each
    node a mistake that detours through a recovery node and comes back (a cycle), a skip ahead, and now and
    then an abusive line with the ladder; conditions on anger and flags decide some routes; three endings."""
    out = ["format: 1", f"id: gen-{n}", 'title: "Gegenereerd"', 'summary: "Benchmark."', "language: nl",
           "difficulty: 2", "channel: phone", 'customer: {name: "K", anger: 60, trust: 40}', "start: n0", "nodes:"]
    main = max(2, (n - 3) // 2)
    block = max(1, main // len(STEP_ACTS))
    for i in range(main):
        step = STEP_ACTS[min(i // block, len(STEP_ACTS) - 1)]
        nxt = f"n{i + 1}" if i + 1 < main else "tevreden"
        skip = f"n{i + 2}" if i + 2 < main else "tevreden"
        out.append(f"  n{i}:")
        out.append(f'    say: "Regel {i}: het duurt allemaal veel te lang, ik wil nu een oplossing."')
        if i % 40 == 20:
            out.append("    abusive: true")
            out.append("    choices:")
            out.append(f'      - {{text: "Als u scheldt, kan ik u niet helpen.", act: set_limit, set: [grens], '
                       f'feedback: "Grens.", next: {nxt}}}')
            out.append('      - {text: "Ik hang op.", act: end_contact, feedback: "Te snel.", next: weg}')
            out.append('      - {text: "Mijn collega neemt het over.", act: hand_over, feedback: "Collega.", '
                       'next: overgedragen}')
        else:
            out.append("    choices:")
            out.append(f'      - {{text: "Stap {step} bij {i}.", act: {step}, feedback: "Goed.", '
                       f'next: [{{if: "anger >= 95", goto: weg}}, {{goto: {nxt}}}]}}')
            out.append(f'      - {{text: "Dat is ons beleid.", act: justify, effect: {{anger: 5}}, '
                       f'feedback: "Niet doen.", next: r{i}}}')
            out.append(f'      - {{text: "Even snel verder.", act: neutral, if: "not flag:grens or anger < 80", '
                       f'feedback: "Neutraal.", next: {skip}}}')
        out.append(f"  r{i}:")
        out.append('    say: "Nou moe, daar heb ik niks aan."')
        out.append("    choices:")
        out.append(f'      - {{text: "Sorry, vertelt u verder.", act: listen, effect: {{anger: -5}}, '
                   f'feedback: "Terug naar luisteren.", next: n{i}}}')
        out.append('      - {text: "Dan niet.", act: flat_no, feedback: "Kaal nee.", next: weg}')
    out.append('  tevreden: {say: "Dank u.", ending: satisfied}')
    out.append('  weg: {say: "Ik ga ergens anders heen.", ending: lost}')
    out.append('  overgedragen: {say: "Goed, geef me uw collega.", ending: escalated}')
    return "\n".join(out) + "\n"


def _best_of(fn, repeat: int = 3) -> float:
    best = float("inf")
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn()
        best = min(best, time.perf_counter() - t0)
    return best


def run() -> list[dict]:
    rows = []
    for n in SIZES:
        text = generate(n)
        parse = _best_of(lambda: yaml.load(text, Loader=yaml.CSafeLoader))
        load = _best_of(lambda: load_text(text, f"gen-{n}.yaml"))
        result = load_text(text, f"gen-{n}.yaml")
        assert result.ok, [str(d) for d in result.diagnostics[:3]]
        analysis_time = _best_of(lambda: analyse(result.scenario), repeat=1 if n >= 5000 else 3)
        states = analyse(result.scenario).states
        rows.append({"nodes": n, "parse_ms": parse * 1e3, "load_check_ms": load * 1e3,
                     "load_ratio": load / parse, "analysis_ms": analysis_time * 1e3,
                     "analysis_ratio": analysis_time / parse, "states": states})
    return rows


def print_table(rows: list[dict]) -> None:
    print("| nodes | yaml.load (CSafeLoader) | load+check | ratio | analysis | ratio | states |")
    print("|---:|---:|---:|---:|---:|---:|---:|")
    for r in rows:
        print(f"| {r['nodes']:,} | {r['parse_ms']:.1f} ms | {r['load_check_ms']:.1f} ms | {r['load_ratio']:.2f}x "
              f"| {r['analysis_ms']:.1f} ms | {r['analysis_ratio']:.2f}x | {r['states']:,} |")


if __name__ == "__main__":
    print_table(run())

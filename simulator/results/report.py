"""The class report: one self-contained HTML file (inline CSS and SVG, no network) about a group's results."""
from __future__ import annotations

import json
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import datetime, timezone
from functools import lru_cache
from html import escape
from pathlib import Path
from typing import Any, Iterable

from simulator.results.export import STEPS, step_state
from simulator.results.record import ConversationResult
from simulator.scenario.acts import FALL_BACK_ACTS, LIMIT_ACTS, METHOD_MISTAKES, STEP_OF_ACT, act_kind

STRINGS_FILE = Path(__file__).with_name("report_strings.json")
STRUGGLE_BELOW = 0.5  # a player struggles with a step taken in order in less than half of their conversations
MAX_MISTAKES = 15

STEP_ACTS = set(STEP_OF_ACT)
# Which acts can break each rule: to find the choice when a violation names only its node.
RULE_ACTS = {"too_early": STEP_ACTS, "back_to_start": FALL_BACK_ACTS,
             "boundary_ladder": {"warn", "end_contact"}, "counter_abuse": {"counter"}, "gave_in": {"give_in"},
             "limit_without_abuse": LIMIT_ACTS, "method": METHOD_MISTAKES}
COLOURS = {"in_order": "#2e7d4f", "too_early": "#e0a100", "not_done": "#c8ccd2", "step": "#2e7d4f",
           "boundary": "#2f6db5", "mistake": "#c0392b", "neutral": "#7d8590", "ink": "#1f2328", "muted": "#57606a"}


@lru_cache(maxsize=None)
def _strings() -> dict[str, Any]:
    return json.loads(STRINGS_FILE.read_text(encoding="utf-8"))


@lru_cache(maxsize=None)
def _rubric():
    try:
        from simulator.scoring.rubric import load_rubric

        return load_rubric()
    except Exception:  # noqa: BLE001 - the report still works with ids instead of labels
        return None


class Words:
    """The report's words in one language, with labels of steps, acts and rules from the rubric."""

    def __init__(self, language: str):
        strings = _strings()
        self.language = language if language in strings else "nl"
        self.texts = strings[self.language]
        self.rule_names = strings["rules"][self.language]

    def __call__(self, key: str, **values: Any) -> str:
        return self.texts[key].format(**values)

    def label(self, key: str) -> str:
        rubric = _rubric()
        return rubric.label(key, self.language) if rubric else key

    def rule_name(self, rule: str) -> str:
        return self.rule_names.get(rule, rule)

    def rule_text(self, rule: str) -> str:
        rubric = _rubric()
        try:
            return rubric.rule_text(rule, self.language) if rubric else ""
        except KeyError:
            return ""


# ------------------------------------------------------------------------------------------------ the numbers
@dataclass
class PlayerSummary:
    name: str
    conversations: int = 0
    abandoned: int = 0
    scenarios: set = field(default_factory=set)
    scores: list[int] = field(default_factory=list)  # finished conversations, oldest first
    per_scenario: dict[tuple[str, str], list[int]] = field(default_factory=dict)

    @property
    def best(self) -> int | None:
        return max(self.scores) if self.scores else None

    @property
    def last(self) -> int | None:
        return self.scores[-1] if self.scores else None

    @property
    def average(self) -> float | None:
        return sum(self.scores) / len(self.scores) if self.scores else None

    @property
    def trend(self) -> float | None:
        """The change over the series by a least-squares line through the scores (None with fewer than two)."""
        n = len(self.scores)
        if n < 2:
            return None
        mean_x, mean_y = (n - 1) / 2, sum(self.scores) / n
        slope = (sum((x - mean_x) * (y - mean_y) for x, y in enumerate(self.scores))
                 / sum((x - mean_x) ** 2 for x in range(n)))
        return slope * (n - 1)


@dataclass
class StepSummary:
    step: str
    counts: Counter = field(default_factory=Counter)  # in_order / too_early / not_done over assessed conversations
    per_player: dict[str, Counter] = field(default_factory=lambda: defaultdict(Counter))

    @property
    def assessed(self) -> int:
        return sum(self.counts.values())

    def share(self, state: str) -> float:
        return self.counts[state] / self.assessed if self.assessed else 0.0

    def strugglers(self) -> list[tuple[str, int, int]]:
        """(player, in order, assessed) for players below STRUGGLE_BELOW, weakest first."""
        rows = []
        for player, counts in self.per_player.items():
            total = sum(counts.values())
            if total and counts["in_order"] / total < STRUGGLE_BELOW:
                rows.append((player, counts["in_order"], total))
        return sorted(rows, key=lambda row: (row[1] / row[2], -row[2], row[0].lower()))


@dataclass
class Mistake:
    rule: str
    scenario: str
    node: str
    choice: str
    feedback: str
    message: str
    count: int = 0
    players: Counter = field(default_factory=Counter)


@dataclass
class NodeChoices:
    node: str
    say: str = ""
    visits: int = 0
    options: dict[str, dict[str, Any]] = field(default_factory=dict)  # text -> {act, count, order}
    first_seen: float = float("inf")


@dataclass
class ScenarioChoices:
    scenario: str
    language: str
    title: str
    conversations: int = 0
    versions: set = field(default_factory=set)
    nodes: dict[str, NodeChoices] = field(default_factory=dict)


@dataclass
class ReportData:
    results: list[ConversationResult]
    players: list[PlayerSummary]
    steps: list[StepSummary]
    mistakes: list[Mistake]
    scenarios: list[ScenarioChoices]
    scenario_titles: dict[tuple[str, str], str]


def summarise(results: Iterable[ConversationResult]) -> ReportData:
    results = sorted(results, key=lambda r: (r.finished_at, r.id))
    players: dict[str, PlayerSummary] = {}
    steps = {step: StepSummary(step) for step in STEPS}
    mistakes: dict[tuple, Mistake] = {}
    scenarios: dict[tuple[str, str], ScenarioChoices] = {}
    titles: dict[tuple[str, str], str] = {}

    for result in results:
        key = (result.scenario, result.language)
        titles[key] = result.title or titles.get(key) or result.scenario
        player = players.setdefault(result.player, PlayerSummary(result.player))
        player.conversations += 1
        player.scenarios.add(key)
        if result.status == "abandoned":
            player.abandoned += 1
        elif result.score is not None:
            player.scores.append(result.score)
            player.per_scenario.setdefault(key, []).append(result.score)

        if result.status == "finished":
            card_steps = result.scorecard.get("steps") or {}
            for step in STEPS:
                state = step_state(card_steps.get(step))
                if state != "not_assessed":
                    steps[step].counts[state] += 1
                    steps[step].per_player[result.player][state] += 1

        for violation in result.scorecard.get("violations") or []:
            _count_mistake(mistakes, result, violation)

        chosen = scenarios.setdefault(key, ScenarioChoices(result.scenario, result.language, titles[key]))
        chosen.conversations += 1
        chosen.versions.add(result.scenario_version)
        for position, step in enumerate(result.path):
            node = chosen.nodes.setdefault(step["node"], NodeChoices(step["node"]))
            node.say = node.say or str(step.get("say") or "")
            node.visits += 1
            node.first_seen = min(node.first_seen, position)
            for order, option in enumerate(step.get("options") or []):
                text = str(option.get("text") or option.get("act") or "")
                node.options.setdefault(text, {"act": option.get("act", ""), "count": 0, "order": order})
            text = str(step.get("text") or f"{step.get('act')} ({step.get('choice')})")
            entry = node.options.setdefault(text, {"act": step.get("act", ""), "count": 0,
                                                   "order": (step.get("choice") or 99) - 1})
            entry["count"] += 1

    for chosen in scenarios.values():
        chosen.title = titles[(chosen.scenario, chosen.language)]
    ranked_mistakes = sorted(mistakes.values(), key=lambda m: (-m.count, m.rule, m.scenario, m.node))
    return ReportData(
        results=results,
        players=sorted(players.values(), key=lambda p: p.name.lower()),
        steps=[steps[step] for step in STEPS],
        mistakes=ranked_mistakes,
        scenarios=sorted(scenarios.values(), key=lambda s: (s.title.lower(), s.language)),
        scenario_titles=titles,
    )


def _count_mistake(mistakes: dict, result: ConversationResult, violation: dict) -> None:
    rule = str(violation.get("rule", "?"))
    node = str(violation.get("node", ""))
    choice = violation.get("choice")
    feedback = violation.get("feedback")
    if choice is None:
        # A scorecard that names only the node (and maybe the act): take the path entry there that broke the rule.
        acts = {violation["act"]} if isinstance(violation.get("act"), str) else RULE_ACTS.get(rule, set())
        for step in result.path:
            if step.get("node") == node and step.get("act") in acts:
                choice, feedback = step.get("text"), feedback or step.get("feedback")
                break
    key = (rule, result.scenario, node, choice or "")
    mistake = mistakes.setdefault(key, Mistake(rule, result.scenario, node, str(choice or ""),
                                               str(feedback or ""), str(violation.get("message") or "")))
    mistake.count += 1
    mistake.players[result.player] += 1


# ------------------------------------------------------------------------------------------------ drawing (SVG)
def _score_colour(score: float | None) -> str:
    if score is None:
        return "#eef0f3"
    if score >= 75:
        return "#d3efdc"
    if score >= 50:
        return "#fbefc5"
    return "#f8d7d3"


def sparkline(scores: list[int], width: int = 140, height: int = 34) -> str:
    if not scores:
        return "<span class='muted'>–</span>"
    pad = 4
    n = len(scores)

    def point(i: int, score: int) -> tuple[float, float]:
        x = pad + (width - 2 * pad) * (i / (n - 1) if n > 1 else 0.5)
        y = pad + (height - 2 * pad) * (1 - score / 100)
        return round(x, 1), round(y, 1)

    points = [point(i, s) for i, s in enumerate(scores)]
    line = " ".join(f"{x},{y}" for x, y in points)
    dots = "".join(f"<circle cx='{x}' cy='{y}' r='2.6' fill='{COLOURS['boundary']}'/>" for x, y in points)
    label = ", ".join(str(s) for s in scores)
    return (f"<svg class='spark' width='{width}' height='{height}' viewBox='0 0 {width} {height}' role='img'>"
            f"<title>{escape(label)}</title>"
            f"<line x1='{pad}' x2='{width - pad}' y1='{height / 2}' y2='{height / 2}' stroke='#d8dee4' "
            f"stroke-dasharray='3 3'/>"
            f"<polyline points='{line}' fill='none' stroke='{COLOURS['boundary']}' stroke-width='2'/>{dots}</svg>")


def stacked_bar(parts: list[tuple[str, float, str]], width: int = 360, height: int = 22) -> str:
    """parts: (colour, share 0..1, label) drawn left to right, with the percentage inside when it fits."""
    x, pieces = 0.0, []
    for colour, share, label in parts:
        w = width * share
        if w <= 0:
            continue
        pieces.append(f"<rect x='{x:.1f}' y='0' width='{w:.1f}' height='{height}' fill='{colour}'>"
                      f"<title>{escape(label)}</title></rect>")
        if w >= 34:
            text_colour = "#fff" if colour in (COLOURS["in_order"], COLOURS["mistake"]) else COLOURS["ink"]
            pieces.append(f"<text x='{x + w / 2:.1f}' y='{height / 2 + 4.5}' text-anchor='middle' "
                          f"font-size='12' fill='{text_colour}'>{round(share * 100)}%</text>")
        x += w
    return (f"<svg width='{width}' height='{height}' viewBox='0 0 {width} {height}' role='img' class='bar'>"
            f"<rect width='{width}' height='{height}' fill='#f3f4f6'/>{''.join(pieces)}</svg>")


def meter(share: float, colour: str, width: int = 220, height: int = 14) -> str:
    w = max(0.0, min(1.0, share)) * width
    return (f"<svg width='{width}' height='{height}' viewBox='0 0 {width} {height}' role='img' class='bar'>"
            f"<rect width='{width}' height='{height}' rx='3' fill='#eef0f3'/>"
            f"<rect width='{w:.1f}' height='{height}' rx='3' fill='{colour}'/></svg>")


def rule_chart(mistakes: list[Mistake], words: Words, width: int = 520) -> str:
    totals = Counter()
    for mistake in mistakes:
        totals[mistake.rule] += mistake.count
    if not totals:
        return ""
    rows = totals.most_common()
    bar_h, gap, label_w = 20, 8, 200
    height = len(rows) * (bar_h + gap)
    top = max(totals.values())
    parts = []
    for i, (rule, count) in enumerate(rows):
        y = i * (bar_h + gap)
        w = (width - label_w - 40) * count / top
        parts.append(f"<text x='{label_w - 8}' y='{y + 15}' text-anchor='end' font-size='13' "
                     f"fill='{COLOURS['ink']}'>{escape(words.rule_name(rule))}</text>"
                     f"<rect x='{label_w}' y='{y}' width='{w:.1f}' height='{bar_h}' rx='3' "
                     f"fill='{COLOURS['mistake']}'/>"
                     f"<text x='{label_w + w + 6:.1f}' y='{y + 15}' font-size='13' "
                     f"fill='{COLOURS['ink']}'>{count}</text>")
    return (f"<svg width='{width}' height='{height}' viewBox='0 0 {width} {height}' role='img' class='chart'>"
            f"<title>{escape(words('mistakes_heading'))}</title>{''.join(parts)}</svg>")


# ------------------------------------------------------------------------------------------------ the page
CSS = """
*{box-sizing:border-box}
body{margin:0;background:#f6f7f9;color:#1f2328;font:15px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,
"Noto Sans","DejaVu Sans",sans-serif}
main{max-width:1180px;margin:0 auto;padding:28px 32px 48px}
h1{font-size:28px;margin:0 0 4px}
h2{font-size:21px;margin:36px 0 6px;padding-bottom:6px;border-bottom:2px solid #d8dee4}
h3{font-size:17px;margin:22px 0 6px}
p.intro,.muted{color:#57606a}
p.intro{margin:0 0 14px;max-width:80ch}
.meta{color:#57606a;margin:0 0 18px}
.kpis{display:flex;gap:14px;flex-wrap:wrap;margin:18px 0 8px}
.kpi{background:#fff;border:1px solid #d8dee4;border-radius:10px;padding:12px 18px;min-width:150px}
.kpi b{display:block;font-size:26px}
.kpi span{color:#57606a}
table{border-collapse:collapse;width:100%;background:#fff;border:1px solid #d8dee4;border-radius:10px;
overflow:hidden}
th,td{padding:8px 10px;text-align:left;vertical-align:top;border-bottom:1px solid #eaeef2}
th{background:#eef1f4;font-weight:600;font-size:13px;color:#3d444d}
tr:last-child td{border-bottom:0}
td.num,th.num{text-align:right;font-variant-numeric:tabular-nums;white-space:nowrap}
.score{display:inline-block;min-width:2.4em;text-align:center;border-radius:6px;padding:1px 6px;
font-variant-numeric:tabular-nums;font-weight:600}
.trend{white-space:nowrap;font-size:13px}
.up{color:#2e7d4f}.down{color:#c0392b}.flat{color:#57606a}
.legend{display:flex;gap:16px;margin:6px 0 10px;font-size:13px;color:#3d444d}
.legend i{display:inline-block;width:12px;height:12px;border-radius:3px;margin-right:5px;vertical-align:-1px}
.chip{display:inline-block;font-size:12px;border-radius:10px;padding:1px 8px;color:#fff;white-space:nowrap}
.rule-text{color:#57606a;font-size:13px;margin-top:3px}
.quote{font-style:italic}
.where{color:#57606a;font-size:12px;margin-top:3px}
.struggle{font-size:13px}
.struggle span{display:inline-block;background:#fdecea;border-radius:6px;padding:1px 7px;margin:0 4px 4px 0}
.scenario{background:#fff;border:1px solid #d8dee4;border-radius:10px;padding:4px 18px 14px;margin:16px 0}
.node{margin:12px 0 4px}
.node-head{font-weight:600}
.node-head code{font-weight:400;color:#57606a}
.say{color:#3d444d;font-size:14px;margin:2px 0 6px}
.option{display:grid;grid-template-columns:minmax(0,1fr) 230px 84px;gap:10px;align-items:center;padding:3px 0}
.option .count{text-align:right;font-variant-numeric:tabular-nums;font-size:13px;color:#3d444d}
.option.none{color:#8c959f}
.matrix td{text-align:center}
.matrix td:first-child,.matrix th:first-child{text-align:left}
.wide{overflow-x:auto}
.matrix th{min-width:92px}
.matrix .cell{border-radius:6px;padding:3px 6px;line-height:1.25}
.matrix .cell b{display:block;font-size:16px}
.matrix .cell span{font-size:11px;color:#3d444d;white-space:nowrap}
.empty{background:#fff;border:1px dashed #afb8c1;border-radius:10px;padding:24px;color:#57606a}
footer{margin-top:40px;color:#57606a;font-size:13px}
@media print{body{background:#fff}main{padding:0}.scenario,table,.kpi{break-inside:avoid}}
"""


def _score_badge(score: float | None) -> str:
    if score is None:
        return "<span class='muted'>–</span>"
    return f"<span class='score' style='background:{_score_colour(score)}'>{int(score + 0.5)}</span>"


def _trend(player: PlayerSummary, words: Words) -> str:
    change = player.trend
    if change is None:
        return "<span class='muted'>–</span>"
    if change >= 3:
        cls, arrow, word = "up", "▲", words("trend_up")
    elif change <= -3:
        cls, arrow, word = "down", "▼", words("trend_down")
    else:
        cls, arrow, word = "flat", "▶", words("trend_flat")
    return f"<span class='trend {cls}'>{arrow} {word} ({change:+.0f})</span>"


def _players_section(data: ReportData, words: Words) -> str:
    rows = []
    for p in data.players:
        abandoned = f"<div class='where'>{escape(words('abandoned_short', n=p.abandoned))}</div>" if p.abandoned else ""
        rows.append(
            f"<tr><td>{escape(p.name)}</td><td class='num'>{p.conversations}{abandoned}</td>"
            f"<td class='num'>{len(p.scenarios)}</td><td class='num'>{_score_badge(p.best)}</td>"
            f"<td class='num'>{_score_badge(p.last)}</td><td class='num'>{_score_badge(p.average)}</td>"
            f"<td>{sparkline(p.scores)}<div>{_trend(p, words)}</div></td></tr>")
    table = (f"<table class='players'><thead><tr><th>{words('col_player')}</th>"
             f"<th class='num'>{words('col_conversations')}</th><th class='num'>{words('col_scenarios')}</th>"
             f"<th class='num'>{words('col_best')}</th><th class='num'>{words('col_last')}</th>"
             f"<th class='num'>{words('col_average')}</th><th>{words('col_trend')}</th></tr></thead>"
             f"<tbody>{''.join(rows)}</tbody></table>")

    keys = sorted(data.scenario_titles, key=lambda k: (data.scenario_titles[k].lower(), k[1]))
    head = "".join(f"<th>{escape(data.scenario_titles[k])}"
                   f"{' (' + escape(k[1]) + ')' if len({l for _, l in keys}) > 1 else ''}</th>" for k in keys)
    body = []
    for p in data.players:
        cells = []
        for key in keys:
            scores = p.per_scenario.get(key)
            if not scores:
                cells.append("<td><span class='muted'>–</span></td>")
                continue
            cells.append(f"<td><div class='cell' style='background:{_score_colour(max(scores))}'>"
                         f"<b>{max(scores)}</b><span>{escape(words('matrix_cell', last=scores[-1], n=len(scores)))}"
                         f"</span></div></td>")
        body.append(f"<tr><td>{escape(p.name)}</td>{''.join(cells)}</tr>")
    matrix = (f"<h3>{words('matrix_heading')}</h3><div class='wide'><table class='matrix'><thead><tr>"
              f"<th>{words('col_player')}</th>{head}</tr></thead><tbody>{''.join(body)}</tbody></table></div>")
    return (f"<section id='players'><h2>{words('players_heading')}</h2><p class='intro'>{words('players_intro')}</p>"
            f"{table}{matrix}</section>")


def _steps_section(data: ReportData, words: Words) -> str:
    legend = "".join(f"<span><i style='background:{COLOURS[state]}'></i>{words('legend_' + state)}</span>"
                     for state in ("in_order", "too_early", "not_done"))
    rows = []
    for summary in data.steps:
        if not summary.assessed:
            continue
        parts = [(COLOURS[state], summary.share(state), f"{words('legend_' + state)}: {summary.counts[state]}")
                 for state in ("in_order", "too_early", "not_done")]
        strugglers = summary.strugglers()
        who = ("".join(f"<span>{escape(name)} {ok}/{total}</span>" for name, ok, total in strugglers)
               or f"<span class='muted' style='background:none'>{words('nobody_struggles')}</span>")
        number = STEPS.index(summary.step) + 1
        rows.append(f"<tr><td><b>{number}. {escape(words.label(summary.step))}</b>"
                    f"<div class='where'>{escape(words('assessed_in', n=summary.assessed))}</div></td>"
                    f"<td>{stacked_bar(parts)}</td><td class='struggle'>{who}</td></tr>")
    return (f"<section id='steps'><h2>{words('steps_heading')}</h2><p class='intro'>{words('steps_intro')}</p>"
            f"<div class='legend'>{legend}</div>"
            f"<table><thead><tr><th>{words('col_step')}</th><th>{words('col_group')}</th>"
            f"<th>{words('col_struggles')}</th></tr></thead><tbody>{''.join(rows)}</tbody></table></section>")


def _mistakes_section(data: ReportData, words: Words) -> str:
    head = (f"<section id='mistakes'><h2>{words('mistakes_heading')}</h2>"
            f"<p class='intro'>{words('mistakes_intro')}</p>")
    if not data.mistakes:
        return head + f"<div class='empty'>{words('no_mistakes')}</div></section>"
    rows = []
    for m in data.mistakes[:MAX_MISTAKES]:
        rule_text = words.rule_text(m.rule) or m.message
        title = data.scenario_titles.get(next((k for k in data.scenario_titles if k[0] == m.scenario), ("", "")),
                                         m.scenario)
        choice = (f"<div class='quote'>{escape(m.choice)}</div>" if m.choice
                  else f"<div class='muted'>{words('end_of_conversation')}</div>")
        who = ", ".join(f"{escape(name)}{f' ({n}×)' if n > 1 else ''}" for name, n in m.players.most_common())
        rows.append(f"<tr><td class='num'><b>{m.count}</b></td>"
                    f"<td><b>{escape(words.rule_name(m.rule))}</b><div class='rule-text'>{escape(rule_text)}</div></td>"
                    f"<td>{choice}<div class='where'>{escape(title)} · <code>{escape(m.node)}</code></div></td>"
                    f"<td>{escape(m.feedback) or '<span class=muted>–</span>'}</td><td class='struggle'>{who}</td></tr>")
    return (head + rule_chart(data.mistakes, words)
            + f"<table style='margin-top:14px'><thead><tr><th class='num'>{words('col_times')}</th>"
              f"<th style='width:26%'>{words('col_rule')}</th><th style='width:28%'>{words('col_choice')}</th>"
              f"<th>{words('col_feedback')}</th><th>{words('col_who')}</th></tr></thead>"
              f"<tbody>{''.join(rows)}</tbody></table></section>")


def _shorten(text: str, limit: int = 220) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[:limit].rsplit(" ", 1)[0] + " …"


def _choices_section(data: ReportData, words: Words) -> str:
    blocks = []
    for scenario in data.scenarios:
        meta = words("scenario_meta", n=scenario.conversations, language=scenario.language)
        if len(scenario.versions) > 1:
            meta += " · " + words("versions", n=len(scenario.versions))
        nodes = []
        for node in sorted(scenario.nodes.values(), key=lambda n: (n.first_seen, n.node)):
            options = sorted(node.options.items(), key=lambda item: (item[1]["order"], item[0]))
            lines = []
            for text, option in options:
                share = option["count"] / node.visits if node.visits else 0
                kind = act_kind(option["act"])
                chip = (f"<span class='chip' style='background:{COLOURS[kind]}'>"
                        f"{escape(words.label(option['act']))}</span>")
                lines.append(f"<div class='option{' none' if not option['count'] else ''}'>"
                             f"<div>{chip} {escape(text)}</div><div>{meter(share, COLOURS[kind])}</div>"
                             f"<div class='count'>{escape(words('taken', n=option['count'], pct=round(share * 100)))}"
                             f"</div></div>")
            nodes.append(f"<div class='node'><div class='node-head'><code>{escape(node.node)}</code> · "
                         f"<span class='muted'>{escape(words('node_visits', n=node.visits))}</span></div>"
                         + (f"<div class='say'>{escape(words('customer_says'))}: <span class='quote'>"
                            f"{escape(_shorten(node.say))}</span></div>" if node.say else "")
                         + f"{''.join(lines)}</div>")
        blocks.append(f"<div class='scenario'><h3>{escape(scenario.title)} <code class='muted'>"
                      f"{escape(scenario.scenario)}</code></h3><div class='meta'>{escape(meta)}</div>"
                      f"{''.join(nodes)}</div>")
    return (f"<section id='choices'><h2>{words('choices_heading')}</h2><p class='intro'>{words('choices_intro')}</p>"
            f"{''.join(blocks)}</section>")


def render_html(results: Iterable[ConversationResult], *, language: str = "nl", since: datetime | None = None,
                players: list[str] | None = None, generated_at: datetime | None = None) -> str:
    """The whole report as one HTML document."""
    words = Words(language)
    data = summarise(results)
    when = (generated_at or datetime.now(timezone.utc)).astimezone().strftime("%Y-%m-%d %H:%M")
    filters = []
    if since is not None:
        moment = since.astimezone(timezone.utc)
        shown = moment.strftime("%Y-%m-%d") if moment.time() == datetime.min.time() else \
            moment.strftime("%Y-%m-%d %H:%M UTC")
        filters.append(words("filter_since", since=shown))
    if players:
        filters.append(words("filter_players", players=", ".join(players)))
    meta = f"{words('generated', when=when)} · {'; '.join(filters) or words('filter_all')}"

    if data.results:
        finished = [r.score for r in data.results if r.status == "finished" and r.score is not None]
        average = f"{sum(finished) / len(finished):.0f}" if finished else "–"
        abandoned = sum(1 for r in data.results if r.status == "abandoned")
        kpis = [(len(data.results), words("kpi_conversations")), (len(data.players), words("kpi_players")),
                (len(data.scenario_titles), words("kpi_scenarios")), (average, words("kpi_average")),
                (abandoned, words("kpi_abandoned"))]
        body = ("<div class='kpis'>" + "".join(f"<div class='kpi'><b>{v}</b><span>{escape(k)}</span></div>"
                                              for v, k in kpis) + "</div>"
                + _players_section(data, words) + _steps_section(data, words) + _mistakes_section(data, words)
                + _choices_section(data, words))
    else:
        body = f"<div class='empty'>{words('no_results')}</div>"
    return (f"<!DOCTYPE html>\n<html lang='{words.language}'><head><meta charset='utf-8'>"
            f"<meta name='viewport' content='width=device-width, initial-scale=1'>"
            f"<meta http-equiv='Content-Security-Policy' content=\"default-src 'none'; style-src 'unsafe-inline'; "
            f"img-src data:\">"
            f"<title>{escape(words('title'))}</title><style>{CSS}</style></head>"
            f"<body><main><h1>{escape(words('title'))}</h1><p class='meta'>{escape(meta)}</p>{body}"
            f"<footer>{escape(words('footer'))}</footer></main></body></html>\n")


def write_report(results: Iterable[ConversationResult], path: str | Path, **options: Any) -> None:
    Path(path).write_text(render_html(results, **options), encoding="utf-8")


__all__ = ["render_html", "write_report", "summarise"]

"""The class report: one self-contained HTML file (inline CSS and SVG, no network) about a group's results."""
from __future__ import annotations

import json
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import datetime, UTC
from functools import lru_cache, cache
from pathlib import Path
from typing import Any
from collections.abc import Iterable

from simulator.results.export import STEPS, step_state
from simulator.results.record import ConversationResult, json_object, printable
from simulator.scenario.acts import FALL_BACK_ACTS, LIMIT_ACTS, METHOD_MISTAKES, STEP_OF_ACT, act_kind

STRINGS_FILE = Path(__file__).with_name("report_strings.json")
STRUGGLE_BELOW = 0.5  # a player struggles with a step taken in order in less than half of their conversations

STEP_ACTS = set(STEP_OF_ACT)
# Which acts can break each rule: to find the choice when a violation names only its node.
RULE_ACTS = {"too_early": STEP_ACTS, "back_to_start": FALL_BACK_ACTS,
             "boundary_ladder": {"warn", "end_contact"}, "counter_abuse": {"counter"}, "gave_in": {"give_in"},
             "limit_without_abuse": LIMIT_ACTS, "method": METHOD_MISTAKES}
COLOURS = {"in_order": "#2e7d4f", "too_early": "#e0a100", "not_done": "#c8ccd2", "step": "#2e7d4f",
           "boundary": "#2f6db5", "mistake": "#c0392b", "neutral": "#7d8590", "ink": "#1f2328", "muted": "#57606a"}


@cache
def _strings() -> dict[str, Any]:
    return json.loads(STRINGS_FILE.read_text(encoding="utf-8"))


@cache
def _rubric():
    try:
        from simulator.scoring.rubric import load_rubric

        return load_rubric()
    except Exception:
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
    per_scenario: dict[str, list[int]] = field(default_factory=dict)  # scenario id -> scores, oldest first

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
    quotes: list = field(default_factory=list)  # answers typed for this choice (TypedQuote), at most MAX_QUOTES
    more_quotes: int = 0                        # typed answers beyond those


MAX_QUOTES = 8  # typed answers quoted per mistake or choice; the rest are counted


@dataclass(frozen=True)
class TypedQuote:
    """An answer typed in the player's own words, for the trainer to discuss: who, what, whether the whole group
    typed it (class mode) and the act it sounded like when that differs from the act of the choice taken."""

    who: str
    text: str
    group: bool
    heard: str | None


def _typed_quote(result: ConversationResult, position: int) -> TypedQuote | None:
    step = result.path[position]
    typed = step.get("typed")
    if not isinstance(typed, str) or not typed.strip():
        return None
    heard = json_object(step.get("heard"))
    heard_act = heard.get("act") if isinstance(heard.get("act"), str) and heard.get("act") != step.get("act") else None
    group = isinstance(result.votes, list) and position < len(result.votes) and result.votes[position] is None
    return TypedQuote(result.player, " ".join(typed.split()), group, heard_act)


def _add_quote(quotes: list, extra: dict, quote: TypedQuote | None, key: Any) -> None:
    if quote is None:
        return
    if quote in quotes:
        return
    if len(quotes) < MAX_QUOTES:
        quotes.append(quote)
    else:
        extra[key] = extra.get(key, 0) + 1


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
    """The numbers of the report, gathered in one pass over the results (which are not kept: memory grows with
    players, scenarios and distinct mistakes, not with conversations)."""

    conversations: int
    finished_scores: tuple[int, int]  # (sum, count) over finished conversations with a score
    abandoned: int
    players: list[PlayerSummary]
    steps: list[StepSummary]
    mistakes: list[Mistake]
    scenarios: list[ScenarioChoices]
    scenario_titles: dict[str, str]           # scenario id -> title (in the first language seen)
    scenario_languages: dict[str, list[str]]  # scenario id -> languages played


def summarise(results: Iterable[ConversationResult]) -> ReportData:
    """One pass over results in the order they finished (as the store gives them)."""
    players: dict[str, PlayerSummary] = {}
    steps = {step: StepSummary(step) for step in STEPS}
    mistakes: dict[tuple, Mistake] = {}
    scenarios: dict[tuple[str, str], ScenarioChoices] = {}
    titles: dict[str, str] = {}
    languages: dict[str, set] = defaultdict(set)
    count = abandoned = score_sum = score_count = 0

    for result in results:
        count += 1
        key = (result.scenario, result.language)
        if result.title and result.scenario not in titles:
            titles[result.scenario] = result.title
        languages[result.scenario].add(result.language)
        player = players.setdefault(result.player, PlayerSummary(result.player))
        player.conversations += 1
        player.scenarios.add(result.scenario)
        if result.status == "abandoned":
            player.abandoned += 1
            abandoned += 1
        elif result.score is not None:
            player.scores.append(result.score)
            player.per_scenario.setdefault(result.scenario, []).append(result.score)
            score_sum += result.score
            score_count += 1

        if result.status == "finished":
            card_steps = result.scorecard.get("steps") or {}
            for step_name in STEPS:
                state = step_state(card_steps.get(step_name))
                if state != "not_assessed":
                    steps[step_name].counts[state] += 1
                    steps[step_name].per_player[result.player][state] += 1

        for violation in result.scorecard.get("violations") or []:
            _count_mistake(mistakes, result, violation)

        chosen = scenarios.setdefault(key, ScenarioChoices(result.scenario, result.language, result.title))
        chosen.title = chosen.title or result.title
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
            _add_quote(entry.setdefault("quotes", []), entry, _typed_quote(result, position), "more_quotes")

    for scenario_id in languages:
        titles.setdefault(scenario_id, scenario_id)
    for chosen in scenarios.values():
        chosen.title = chosen.title or titles[chosen.scenario]
    ranked_mistakes = sorted(mistakes.values(), key=lambda m: (-m.count, m.rule, m.scenario, m.node, m.choice))
    return ReportData(
        conversations=count, finished_scores=(score_sum, score_count), abandoned=abandoned,
        players=sorted(players.values(), key=lambda p: (p.name.lower(), p.name)),
        steps=[steps[step] for step in STEPS],
        mistakes=ranked_mistakes,
        scenarios=sorted(scenarios.values(), key=lambda s: (s.title.lower(), s.scenario, s.language)),
        scenario_titles=titles,
        scenario_languages={k: sorted(v) for k, v in languages.items()},
    )


def _count_mistake(mistakes: dict, result: ConversationResult, violation: dict) -> None:
    rule = str(violation.get("rule", "?"))
    node = str(violation.get("node", ""))
    choice = violation.get("choice")
    feedback = violation.get("feedback")
    position = None
    if choice is None:
        # A scorecard that names only the node (and maybe the act): take the path entry there that broke the rule.
        acts = {violation["act"]} if isinstance(violation.get("act"), str) else RULE_ACTS.get(rule, set())
        for number, step in enumerate(result.path):
            if step.get("node") == node and step.get("act") in acts:
                choice, feedback, position = step.get("text"), feedback or step.get("feedback"), number
                break
    else:
        position = next((number for number, step in enumerate(result.path)
                         if step.get("node") == node and step.get("text") == choice), None)
    key = (rule, result.scenario, node, choice or "")
    mistake = mistakes.setdefault(key, Mistake(rule, result.scenario, node, str(choice or ""),
                                               str(feedback or ""), str(violation.get("message") or "")))
    mistake.count += 1
    mistake.players[result.player] += 1
    if position is not None:
        _add_quote(mistake.quotes, mistake.__dict__, _typed_quote(result, position), "more_quotes")


# ------------------------------------------------------------------------------------------------ what the page shows
# The numbers above become a plain view model (numbers, texts and chart geometry); the Jinja2 templates in
# templates/ turn it into HTML and SVG. A trainer restyles the report by copying templates/ and passing the copy to
# `report --templates DIR`; autoescape is on, so no text from a result can become markup.
TEMPLATES = Path(__file__).with_name("templates")
VISIBLE_MISTAKES = 15  # rows shown before "show all"; the rest are in the page (and in print), folded on screen


def _score_colour(score: float | None) -> str:
    if score is None:
        return "#eef0f3"
    if score >= 75:
        return "#d3efdc"
    if score >= 50:
        return "#fbefc5"
    return "#f8d7d3"


def _badge(score: float | None) -> dict | None:
    return None if score is None else {"value": int(score + 0.5), "colour": _score_colour(score)}


def _sparkline(scores: list[int], width: int = 140, height: int = 34) -> dict | None:
    if not scores:
        return None
    pad, n = 4, len(scores)
    points = [(round(pad + (width - 2 * pad) * (i / (n - 1) if n > 1 else 0.5), 1),
               round(pad + (height - 2 * pad) * (1 - s / 100), 1)) for i, s in enumerate(scores)]
    return {"width": width, "height": height, "pad": pad, "points": points,
            "polyline": " ".join(f"{x},{y}" for x, y in points), "label": ", ".join(map(str, scores))}


def _trend(player: PlayerSummary, words: Words) -> dict | None:
    change = player.trend
    if change is None:
        return None
    kind = "up" if change >= 3 else "down" if change <= -3 else "flat"
    return {"kind": kind, "arrow": {"up": "▲", "down": "▼", "flat": "▶"}[kind], "word": words(f"trend_{kind}"),
            "change": f"{change:+.0f}"}


def _stacked_bar(parts: list[tuple[str, float, str]], width: int = 360, height: int = 22) -> dict:
    x, pieces = 0.0, []
    for colour, share, label in parts:
        w = width * share
        if w <= 0:
            continue
        dark = colour in (COLOURS["in_order"], COLOURS["mistake"])
        pieces.append({"x": round(x, 1), "width": round(w, 1), "colour": colour, "label": label,
                       "percent": f"{round(share * 100)}%" if w >= 34 else None, "text_x": round(x + w / 2, 1),
                       "text_colour": "#fff" if dark else COLOURS["ink"]})
        x += w
    return {"width": width, "height": height, "pieces": pieces, "text_y": height / 2 + 4.5}


def _rule_chart(mistakes: list[Mistake], words: Words, width: int = 520) -> dict | None:
    totals: Counter[str] = Counter()
    for mistake in mistakes:
        totals[mistake.rule] += mistake.count
    if not totals:
        return None
    bar_h, gap, label_w = 20, 8, 200
    top = max(totals.values())
    rows = [{"rule": rule, "label": words.rule_name(rule), "count": count, "y": i * (bar_h + gap),
             "width": round((width - label_w - 40) * count / top, 1)}
            for i, (rule, count) in enumerate(sorted(totals.items(), key=lambda item: (-item[1], item[0])))]
    return {"width": width, "height": len(rows) * (bar_h + gap), "bar_height": bar_h, "label_width": label_w,
            "rows": rows, "title": words("mistakes_heading")}


def _quotes(quotes: list, more: int, words: Words) -> list[dict[str, str]]:
    """Typed answers as lines: "Je typte: “…”" (or "getypt door de groep: “…”"), "(klonk als: …)" when the
    recogniser heard another act than the choice taken; plain text, escaped by the templates."""
    rows = [{"who": printable(q.who), "text": words("typed_group" if q.group else "typed_you", text=printable(q.text)),
             "heard": words("heard_as", label=words.label(q.heard)) if q.heard else ""} for q in quotes]
    if more:
        rows.append({"who": "", "text": words("more_quotes", n=more), "heard": ""})
    return rows


def _shorten(text: str, limit: int = 220) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[:limit].rsplit(" ", 1)[0] + " …"


def view_model(data: ReportData, words: Words, meta: str) -> dict[str, Any]:
    """Everything the templates show, as plain values (no HTML)."""
    texts = dict(words.texts)
    page: dict[str, Any] = {"language": words.language, "t": texts, "meta": meta, "colours": COLOURS,
                            "empty": data.conversations == 0}
    if page["empty"]:
        return page
    total, counted = data.finished_scores
    page["kpis"] = [(data.conversations, words("kpi_conversations")), (len(data.players), words("kpi_players")),
                    (len(data.scenario_titles), words("kpi_scenarios")),
                    (f"{total / counted:.0f}" if counted else "–", words("kpi_average")),
                    (data.abandoned, words("kpi_abandoned"))]
    page["players"] = [{
        "name": printable(p.name), "conversations": p.conversations, "scenarios": len(p.scenarios),
        "abandoned": words("abandoned_short", n=p.abandoned) if p.abandoned else None,
        "best": _badge(p.best), "last": _badge(p.last), "average": _badge(p.average),
        "spark": _sparkline(p.scores), "trend": _trend(p, words)} for p in data.players]
    columns = sorted(data.scenario_titles, key=lambda k: (data.scenario_titles[k].lower(), k))
    page["matrix_columns"] = [{"id": k, "title": printable(data.scenario_titles[k]),
                               "languages": ", ".join(data.scenario_languages.get(k, []))} for k in columns]
    page["matrix_rows"] = [{"name": printable(p.name), "cells": [
        {"best": max(p.per_scenario[k]), "colour": _score_colour(max(p.per_scenario[k])),
         "detail": words("matrix_cell", last=p.per_scenario[k][-1], n=len(p.per_scenario[k]))}
        if p.per_scenario.get(k) else None for k in columns]} for p in data.players]
    page["legend"] = [(COLOURS[state], words("legend_" + state)) for state in ("in_order", "too_early", "not_done")]
    page["steps"] = [{
        "number": STEPS.index(summary.step) + 1, "label": words.label(summary.step),
        "assessed": words("assessed_in", n=summary.assessed),
        "bar": _stacked_bar([(COLOURS[state], summary.share(state), f"{words('legend_' + state)}: "
                              f"{summary.counts[state]}") for state in ("in_order", "too_early", "not_done")]),
        "strugglers": [f"{printable(name)} {ok}/{all_}" for name, ok, all_ in summary.strugglers()]}
        for summary in data.steps if summary.assessed]
    page["chart"] = _rule_chart(data.mistakes, words)
    page["mistakes"] = [{
        "count": m.count, "rule": words.rule_name(m.rule), "rule_text": words.rule_text(m.rule) or m.message,
        "choice": m.choice, "where": data.scenario_titles.get(m.scenario, m.scenario), "node": m.node,
        "feedback": m.feedback, "quotes": _quotes(m.quotes, m.more_quotes, words),
        "who": ", ".join(f"{printable(name)}{f' ({n}×)' if n > 1 else ''}" for name, n in m.players.most_common())}
        for m in data.mistakes]
    page["visible_mistakes"] = VISIBLE_MISTAKES
    page["show_all_mistakes"] = words("show_all_mistakes", n=len(data.mistakes))
    blocks = []
    for scenario in data.scenarios:
        meta_line = words("scenario_meta", n=scenario.conversations, language=scenario.language)
        if len(scenario.versions) > 1:
            meta_line += " · " + words("versions", n=len(scenario.versions))
        nodes = []
        for node in sorted(scenario.nodes.values(), key=lambda n: (n.first_seen, n.node)):
            options = []
            for text, option in sorted(node.options.items(), key=lambda item: (item[1]["order"], item[0])):
                share = option["count"] / node.visits if node.visits else 0
                kind = act_kind(option["act"])
                options.append({"text": text, "act": words.label(option["act"]), "colour": COLOURS[kind],
                                "meter": round(max(0.0, min(1.0, share)) * 220, 1), "taken": option["count"] > 0,
                                "count": words("taken", n=option["count"], pct=round(share * 100)),
                                "quotes": _quotes(option.get("quotes", []), option.get("more_quotes", 0), words)})
            nodes.append({"id": node.node, "visits": words("node_visits", n=node.visits),
                          "say": _shorten(node.say), "options": options})
        blocks.append({"title": scenario.title, "id": scenario.scenario, "language": scenario.language,
                       "meta": meta_line, "nodes": nodes})
    page["scenarios"] = blocks
    return page


def _environment(template_dir: str | None):
    """KlantSim's own templates are loaded once; a trainer's folder is read afresh each time (it may be edited)."""
    return _environment_for(template_dir) if template_dir is None else _environment_for.__wrapped__(template_dir)


@lru_cache(maxsize=1)
def _environment_for(template_dir: str | None):
    from jinja2 import ChoiceLoader, Environment, FileSystemLoader, StrictUndefined

    loaders = [FileSystemLoader(template_dir)] if template_dir else []
    loaders.append(FileSystemLoader(str(TEMPLATES)))
    return Environment(loader=ChoiceLoader(loaders), autoescape=True, undefined=StrictUndefined,
                       trim_blocks=True, lstrip_blocks=True)


def render_html(results: Iterable[ConversationResult], *, language: str = "nl", since: datetime | None = None,
                players: list[str] | None = None, generated_at: datetime | None = None,
                template_dir: str | Path | None = None) -> str:
    """The whole report as one HTML document."""
    words = Words(language)
    data = summarise(results)
    when = (generated_at or datetime.now(UTC)).astimezone().strftime("%Y-%m-%d %H:%M")
    filters = []
    if since is not None:
        moment = since.astimezone(UTC)
        shown = moment.strftime("%Y-%m-%d") if moment.time() == datetime.min.time() else \
            moment.strftime("%Y-%m-%d %H:%M UTC")
        filters.append(words("filter_since", since=shown))
    if players:
        filters.append(words("filter_players", players=", ".join(printable(p) for p in players)))
    meta = f"{words('generated', when=when)} · {'; '.join(filters) or words('filter_all')}"
    environment = _environment(str(template_dir) if template_dir else None)
    return environment.get_template("report.html").render(view_model(data, words, meta))


def write_report(results: Iterable[ConversationResult], path: str | Path, **options: Any) -> None:
    with open(path, "w", encoding="utf-8", newline="\n") as handle:
        handle.write(render_html(results, **options))


__all__ = ["render_html", "write_report", "summarise", "view_model", "TEMPLATES"]

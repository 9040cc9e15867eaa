"""YAML → Scenario with positions. Composes with libyaml, refuses aliases, and collects every problem.

PyYAML's `safe_load` would accept duplicate keys, follow alias bombs and quietly turn `No` into False; so we
compose the node tree (C speed, positions kept) and build the model from it ourselves, checking as we go.
"""
from __future__ import annotations

import gc
import re
from dataclasses import dataclass, field
from collections.abc import Callable, Collection, Iterable
from functools import cached_property
from pathlib import Path
from typing import TypeVar

import yaml
from yaml.nodes import MappingNode, Node as YNode, ScalarNode, SequenceNode

from simulator.diagnostics import Diagnostic, SourcePos, T, diag, has_errors
from simulator.digest import sha256
from simulator.scenario import conditions, limits
from simulator.scenario.checks import Survey, structural_checks
from simulator.scenario.model import (ACTS, CHANNELS, ENDINGS, LANGUAGES, STEPS, Choice, Condition, Customer,
                                      Node, Route, Scenario)

MAX_BYTES = 5 * 1024 * 1024
SCENARIO_ID = re.compile(r"[a-z0-9][a-z0-9-]*\Z")
NODE_ID = re.compile(r"[a-z0-9_]+\Z")
FLAG_NAME = re.compile(r"[A-Za-z0-9_\-]+\Z")
_MAYBE_ANCHOR = re.compile(r"(?<![A-Za-z0-9_\-])&[A-Za-z0-9_\-]")

_STR = "tag:yaml.org,2002:str"
_INT = "tag:yaml.org,2002:int"
_BOOL = "tag:yaml.org,2002:bool"
_NULL = "tag:yaml.org,2002:null"
_SEQ = "tag:yaml.org,2002:seq"
_MAP = "tag:yaml.org,2002:map"
_TYPE_NAMES = {_INT: T("number_kind"), _BOOL: T("bool_kind"), _NULL: T("null_kind"),
               "tag:yaml.org,2002:float": T("float_kind"), "tag:yaml.org,2002:timestamp": T("date_kind"),
               "tag:yaml.org,2002:map": T("mapping_kind"), "tag:yaml.org,2002:seq": T("list_kind")}

_INTS = yaml.constructor.SafeConstructor()
R = TypeVar("R")
Phrase = Callable[[], T]   # what a value is, put into words only when a problem is reported

TOP_KEYS = {"format", "id", "title", "summary", "language", "source", "difficulty", "channel", "assess",
            "customer", "start", "nodes"}
NODE_KEYS = {"say", "narration", "abusive", "choices", "ending"}
CHOICE_KEYS = {"text", "act", "effect", "set", "if", "feedback", "next"}
_EFFECT_KEYS = {"anger", "trust"}
_ROUTE_KEYS = {"if", "goto"}
_ACTS = {act: act for act in ACTS}   # each act's one string: the model shares it instead of one per choice
_NEEDED_KEYS = {"text", "act", "next", "feedback"}   # in a choice with nothing to report
_ENDINGS = frozenset(ENDINGS)


@dataclass
class LoadResult:
    path: str
    scenario: Scenario | None
    diagnostics: list[Diagnostic] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return self.scenario is not None and not has_errors(self.diagnostics)

    @property
    def first_error(self) -> Diagnostic | None:
        return next((d for d in self.diagnostics if d.is_error), None)


class _TooDeep(Exception):
    """Composing stopped: a list or mapping nested past the limit."""


class _Composer(yaml.CSafeLoader):
    """`yaml.compose` with the C loader, as cheap as it can be made and safe against deep nesting.

    libyaml parses in C, but the composer calls back into Python for every node: to resolve its tag, and to tell
    the resolver it enters a node and leaves it. Those calls cost more than the parsing. Here the tag is the one
    PyYAML's resolver gives (the safe loader has implicit resolvers only: a quoted scalar is text, a plain one
    gets the first implicit resolver that matches, remembered per value, since keys and acts repeat), and
    entering and leaving count the depth: the composer recurses in C once per level and would overflow the C
    stack some 25,000 levels down, so it stops one level past the limit (`_TooDeep`), and `near_limit` says
    whether any node came close.
    """

    def __init__(self, text: str, limit: int = limits.MAX_NESTING) -> None:
        super().__init__(text)
        self.near_limit = False
        table = self.yaml_implicit_resolvers
        anywhere: list[tuple[str, re.Pattern[str]]] = table.get(None) or []
        by_first = {first: resolvers + anywhere for first, resolvers in table.items() if first is not None}
        known: dict[str, str] = {}
        level = 0

        def resolve(kind: type, value: str, implicit: tuple[bool, bool]) -> str:
            # (for a list or mapping the composer passes None and a bool; `kind` tells them apart first)
            if kind is ScalarNode:
                if not implicit[0]:   # quoted, or a block scalar
                    return _STR
                tag = known.get(value)
                if tag is None:
                    tag = known[value] = next((tag for tag, pattern in by_first.get(value[:1], anywhere)
                                               if pattern.match(value)), _STR)
                return tag
            return _SEQ if kind is SequenceNode else _MAP

        def descend(parent: YNode | None, index: object) -> None:
            nonlocal level
            level += 1
            if level > limit:   # this node is a list or mapping past the limit, or a text at it
                self.near_limit = True
                if level > limit + 1:   # its parent is a list or mapping past the limit
                    raise _TooDeep

        def ascend() -> None:
            nonlocal level
            level -= 1

        self.resolve = resolve   # type: ignore[method-assign]
        self.descend_resolver = descend   # type: ignore[method-assign, assignment]
        self.ascend_resolver = ascend   # type: ignore[method-assign]


class _Builder:
    """Walks the composed node tree once, building the model and collecting diagnostics.

    A phrase saying what a value is (`what`) is passed as a function and put together only when a problem is
    reported: a good file, the common case, makes none. Each reader first checks the common good case in a few
    comparisons and otherwise takes the careful path that reports.
    """

    def __init__(self, path: str, text: str = ""):
        self.path = path
        self.text_of_file = text
        self.diagnostics: list[Diagnostic] = []
        self.seen: set[int] | None = set()   # None when the file cannot hold an alias
        self.targets: list[Route] = []   # every goto met (as a route, its condition aside), checked at the end
        self.node_ids: dict[str, str] = {}   # every node id (to itself), known before the nodes are built
        self.parsed: dict[str, conditions.Expr | conditions.ConditionError] = {}   # conditions repeat: parse once
        self.ints: dict[str, int | None] = {}
        self.survey: Survey | None = None   # what the structural checks look at, gathered as the nodes are built

    @cached_property
    def lines(self) -> list[str]:
        return self.text_of_file.splitlines()

    # -- positions and reporting -------------------------------------------------------------
    def pos(self, node: YNode) -> SourcePos:
        mark = node.start_mark
        return SourcePos(self.path, mark.line + 1, mark.column + 1)

    def report(self, code: str, node_or_pos: YNode | SourcePos, key: str, /, **args: object) -> None:
        pos = node_or_pos if isinstance(node_or_pos, SourcePos) else self.pos(node_or_pos)
        self.diagnostics.append(diag(code, pos, key, **args))

    # -- generic readers ---------------------------------------------------------------------
    def refuse_aliases(self, root: YNode) -> bool:
        """Report every place that uses an alias; True when there are none.

        libyaml composes an alias as the very node it names, so an alias shows as a node met twice. One walk
        with a set of visited nodes finds them all in time linear in the file, however large the blow-up.
        """
        seen: set[int] = set()
        reported: set[int] = set()
        stack: list[tuple[YNode, YNode]] = [(root, root)]  # (where a use is reported, node); document order
        clean = True
        while stack:
            where, node = stack.pop()
            if id(node) in seen:
                clean = False
                if id(where) not in reported:  # once per list: a bomb's list holds the same alias many times
                    reported.add(id(where))
                    self.report("KS004", where, "alias_used")
                continue
            seen.add(id(node))
            if isinstance(node, MappingNode):
                for key, value in reversed(node.value):
                    stack.append((key, value))
                    stack.append((key, key))
            elif isinstance(node, SequenceNode):
                stack.extend((node, item) for item in reversed(node.value))
        return clean

    def refuse_anchors(self, text: str) -> bool:
        """Report anchors ('&name'); only files that may hold one pay for this second parse. An anchor is '&' and a
        name (letters, digits, '_', '-'), never glued to a word before it: 'Jansen & Zn' and 'R&D' cannot be one."""
        if "&" not in text or not _MAYBE_ANCHOR.search(text):
            return True
        clean = True
        for event in yaml.parse(text, Loader=yaml.CSafeLoader):
            if isinstance(event, yaml.NodeEvent) and event.anchor and not isinstance(event, yaml.AliasEvent):
                mark = event.start_mark
                assert mark is not None  # the parser marks every event it emits
                self.report("KS004", SourcePos(self.path, mark.line + 1, mark.column + 1), "anchor_set",
                            anchor=event.anchor)
                clean = False
        return clean

    def visit(self, node: YNode, where: YNode) -> bool:
        """False when this node was met before (an alias, already reported): never walk it twice."""
        if self.seen is None:   # the file has no alias
            return True
        if id(node) in self.seen:
            return False
        self.seen.add(id(node))
        return True

    def mapping(self, node: YNode, what: Phrase, allowed: set[str]) -> dict[str, tuple[ScalarNode, YNode]]:
        """Key → (key node, value node), reporting duplicates and unknown keys; {} when not a mapping."""
        if node.__class__ is MappingNode and self.seen is None:
            pairs = node.value
            try:   # the good case: every key a distinct allowed word (a list or mapping as key is unhashable)
                out = {key.value: (key, value) for key, value in pairs}
            except TypeError:
                pass
            else:
                if len(out) == len(pairs) and (not allowed or out.keys() <= allowed):
                    return out
        if not isinstance(node, MappingNode):
            self.report("KS007", node, "not_mapping", what=what(), kind=self.kind(node))
            return {}
        out = {}
        for key, value in node.value:
            if not isinstance(key, ScalarNode):
                self.report("KS007", key, "key_not_word", what=what())
                continue
            if not self.visit(value, key):
                continue
            name = key.value
            if name in out:
                first = out[name][0]
                self.report("KS005", key, "duplicate_key", key=name, what=what(), line=first.start_mark.line + 1)
                continue
            if allowed and name not in allowed:
                self.report("KS105", key, "unknown_key", key=name, what=what(), suggest=suggest(name, allowed),
                            known=sorted(allowed))
                continue
            out[name] = (key, value)
        return out

    @staticmethod
    def kind(node: YNode) -> T:
        if isinstance(node, ScalarNode):
            if node.tag == _STR:
                return T("text_kind")
            return T("valued_kind", kind=_TYPE_NAMES.get(node.tag, node.tag), value=repr(node.value))
        return T("list_kind") if isinstance(node, SequenceNode) else T("mapping_kind")

    def clean_text(self, node: YNode, player_text: bool = False) -> str | None:
        """The text of a good text value, else None (then `text` reads it and says what is wrong)."""
        if node.__class__ is ScalarNode and node.tag == _STR:
            value: str = node.value
            # not blank (as `value.strip()`, without copying the text)
            if value and not value.isspace() and (node.style or not player_text or self.comment_after(node) is None):
                return value
        return None

    def text(self, node: YNode, what: Phrase, key: YNode | None = None, player_text: bool = False) -> str | None:
        value = self.clean_text(node, player_text)
        if value is not None:
            return value
        if isinstance(node, ScalarNode):
            if node.tag == _STR:
                if not node.value.strip():
                    self.report("KS007", node, "empty", what=what())
                    return None
                # player text, unquoted, with a comment after it (the good case returned above)
                self.report("KS033", node, "hash_in_text", what=what(), rest=self.comment_after(node))
                return None
            if node.tag == _NULL and not node.style:
                if player_text and self.comment_after(node) is not None:
                    self.report("KS033", node, "hash_empty", what=what())
                else:
                    self.report("KS007", key or node, "no_value", what=what())
                return None
            if not node.style:  # a plain (unquoted) scalar that YAML 1.1 resolved to another type
                self.report("KS008", node, "yaml_other_type", what=what(), value=repr(node.value),
                            kind=_TYPE_NAMES.get(node.tag, node.tag))
                return None
        self.report("KS007", node, "must_be_text", what=what(), kind=self.kind(node))
        return None

    def comment_after(self, node: ScalarNode) -> str | None:
        """The comment that follows an unquoted text on its own line ('Bel 06 #2' leaves '#2'), or None.

        A comment after two or more spaces is taken as meant (the `new` template writes them so); one space
        before '#' in the middle of a sentence is how text gets cut off by accident."""
        lines = self.lines
        end = node.end_mark
        if end.line >= len(lines) or node.start_mark.line != end.line:
            return None
        rest = lines[end.line][end.column:]
        if node.value == "":  # `say: #1 klant`: the whole value became a comment
            stripped = rest.lstrip(" ")
            return stripped if stripped.startswith("#") else None
        if rest.startswith(" #"):
            return rest[1:].rstrip()
        return None

    def parsed_condition(self, source: str) -> conditions.Expr | conditions.ConditionError:
        """The condition parsed, or why it does not parse; each text once (conditions repeat)."""
        parsed = self.parsed.get(source)
        if parsed is None:
            try:
                parsed = conditions.parse(source)
            except conditions.ConditionError as exc:
                parsed = exc
            self.parsed[source] = parsed
        return parsed

    def int_value(self, node: ScalarNode) -> int | None:
        """The number in a scalar YAML 1.1 reads as an integer (0x1A, 0o17, 1_000, 1:20 too, as PyYAML reads
        them), or None when it cannot be read; each text once."""
        try:
            return self.ints[node.value]
        except KeyError:
            try:
                value = _INTS.construct_yaml_int(node)
            except (ValueError, yaml.YAMLError):
                value = None
            self.ints[node.value] = value
            return value

    def integer(self, node: YNode, what: Phrase, low: int, high: int) -> int | None:
        if isinstance(node, ScalarNode) and node.tag == _INT:
            value = self.int_value(node)
            if value is None or not (low <= value <= high):
                self.report("KS020", node, "number_range", what=what(), value=node.value, low=low, high=high)
                return None
            return value
        self.report("KS007", node, "must_be_number", what=what(), low=low, high=high, kind=self.kind(node))
        return None

    def boolean(self, node: YNode, what: Phrase) -> bool:
        if isinstance(node, ScalarNode) and node.tag == _BOOL:
            return node.value.lower() in ("true", "yes", "on", "y")
        self.report("KS007", node, "must_be_bool", what=what(), kind=self.kind(node))
        return False

    def choice_of(self, node: YNode, what: Phrase, allowed: Collection[str], code: str = "KS010") -> str | None:
        value = self.text(node, what)
        if value is None:
            return None
        if value not in allowed:
            self.report(code, node, "not_allowed", what=what(), value=value, suggest=suggest(value, allowed),
                        allowed=list(allowed))
            return None
        return value

    def condition(self, node: YNode, what: Phrase) -> Condition | None:
        source = self.text(node, what)
        if source is None:
            return None
        assert isinstance(node, ScalarNode)  # text() reads nothing else
        parsed = self.parsed_condition(source)
        if isinstance(parsed, conditions.ConditionError):
            problem = parsed
            base = self.pos(node)
            # Point inside the condition: plain and quoted scalars on one line keep columns.
            offset = 1 if node.style in ('"', "'") else 0
            one_line = node.start_mark.line == node.end_mark.line
            column = base.column + offset + problem.column - 1 if one_line else base.column
            code = "KS028" if problem.over_limit else "KS015" if problem.unknown_variable else "KS014"
            self.report(code, SourcePos(self.path, base.line, column), "condition_error", what=what(),
                        source=source if len(source) <= 80 else source[:80] + "…",
                        problem=T(problem.key, **problem.params))
            return None
        return Condition(source, parsed, self.pos(node))


    # -- the good case of a choice, read in one go ---------------------------------------------
    def fields(self, node: YNode, allowed: set[str]) -> dict[str, YNode] | None:
        """Key → value node of a mapping whose keys are distinct allowed words, in a file without aliases; None
        for anything else."""
        if node.__class__ is not MappingNode or self.seen is not None:
            return None
        pairs = node.value
        try:   # a list or mapping as a key is unhashable
            out = {key.value: value for key, value in pairs}
        except TypeError:
            return None
        return out if len(out) == len(pairs) and out.keys() <= allowed else None

    def clean_int(self, node: YNode, low: int, high: int) -> int | None:
        if node.__class__ is not ScalarNode or node.tag != _INT:
            return None
        value = self.int_value(node)
        return value if value is not None and low <= value <= high else None

    def clean_condition(self, node: YNode) -> Condition | None:
        source = self.clean_text(node)
        if source is None:
            return None
        parsed = self.parsed_condition(source)
        return None if isinstance(parsed, conditions.ConditionError) else Condition(source, parsed, self.pos(node))

    def quick_choice(self, node: YNode) -> Choice | None:
        """A choice with nothing to report, read with as few checks as it takes (most choices of most files);
        None for anything else, which `choice` then reads carefully, reporting what is wrong."""
        f = self.fields(node, CHOICE_KEYS)
        if f is None or not f.keys() >= _NEEDED_KEYS:
            return None
        clean = self.clean_text
        text = clean(f["text"], True)
        feedback = clean(f["feedback"], True)
        act = _ACTS.get(f["act"].value) if f["act"].__class__ is ScalarNode and f["act"].tag == _STR else None
        if text is None or feedback is None or act is None:
            return None
        anger = trust = 0
        if "effect" in f:
            effect = self.fields(f["effect"], _EFFECT_KEYS)
            if effect is None:
                return None
            if "anger" in effect:
                anger = self.clean_int(effect["anger"], -100, 100)   # type: ignore[assignment]
            if "trust" in effect:
                trust = self.clean_int(effect["trust"], -100, 100)   # type: ignore[assignment]
            if anger is None or trust is None:
                return None
        sets: tuple[str, ...] = ()
        if "set" in f:
            snode = f["set"]
            flags = [clean(item) for item in (snode.value if snode.__class__ is SequenceNode else [snode])]
            if not all(flag is not None and FLAG_NAME.match(flag) for flag in flags):
                return None
            sets = tuple(flags)   # type: ignore[arg-type]
        when = None
        if "if" in f:
            when = self.clean_condition(f["if"])
            if when is None:
                return None
        routes = self.clean_routes(f["next"])
        if routes is None:
            return None
        self.targets += routes
        # positional, in the order of Choice's fields: a call with nine keywords costs a tenth of this reading
        return Choice(text, act, routes, self.pos(node), anger, trust, sets, when, feedback)

    def quick_node(self, name: str, key: YNode, node: YNode) -> Node | None:
        """A node with nothing to report itself (its choices are read as ever), read in one go; None for anything
        else, which `node` then reads carefully."""
        f = self.fields(node, NODE_KEYS)
        if f is None or ("say" not in f and "narration" not in f):
            return None
        say = narration = ending = None
        if "say" in f:
            say = self.clean_text(f["say"], True)
            if say is None:
                return None
        if "narration" in f:
            narration = self.clean_text(f["narration"], True)
            if narration is None:
                return None
        abusive = False
        if "abusive" in f:
            flag = f["abusive"]
            if flag.__class__ is not ScalarNode or flag.tag != _BOOL:
                return None
            abusive = flag.value.lower() in ("true", "yes", "on", "y")
        if "ending" in f:
            ending = self.clean_text(f["ending"])
            if ending not in _ENDINGS or "choices" in f:
                return None
            return Node(id=name, pos=self.pos(key), say=say, narration=narration, abusive=abusive, ending=ending)
        cnode = f.get("choices")
        if cnode.__class__ is not SequenceNode or not 2 <= len(cnode.value) <= 6:
            return None
        assert isinstance(cnode, SequenceNode)
        return Node(id=name, pos=self.pos(key), say=say, narration=narration, abusive=abusive,
                    choices=tuple(self.choices(name, cnode)))

    def clean_routes(self, node: YNode) -> tuple[Route, ...] | None:
        """The routes of a good `next`; each target the very string of the node id it names, when it names one
        (a look-up by it then finds the key by identity, without comparing the text)."""
        ids = self.node_ids
        if node.__class__ is ScalarNode:
            target = self.clean_text(node)
            return None if target is None else (Route(ids.get(target, target), None, self.pos(node)),)
        if node.__class__ is not SequenceNode or not node.value:
            return None
        routes: list[Route] = []
        last = len(node.value) - 1
        for index, item in enumerate(node.value):
            f = self.fields(item, _ROUTE_KEYS)
            if f is None or "goto" not in f or ("if" in f) == (index == last):
                return None
            goto = f["goto"]
            target = self.clean_text(goto)
            when = self.clean_condition(f["if"]) if index < last else None
            if target is None or (index < last and when is None):
                return None
            routes.append(Route(ids.get(target, target), when, self.pos(goto)))
        return tuple(routes)

    # -- the scenario ------------------------------------------------------------------------
    def scenario(self, root: YNode, version: str) -> Scenario | None:
        if self.seen is not None:
            self.seen.add(id(root))
        top = self.mapping(root, phrase("scenario"), TOP_KEYS)
        if not top:
            if isinstance(root, MappingNode):
                self.report("KS006", root, "no_keys")
            return None
        whole = self.pos(root)  # missing keys point at the top of the scenario mapping

        def need(key: str) -> YNode | None:
            if key not in top:
                self.report("KS006", whole, "missing_top", key=key)
                return None
            return top[key][1]

        def required(key: str, read: Callable[[YNode], R | None]) -> R | None:
            node = need(key)
            return None if node is None else read(node)

        fmt = need("format")
        if fmt is not None and not (isinstance(fmt, ScalarNode) and fmt.tag == _INT and fmt.value == "1"):
            self.report("KS023", fmt, "bad_format",
                        value=fmt.value if isinstance(fmt, ScalarNode) else self.kind(fmt))
        sid = need("id")
        scenario_id = self.text(sid, phrase("field", key="id")) if sid is not None else None
        if sid is not None and scenario_id is not None and not SCENARIO_ID.match(scenario_id):
            self.report("KS021", sid, "bad_scenario_id", value=scenario_id)
            scenario_id = None
        title = required("title", lambda n: self.text(n, phrase("field", key="title"), player_text=True))
        summary = required("summary", lambda n: self.text(n, phrase("field", key="summary"), player_text=True))
        language = required("language", lambda n: self.choice_of(n, phrase("field", key="language"), LANGUAGES))
        source = (self.text(top["source"][1], phrase("field", key="source"), player_text=True) if "source" in top
                  else None)
        difficulty = required("difficulty", lambda n: self.integer(n, phrase("field", key="difficulty"), 1, 3))
        channel = required("channel", lambda n: self.choice_of(n, phrase("field", key="channel"), CHANNELS))
        assess = self.assess(top["assess"][1]) if "assess" in top else STEPS
        customer = required("customer", self.customer)
        start_node = need("start")
        start = self.text(start_node, phrase("field", key="start")) if start_node is not None else None
        nodes = required("nodes", self.nodes)

        if nodes is not None and start_node is not None and start is not None and start not in self.node_ids:
            self.report("KS013", start_node, "start_unknown", target=start, suggest=suggest(start, nodes))
        if isinstance(nodes, dict):
            self.references(set(nodes) | self.node_ids.keys())
        if (has_errors(self.diagnostics) or scenario_id is None or title is None or summary is None
                or language is None or difficulty is None or channel is None or customer is None or start is None
                or nodes is None or assess is None):
            return None
        return Scenario(id=scenario_id, title=title, summary=summary, language=language, difficulty=difficulty,
                        channel=channel, customer=customer, start=start, nodes=nodes, assess=assess,
                        source=source, path=self.path, version=version)

    def assess(self, node: YNode) -> tuple[str, ...] | None:
        if not isinstance(node, SequenceNode):
            self.report("KS007", node, "assess_not_list", kind=self.kind(node))
            return None
        steps = []
        for item in node.value:
            if not self.visit(item, node):
                continue
            step = self.choice_of(item, phrase("assess_step"), STEPS, code="KS025")
            if step is not None and step not in steps:
                steps.append(step)
        return tuple(s for s in STEPS if s in steps)

    def customer(self, node: YNode) -> Customer | None:
        customer = phrase("customer")
        fields = self.mapping(node, customer, {"name", "anger", "trust"})
        if not fields:
            return None
        if "name" not in fields:
            self.report("KS006", node, "customer_no_name")
            return None

        name = self.text(fields["name"][1], phrase("field_of", customer, key="name"), player_text=True)
        anger = (self.integer(fields["anger"][1], phrase("field_of", customer, key="anger"), 0, 100)
                 if "anger" in fields else 50)
        trust = (self.integer(fields["trust"][1], phrase("field_of", customer, key="trust"), 0, 100)
                 if "trust" in fields else 50)
        if name is None or anger is None or trust is None:
            return None
        return Customer(name, anger, trust)

    def nodes(self, node: YNode) -> dict[str, Node] | None:
        entries = self.mapping(node, phrase("nodes"), set())
        if not entries:
            if isinstance(node, MappingNode):
                self.report("KS006", node, "nodes_empty")
            return None
        out: dict[str, Node] = {}
        self.node_ids = {name: name for name in entries}
        survey = self.survey = Survey(node_ids=self.node_ids)
        for name, (key, value) in entries.items():
            if key.tag != _STR and not key.style:
                self.report("KS008", key, "node_id_type", value=repr(name), kind=_TYPE_NAMES.get(key.tag, key.tag))
                continue
            if not NODE_ID.match(name):
                self.report("KS021", key, "bad_node_id", value=name)
                continue
            built = self.quick_node(name, key, value) or self.node(name, key, value)
            if built is not None:
                out[name] = built
                survey.add(built)
            if self.seen is None and isinstance(value, MappingNode):
                # Its part of the tree is read: let it go now, and the model's next objects reuse its memory while
                # that is still in the processor's cache (a file with aliases keeps it: a node may be met again).
                value.value = []
        return out

    def node(self, name: str, key: YNode, node: YNode) -> Node | None:
        here = phrase("node", node=name)
        f = self.mapping(node, here, NODE_KEYS)
        if not f:
            return None
        say = self.text(f["say"][1], phrase("field_of", here, key="say"), player_text=True) if "say" in f else None
        narration = (self.text(f["narration"][1], phrase("field_of", here, key="narration"), player_text=True)
                     if "narration" in f else None)
        if "say" not in f and "narration" not in f:
            self.report("KS024", key, "no_say", node=name)
        abusive = self.boolean(f["abusive"][1], phrase("field_of", here, key="abusive")) if "abusive" in f else False
        ending = (self.choice_of(f["ending"][1], phrase("ending_of", node=name), ENDINGS, code="KS012")
                  if "ending" in f else None)
        choices: list[Choice] = []
        if "choices" in f:
            ckey, cnode = f["choices"]
            if ending is not None or "ending" in f:
                self.report("KS018", ckey, "ending_with_choices", node=name)
            elif not isinstance(cnode, SequenceNode):
                self.report("KS007", cnode, "choices_not_list", node=name, kind=self.kind(cnode))
            else:
                if not 2 <= len(cnode.value) <= 6:
                    self.report("KS017", ckey, "choice_count", node=name, count=len(cnode.value))
                choices = self.choices(name, cnode)
        elif "ending" not in f:
            self.report("KS017", key, "no_choices", node=name)
        return Node(id=name, pos=self.pos(key), say=say, narration=narration, abusive=abusive, ending=ending,
                    choices=tuple(choices))

    def choices(self, name: str, node: SequenceNode) -> list[Choice]:
        out = []
        for number, item in enumerate(node.value, 1):
            if self.seen is None or self.visit(item, node):
                choice = self.quick_choice(item) or self.choice(name, number, item)
                if choice is not None:
                    out.append(choice)
        return out

    def choice(self, node_id: str, number: int, node: YNode) -> Choice | None:
        what = phrase("choice", number=number, node=node_id)
        f = self.mapping(node, what, CHOICE_KEYS)
        if not f:
            return None
        ok = "text" in f and "act" in f and "next" in f
        if not ok:
            for key in ("text", "act", "next"):
                if key not in f:
                    self.report("KS006", node, "choice_missing", what=what(), key=key)
        text = self.text(f["text"][1], phrase("field_of", what, key="text"), player_text=True) if "text" in f else None
        act = self.choice_of(f["act"][1], phrase("act_of", what), ACTS, code="KS011") if "act" in f else None
        anger: int | None = 0
        trust: int | None = 0
        if "effect" in f:
            where = phrase("effect_of", what)
            effect = self.mapping(f["effect"][1], where, {"anger", "trust"})
            if "anger" in effect:
                anger = self.integer(effect["anger"][1], phrase("field_of", where, key="anger"), -100, 100)
            if "trust" in effect:
                trust = self.integer(effect["trust"][1], phrase("field_of", where, key="trust"), -100, 100)
        sets: list[str] = []
        if "set" in f:
            snode = f["set"][1]
            items = snode.value if isinstance(snode, SequenceNode) else [snode]
            for item in items:
                flag = self.text(item, phrase("flag_in", what))
                if flag is not None and not FLAG_NAME.match(flag):
                    self.report("KS021", item, "bad_flag", value=flag)
                    flag = None
                if flag is not None:
                    sets.append(flag)
        when = self.condition(f["if"][1], phrase("condition_of", what)) if "if" in f else None
        if "feedback" in f:
            feedback = self.text(f["feedback"][1], phrase("field_of", what, key="feedback"), player_text=True)
        else:
            feedback = None
            self.report("KS103", node, "no_feedback", what=what())
        routes = self.routes(f["next"][1], what) if "next" in f else None
        if (not ok or text is None or act is None or anger is None or trust is None or routes is None
                or ("if" in f and when is None)):
            return None
        return Choice(text=text, act=act, routes=routes, pos=self.pos(node), anger=anger, trust=trust,
                      sets=tuple(sets), when=when, feedback=feedback)

    def routes(self, node: YNode, what: Phrase) -> tuple[Route, ...] | None:
        if isinstance(node, ScalarNode):
            target = self.text(node, phrase("field_of", what, key="next"))
            if target is None:
                return None
            pos = self.pos(node)
            self.targets.append(Route(target, None, pos))
            return (Route(target, None, pos),)
        if not isinstance(node, SequenceNode) or not node.value:
            self.report("KS019", node, "next_shape", what=what())
            return None
        routes: list[Route] = []
        bad = False
        entries = node.value
        for index, item in enumerate(entries):
            if not self.visit(item, node):
                bad = True
                continue
            last = index == len(entries) - 1
            f = self.mapping(item, phrase("next_entry", what, index=index + 1), {"if", "goto"})
            if "goto" not in f:
                self.report("KS019", item, "next_no_goto", index=index + 1, what=what())
                bad = True
                continue
            if last and "if" in f:
                self.report("KS019", f["if"][0], "next_last_if", what=what())
                bad = True
            if not last and "if" not in f:
                self.report("KS019", item, "next_needs_if", index=index + 1, what=what())
                bad = True
            goto = f["goto"][1]
            target = self.text(goto, phrase("field_of", what, key="goto"))
            pos = self.pos(goto)
            if target is not None:
                self.targets.append(Route(target, None, pos))
            when = (self.condition(f["if"][1], phrase("route_condition", what, target=target))
                    if ("if" in f and not last) else None)
            if target is None or (not last and "if" in f and when is None):
                bad = True
                continue
            routes.append(Route(target, when, pos))
        return None if bad else tuple(routes)

    def references(self, known: set[str]) -> None:
        for route in self.targets:
            if route.goto not in known:
                self.report("KS013", route.pos, "next_unknown", target=route.goto, suggest=suggest(route.goto, known))


def phrase(key: str, within: Phrase | None = None, /, **args: object) -> Phrase:
    """The phrase `key` (with `within`, the phrase of what holds it, as its `what`), put together when called."""
    if within is None:
        return lambda: T(key, **args)
    return lambda: T(key, what=within(), **args)


def suggest(name: str, known: Iterable[str]) -> T | str:
    """' (did you mean 'X'?)' for the known name closest to a misspelt one, or nothing."""
    import difflib   # only a file with a mistake needs it

    close = difflib.get_close_matches(name, sorted(known), n=1, cutoff=0.6)
    return T("suggest", name=close[0]) if close else ""


def _unclosed_quote(line: str) -> int | None:
    """The column (0-based) of a quote that opens a value on this line and is not closed on it, or None."""
    key, sep, value = line.partition(": ")
    if not sep:
        return None
    stripped = value.lstrip()
    if stripped[:1] not in ("'", '"'):
        return None
    quote = stripped[0]
    body = stripped[1:].replace("\\\\", "").replace('\\"', "") if quote == '"' else stripped[1:].replace("''", "")
    return len(key) + len(sep) + (len(value) - len(stripped)) if quote not in body else None


def yaml_problem(text: str, path: str, exc: yaml.MarkedYAMLError) -> Diagnostic:
    """A YAML syntax error in the trainer's words: tabs, a colon or quote in text, indentation; else KS001."""
    mark = exc.problem_mark or exc.context_mark
    if mark is None:
        return diag("KS001", SourcePos(path), "yaml_error", problem=str(exc).splitlines()[0])
    pos = SourcePos(path, mark.line + 1, mark.column + 1)
    problem = f"{exc.problem}" + (f" ({exc.context})" if exc.context else "")
    if "found undefined alias" in problem or "found duplicate anchor" in problem:
        return diag("KS004", pos, "alias_problem", problem=problem)
    lines = text.splitlines()
    here = lines[mark.line] if mark.line < len(lines) else ""
    # A tab: on the line of the error, or the first one above it (libyaml often stops a line later).
    if "tab" in problem or "\t" in here or "cannot start any token" in problem:
        for number in range(min(mark.line, len(lines) - 1), -1, -1):
            if "\t" in lines[number]:
                return diag("KS031", SourcePos(path, number + 1, lines[number].index("\t") + 1), "tab",
                            line=number + 1)
    if exc.context == "while scanning a quoted scalar" and exc.context_mark is not None:
        start = exc.context_mark
        quote = lines[start.line][start.column] if start.line < len(lines) else '"'
        return diag("KS034", SourcePos(path, start.line + 1, start.column + 1), "unclosed_quote", quote=quote,
                    line=start.line + 1)
    key, _, value = here.strip().lstrip("- ").partition(": ")
    value = value.strip()
    if "mapping values are not allowed" in problem:
        first_colon = here.find(": ")
        if 0 <= first_colon < mark.column - 1 and value and value[0] not in "\"'":
            return diag("KS032", pos, "colon_in_text", key=key.strip())
    if value[:1] in ("'", '"') and value.count(value[0]) > 2 and "expected key" in problem:
        return diag("KS034", SourcePos(path, mark.line + 1, here.index(value[0]) + 1), "quote_inside",
                    quote=value[0])
    if "expected key" in problem or "expected <block end>" in problem:
        # A quote left open runs on over the next lines until the next quote: find the line that opened it.
        first = exc.context_mark.line if exc.context_mark is not None else 0
        for number in range(min(mark.line, len(lines) - 1), first - 1, -1):
            opened = _unclosed_quote(lines[number])
            if opened is not None:
                return diag("KS034", SourcePos(path, number + 1, opened + 1), "unclosed_quote",
                            quote=lines[number][opened], line=number + 1)
    if ("expected key" in problem or "indicator" in problem or "expected <block end>" in problem
            or "mapping values are not allowed" in problem):
        indent = len(here) - len(here.lstrip(" "))
        above = next((n for n in range(mark.line - 1, -1, -1) if lines[n].strip()
                      and not lines[n].lstrip().startswith("#")), None)
        if above is None:
            return diag("KS035", SourcePos(path, mark.line + 1, indent + 1), "bad_indent_first", spaces=indent)
        key_column = len(lines[above]) - len(lines[above].lstrip(" -"))  # where the key above starts
        return diag("KS035", SourcePos(path, mark.line + 1, indent + 1), "bad_indent", spaces=indent,
                    line=above + 1, above=key_column)
    return diag("KS001", pos, "yaml_error", problem=problem)


def load_text(text: str, path: str = "<text>", version: str = "") -> LoadResult:
    """Load a scenario from text; never raises for bad input."""
    # Composing and building make hundreds of thousands of objects that all stay alive: the cyclic collector would
    # scan them again and again while they are made (time growing faster than the file) and find nothing to free.
    enabled = gc.isenabled()
    gc.disable()
    try:
        return _load_text(text, path, version)
    finally:
        if enabled:
            gc.enable()


def _load_text(text: str, path: str, version: str) -> LoadResult:
    builder = _Builder(path, text)
    composer = _Composer(text)
    try:
        root = composer.get_single_node()
    except _TooDeep:
        root = None
    except yaml.YAMLError as exc:
        # Refused the way it always was: the nesting first (the first level too deep, even when a problem the
        # composer meets comes later in the file), then the problem in the trainer's words.
        too_deep = limits.nesting_problem(text, path)
        if too_deep is not None:
            return LoadResult(path, None, [too_deep])
        if isinstance(exc, yaml.MarkedYAMLError):
            return LoadResult(path, None, [yaml_problem(text, path, exc)])
        return LoadResult(path, None, [diag("KS001", SourcePos(path), "yaml_error", problem=str(exc).splitlines()[0])])
    finally:
        composer.dispose()
    if composer.near_limit:   # a list or mapping at the limit or past it: the exact scan says where, if anywhere
        too_deep = limits.nesting_problem(text, path)
        if too_deep is not None:
            return LoadResult(path, None, [too_deep])
    if root is None:
        return LoadResult(path, None, [diag("KS006", SourcePos(path), "empty_file")])
    if "*" in text:   # an alias needs a '*': without one no node can be met twice, and the build is the only walk
        builder.refuse_aliases(root)
    else:
        builder.seen = None
    builder.refuse_anchors(text)
    scenario = builder.scenario(root, version)  # safe even with aliases: no node is walked twice
    diagnostics = sorted(builder.diagnostics, key=lambda d: (d.pos.line, d.pos.column, d.code))
    if scenario is not None:
        # the survey gathered while building holds for the scenario when every node in the file was built
        survey = builder.survey
        whole = survey is not None and len(survey.edges) == len(survey.node_ids) == len(scenario.nodes)
        diagnostics += structural_checks(scenario, survey if whole else None)
    if has_errors(diagnostics):
        scenario = None
    return LoadResult(path, scenario, diagnostics)


def load_file(path: str | Path) -> LoadResult:
    """Load a scenario file; a missing, unreadable, huge or non-UTF-8 file is a diagnostic, not an exception."""
    path = Path(path)
    shown = str(path)
    data = limits.read_regular_file(str(path), shown, MAX_BYTES)
    if isinstance(data, Diagnostic):
        return LoadResult(shown, None, [data])
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        return LoadResult(shown, None, [diag("KS002", SourcePos(shown, line), "not_utf8")])
    return load_text(text, shown, sha256(data).hexdigest())

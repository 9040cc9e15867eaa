"""The condition language of scenario files: tokenizer, parser and evaluator. Never `eval`.

Grammar (format page):
    expr    := or
    or      := and ("or" and)*
    and     := not ("and" not)*
    not     := "not" not | atom
    atom    := "(" expr ")" | "flag:" NAME | VAR OP INT | INT OP VAR
    VAR     := anger | trust | turns
    OP      := < <= > >= == !=
"""
from __future__ import annotations

import re
from collections.abc import Callable, Container, Iterator
from dataclasses import dataclass

VARIABLES = ("anger", "trust", "turns")
# Limits on a condition, so that no condition can exhaust the parser's or the evaluator's recursion (both nest
# once per parenthesis, `not` or `and`/`or`) or Python's int conversion; far beyond what any author writes.
MAX_LENGTH = 500
MAX_DEPTH = 20
MAX_DIGITS = 6
_OPS: dict[str, Callable[[int, int], bool]] = {
    "<": lambda a, b: a < b, "<=": lambda a, b: a <= b, ">": lambda a, b: a > b,
    ">=": lambda a, b: a >= b, "==": lambda a, b: a == b, "!=": lambda a, b: a != b}
_FLIP = {"<": ">", "<=": ">=", ">": "<", ">=": "<=", "==": "==", "!=": "!="}


class ConditionError(ValueError):
    """A condition that does not parse; `column` is 1-based within the condition text."""

    def __init__(self, message: str, column: int, unknown_variable: bool = False, over_limit: bool = False,
                 key: str = "", **args: object) -> None:
        super().__init__(message)
        self.message = message
        self.column = column
        self.unknown_variable = unknown_variable
        self.over_limit = over_limit    # longer, deeper or with bigger numbers than MAX_LENGTH/DEPTH/DIGITS
        self.key = key    # the phrase in simulator.diagnostics that says it in Dutch or English
        self.params = args


@dataclass(frozen=True)
class Compare:
    var: str
    op: str
    value: int


@dataclass(frozen=True)
class Flag:
    name: str


@dataclass(frozen=True)
class Not:
    operand: Expr


@dataclass(frozen=True)
class And:
    left: Expr
    right: Expr


@dataclass(frozen=True)
class Or:
    left: Expr
    right: Expr


Expr = Compare | Flag | Not | And | Or

_TOKEN = re.compile(r"""
    (?P<space>\s+)
  | (?P<flag>flag:(?P<flagname>[A-Za-z0-9_\-]*))
  | (?P<int>-?[0-9]+)
  | (?P<op><=|>=|==|!=|<|>)
  | (?P<lparen>\()
  | (?P<rparen>\))
  | (?P<word>[A-Za-z_][A-Za-z0-9_]*)
""", re.VERBOSE)


class _Tok:
    """A token (a plain class: it never leaves the parser, and a dataclass costs every start-up its making)."""

    __slots__ = ("column", "kind", "text")

    def __init__(self, kind: str, text: str, column: int) -> None:
        self.kind = kind
        self.text = text
        self.column = column


def tokenize(text: str) -> list[_Tok]:
    if len(text) > MAX_LENGTH:
        raise ConditionError(f"the condition is {len(text)} characters long; the limit is {MAX_LENGTH}",
                             MAX_LENGTH + 1, over_limit=True, key="cond_too_long", length=len(text),
                             limit=MAX_LENGTH)
    tokens, i = [], 0
    while i < len(text):
        m = _TOKEN.match(text, i)
        if not m:
            raise ConditionError(f"unexpected character {text[i]!r}", i + 1, key="cond_char", char=repr(text[i]))
        kind = m.lastgroup if m.lastgroup != "flagname" else "flag"
        assert kind is not None  # every alternative of _TOKEN is a named group
        if kind == "flag" or m.group("flag"):
            if not m.group("flagname"):
                raise ConditionError("'flag:' must be followed by a flag name, e.g. flag:gewaarschuwd", i + 1,
                                     key="cond_flag_name")
            tokens.append(_Tok("flag", m.group("flagname"), i + 1))
        elif kind == "word":
            word = m.group("word")
            tokens.append(_Tok(word if word in ("and", "or", "not") else "var", word, i + 1))
        elif kind == "int" and len(m.group("int").lstrip("-")) > MAX_DIGITS:
            raise ConditionError(f"the number {m.group('int')[:12]}… has more than {MAX_DIGITS} digits", i + 1,
                                 over_limit=True, key="cond_too_many_digits", number=m.group("int")[:12],
                                 limit=MAX_DIGITS)
        elif kind != "space":
            tokens.append(_Tok(kind, m.group(kind), i + 1))
        i = m.end()
    tokens.append(_Tok("end", "", len(text) + 1))
    return tokens


class _Parser:
    def __init__(self, text: str):
        self.tokens = tokenize(text)
        self.i = 0
        self.depth = 0   # parentheses and `not` open around the current token

    def deeper(self, tok: _Tok) -> None:
        self.depth += 1
        if self.depth > MAX_DEPTH:
            raise ConditionError(f"the condition nests more than {MAX_DEPTH} parentheses or 'not' deep", tok.column,
                                 over_limit=True, key="cond_too_deep", limit=MAX_DEPTH)

    def peek(self) -> _Tok:
        return self.tokens[self.i]

    def take(self) -> _Tok:
        tok = self.tokens[self.i]
        self.i += 1
        return tok

    def parse(self) -> Expr:
        if self.peek().kind == "end":
            raise ConditionError("the condition is empty", 1, key="cond_empty")
        expr = self.parse_or()
        tok = self.peek()
        if tok.kind != "end":
            raise ConditionError(f"unexpected {tok.text!r}; join conditions with 'and' or 'or'", tok.column,
                                 key="cond_join", token=repr(tok.text))
        return expr

    def parse_or(self) -> Expr:
        left = self.parse_and()
        while self.peek().kind == "or":
            self.take()
            left = Or(left, self.parse_and())
        return left

    def parse_and(self) -> Expr:
        left = self.parse_not()
        while self.peek().kind == "and":
            self.take()
            left = And(left, self.parse_not())
        return left

    def parse_not(self) -> Expr:
        if self.peek().kind == "not":
            self.deeper(self.take())
            expr = Not(self.parse_not())
            self.depth -= 1
            return expr
        return self.parse_atom()

    def parse_atom(self) -> Expr:
        tok = self.take()
        if tok.kind == "lparen":
            self.deeper(tok)
            expr = self.parse_or()
            close = self.take()
            if close.kind != "rparen":
                raise ConditionError(f"expected ')' to close the '(' at column {tok.column}", close.column,
                                     key="cond_close", opened=tok.column)
            self.depth -= 1
            return expr
        if tok.kind == "flag":
            return Flag(tok.text)
        if tok.kind == "var":
            self._known(tok)
            op = self._op()
            value = self.take()
            if value.kind != "int":
                raise ConditionError(f"expected a whole number after {op!r}", value.column, key="cond_number",
                                     op=repr(op))
            return Compare(tok.text, op, int(value.text))
        if tok.kind == "int":
            op = self._op()
            var = self.take()
            if var.kind != "var":
                raise ConditionError("expected anger, trust or turns", var.column, key="cond_var")
            self._known(var)
            return Compare(var.text, _FLIP[op], int(tok.text))
        if tok.kind == "end":
            raise ConditionError("the condition ends too early", tok.column, key="cond_short")
        raise ConditionError(f"unexpected {tok.text!r}; expected a comparison, flag:NAME, 'not' or '('", tok.column,
                             key="cond_unexpected", token=repr(tok.text))

    def _op(self) -> str:
        tok = self.take()
        if tok.kind != "op":
            raise ConditionError("expected a comparison (<, <=, >, >=, ==, !=)", tok.column, key="cond_op")
        return tok.text

    @staticmethod
    def _known(tok: _Tok) -> None:
        if tok.text not in VARIABLES:
            raise ConditionError(f"unknown variable {tok.text!r}; use anger, trust, turns or flag:NAME",
                                 tok.column, unknown_variable=True, key="cond_unknown_var", name=repr(tok.text))


def parse(text: str) -> Expr:
    """Parse a condition, raising ConditionError with the column of the problem."""
    return _Parser(text).parse()


def evaluate(expr: Expr, anger: int, trust: int, turns: int, flags: Container[str]) -> bool:
    """Evaluate a parsed condition against the conversation's current values."""
    if isinstance(expr, Compare):
        value = anger if expr.var == "anger" else trust if expr.var == "trust" else turns
        return _OPS[expr.op](value, expr.value)
    if isinstance(expr, Flag):
        return expr.name in flags
    if isinstance(expr, Not):
        return not evaluate(expr.operand, anger, trust, turns, flags)
    if isinstance(expr, And):
        return evaluate(expr.left, anger, trust, turns, flags) and evaluate(expr.right, anger, trust, turns, flags)
    return evaluate(expr.left, anger, trust, turns, flags) or evaluate(expr.right, anger, trust, turns, flags)


def walk(expr: Expr) -> Iterator[Expr]:
    """Every sub-expression, for analysis (which variables and flags a scenario reads)."""
    yield expr
    if isinstance(expr, Not):
        yield from walk(expr.operand)
    elif isinstance(expr, (And, Or)):
        yield from walk(expr.left)
        yield from walk(expr.right)

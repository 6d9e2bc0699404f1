"""Skip logic: a small, safe expression language (no ``eval``).

The syntax is the subset of XLSForm's ``relevant`` column that surveys need, so an
imported form keeps its conditions unchanged::

    ${sector} = 'public' and ${fte} >= 50
    selected(${tasks}, 'groups') or not(${has_jd} = 'yes')
    count-selected(${tasks}) > 2

The parser turns an expression into a tree of JSON-ready lists; the server
evaluates the tree here and the respondent's page evaluates the same tree in
``static/peerwork/survey.js``, so both sides agree without a second parser.
"""

from __future__ import annotations

import re
from typing import Any

from django.utils.translation import gettext as _

Node = list[Any]

_TOKEN = re.compile(r"""
    \s*(?:
      (?P<ref>\$\{[a-z][a-z0-9_]*\})
    | (?P<num>-?\d+(?:\.\d+)?)
    | (?P<str>'[^']*'|"[^"]*")
    | (?P<op><=|>=|!=|=|<|>|\(|\)|,)
    | (?P<word>[a-z][a-z-]*)
    )""", re.VERBOSE)

COMPARISONS = ("=", "!=", "<", "<=", ">", ">=")
FUNCTIONS = {"selected": 2, "count-selected": 1, "not": 1}
MAX_LENGTH = 500
MAX_DEPTH = 20


class ExpressionError(ValueError):
    """The expression cannot be read; the message says where."""


def _tokens(text: str) -> list[tuple[str, str]]:
    out: list[tuple[str, str]] = []
    pos = 0
    text = text.rstrip()
    while pos < len(text):
        match = _TOKEN.match(text, pos)
        if match is None or match.end() == pos:
            raise ExpressionError(_("unexpected character at position %(position)s: “%(text)s”") % {
                "position": pos + 1, "text": text[pos:pos + 10]})
        kind = match.lastgroup or ""
        out.append((kind, match.group(kind)))
        pos = match.end()
    return out


class _Parser:
    def __init__(self, tokens: list[tuple[str, str]]) -> None:
        self.tokens = tokens
        self.pos = 0
        self.depth = 0

    def peek(self) -> tuple[str, str] | None:
        return self.tokens[self.pos] if self.pos < len(self.tokens) else None

    def take(self, value: str | None = None) -> tuple[str, str]:
        token = self.peek()
        if token is None:
            raise ExpressionError(_("the expression ends too early"))
        if value is not None and token[1] != value:
            raise ExpressionError(_("expected “%(expected)s” but found “%(found)s”") % {
                "expected": value, "found": token[1]})
        self.pos += 1
        return token

    def parse(self) -> Node:
        node = self.or_()
        if self.peek() is not None:
            raise ExpressionError(_("unexpected “%(found)s”") % {"found": self.peek()[1]})  # type: ignore[index]
        return node

    def or_(self) -> Node:
        node = self.and_()
        while self.peek() == ("word", "or"):
            self.take()
            node = ["or", node, self.and_()]
        return node

    def and_(self) -> Node:
        node = self.comparison()
        while self.peek() == ("word", "and"):
            self.take()
            node = ["and", node, self.comparison()]
        return node

    def comparison(self) -> Node:
        node = self.unary()
        token = self.peek()
        if token is not None and token[0] == "op" and token[1] in COMPARISONS:
            self.take()
            node = [token[1], node, self.unary()]
        return node

    def unary(self) -> Node:
        self.depth += 1
        if self.depth > MAX_DEPTH:
            raise ExpressionError(_("the expression is nested too deeply"))
        try:
            return self._unary()
        finally:
            self.depth -= 1

    def _unary(self) -> Node:
        kind, value = self.take()
        if kind == "ref":
            return ["ref", value[2:-1]]
        if kind == "num":
            return ["lit", float(value)]
        if kind == "str":
            return ["lit", value[1:-1]]
        if value == "(":
            node = self.or_()
            self.take(")")
            return node
        if kind == "word" and value == "not" and self.peek() != ("op", "("):
            return ["not", self.comparison()]
        if kind == "word" and value in FUNCTIONS:
            self.take("(")
            args = [self.or_()]
            while self.peek() == ("op", ","):
                self.take()
                args.append(self.or_())
            self.take(")")
            if len(args) != FUNCTIONS[value]:
                raise ExpressionError(_("%(function)s() takes %(count)s argument(s)") % {
                    "function": value, "count": FUNCTIONS[value]})
            return [value, *args]
        raise ExpressionError(_("unexpected “%(found)s”") % {"found": value})


def parse(text: str) -> Node:
    """The tree of ``text``; raises ExpressionError with a readable reason."""
    if len(text) > MAX_LENGTH:
        raise ExpressionError(_("the expression is longer than %(limit)s characters") % {"limit": MAX_LENGTH})
    if not text.strip():
        raise ExpressionError(_("the expression is empty"))
    return _Parser(_tokens(text)).parse()


def references(node: Node) -> set[str]:
    """The question ids an expression reads."""
    if node[0] == "ref":
        return {node[1]}
    if node[0] == "lit":
        return set()
    found: set[str] = set()
    for child in node[1:]:
        found |= references(child)
    return found


def _number(value: Any) -> float | None:
    if isinstance(value, bool) or value is None or isinstance(value, list):
        return None
    try:
        return float(value)
    except (TypeError, ValueError):
        return None


def _compare(op: str, left: Any, right: Any) -> bool:
    if isinstance(left, list) or isinstance(right, list):
        return False
    a, b = _number(left), _number(right)
    if a is None or b is None:
        if op in ("=", "!="):
            same = ("" if left is None else str(left)) == ("" if right is None else str(right))
            return same if op == "=" else not same
        if left is None or right is None:
            return False
        sa, sb = str(left), str(right)
        return {"<": sa < sb, "<=": sa <= sb, ">": sa > sb, ">=": sa >= sb}[op]
    return {"=": a == b, "!=": a != b, "<": a < b, "<=": a <= b, ">": a > b, ">=": a >= b}[op]


def evaluate(node: Node, answers: dict[str, Any]) -> Any:
    """The value of ``node`` given the answers so far (missing answers are None)."""
    op = node[0]
    if op == "lit":
        return node[1]
    if op == "ref":
        return answers.get(node[1])
    if op == "and":
        return bool(evaluate(node[1], answers)) and bool(evaluate(node[2], answers))
    if op == "or":
        return bool(evaluate(node[1], answers)) or bool(evaluate(node[2], answers))
    if op == "not":
        return not evaluate(node[1], answers)
    if op == "selected":
        chosen = evaluate(node[1], answers)
        wanted = evaluate(node[2], answers)
        if isinstance(chosen, list):
            return str(wanted) in [str(c) for c in chosen]
        return chosen is not None and str(chosen).split() .count(str(wanted)) > 0
    if op == "count-selected":
        chosen = evaluate(node[1], answers)
        return float(len(chosen)) if isinstance(chosen, list) else 0.0
    return _compare(op, evaluate(node[1], answers), evaluate(node[2], answers))


def is_true(node: Node | None, answers: dict[str, Any]) -> bool:
    """Whether a condition holds; no condition means always."""
    return True if node is None else bool(evaluate(node, answers))

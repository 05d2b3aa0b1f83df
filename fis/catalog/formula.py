"""The formula grammar of the catalogue: parse, print, list variables, turn into SQL, describe.

Grammar (CATALOGUE.md, "Formelschreibweise")::

    expr    := term (("+" | "-") term)*
    term    := unary (("*" | "/") unary)*
    unary   := "-" unary | primary
    primary := NUMBER | VAR ["[" "t" ["-" INT] "]"] | "mean4" "(" expr ")" | "(" expr ")"

`mean4(e)` is expanded at parse time into `(e + e[t-1] + e[t-2] + e[t-3]) / 4` (every variable
shifted), so the AST holds only Var, Num, Neg and BinOp. Text never reaches SQL: `to_sql` builds
SQL from the AST, with column references supplied by the caller.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from decimal import Decimal

from fis.errors import FormulaError

ID_PATTERN = re.compile(r"^[a-z][a-z0-9_]*$")
MEAN4_PERIODS = 4
# Limits keep every recursive walk (printing, SQL, evaluation) far from Python's recursion
# limit; real formulas use fewer than 30 tokens and 3 levels of parentheses.
MAX_TOKENS = 200
MAX_NESTING = 30
MAX_OFFSET = 100  # periods back; [t-N] beyond a century is a typo


# --- AST ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Var:
    """A variable at a period offset: `bev_insg` (offset 0) or `bev_insg[t-5]` (offset -5)."""

    name: str
    offset: int = 0

    def __post_init__(self) -> None:
        if not ID_PATTERN.match(self.name):
            raise ValueError(f"not a variable id: {self.name!r}")
        if not isinstance(self.offset, int) or self.offset > 0:
            raise ValueError(f"offset must be an int <= 0, got {self.offset!r}")

    def __str__(self) -> str:
        return _to_text(self)


@dataclass(frozen=True)
class Num:
    """A non-negative finite number (a minus sign is a Neg around it)."""

    value: float

    def __post_init__(self) -> None:
        value = float(self.value)
        if not math.isfinite(value) or value < 0:
            raise ValueError(f"Num must be finite and >= 0, got {self.value!r}")
        object.__setattr__(self, "value", value)

    def __str__(self) -> str:
        return _to_text(self)


@dataclass(frozen=True)
class Neg:
    """Unary minus."""

    expr: Expr

    def __str__(self) -> str:
        return _to_text(self)


@dataclass(frozen=True)
class BinOp:
    """`left op right` with op one of + - * /."""

    op: str
    left: Expr
    right: Expr

    def __post_init__(self) -> None:
        if self.op not in _PRECEDENCE:
            raise ValueError(f"unknown operator {self.op!r}")

    def __str__(self) -> str:
        return _to_text(self)


Expr = Var | Num | Neg | BinOp

_PRECEDENCE = {"+": 1, "-": 1, "*": 2, "/": 2}
_NEG_PRECEDENCE = 3
_ATOM_PRECEDENCE = 4


# --- tokenizer ----------------------------------------------------------------------------

_TOKEN = re.compile(
    r"(?P<space>[ \t\r\n]+)"
    r"|(?P<number>[0-9]+(?:\.[0-9]+)?)"
    r"|(?P<name>[A-Za-z_][A-Za-z0-9_]*)"
    r"|(?P<op>[-+*/()\[\]])"
)


@dataclass(frozen=True)
class _Token:
    kind: str  # "number" | "name" | "op" | "end"
    text: str
    pos: int  # 0-based index into the formula text


def _fail(text: str, pos: int, message: str) -> FormulaError:
    """A one-line FormulaError naming the 1-based position; `.position` keeps it for callers."""
    shown = text if len(text) <= 120 else text[:117] + "..."
    err = FormulaError(f"{message} at position {pos + 1} in formula {shown!r}")
    err.position = pos + 1
    return err


def _tokenize(text: str) -> list[_Token]:
    tokens: list[_Token] = []
    pos = 0
    while pos < len(text):
        m = _TOKEN.match(text, pos)
        if m is None:
            raise _fail(text, pos, f"unexpected character {text[pos]!r}")
        if m.lastgroup != "space":
            tokens.append(_Token(m.lastgroup, m.group(), pos))
            if len(tokens) > MAX_TOKENS:
                raise _fail(text, pos, f"formula too long (more than {MAX_TOKENS} tokens)")
        pos = m.end()
    tokens.append(_Token("end", "", len(text)))
    return tokens


# --- parser -------------------------------------------------------------------------------


class _Parser:
    """Recursive descent over the token list; every error names the position."""

    def __init__(self, text: str):
        self.text = text
        self.tokens = _tokenize(text)
        self.i = 0
        self.nesting = 0
        self.in_mean4 = False

    @property
    def tok(self) -> _Token:
        return self.tokens[self.i]

    def _describe(self, tok: _Token) -> str:
        return "end of formula" if tok.kind == "end" else repr(tok.text)

    def error(self, message: str, tok: _Token | None = None) -> FormulaError:
        return _fail(self.text, (tok or self.tok).pos, message)

    def take(self, text: str) -> bool:
        if self.tok.kind == "op" and self.tok.text == text:
            self.i += 1
            return True
        return False

    def expect(self, text: str, context: str) -> None:
        if not self.take(text):
            raise self.error(f"expected {text!r} {context}, found {self._describe(self.tok)}")

    def parse(self) -> Expr:
        if self.tok.kind == "end":
            raise self.error("empty formula")
        expr = self.expr()
        if self.tok.kind != "end":
            raise self.error(f"expected an operator, found {self._describe(self.tok)}")
        return expr

    def expr(self) -> Expr:
        node = self.term()
        while self.tok.kind == "op" and self.tok.text in "+-":
            op = self.tok.text
            self.i += 1
            node = BinOp(op, node, self.term())
        return node

    def term(self) -> Expr:
        node = self.unary()
        while self.tok.kind == "op" and self.tok.text in "*/":
            op = self.tok.text
            self.i += 1
            node = BinOp(op, node, self.unary())
        return node

    def unary(self) -> Expr:
        signs = 0
        while self.take("-"):
            signs += 1
        node = self.primary()
        for _ in range(signs):
            node = Neg(node)
        return node

    def primary(self) -> Expr:
        tok = self.tok
        if tok.kind == "number":
            self.i += 1
            value = float(tok.text)
            if not math.isfinite(value):
                raise self.error("number too large", tok)
            return Num(value)
        if tok.kind == "name":
            self.i += 1
            if self.tok.kind == "op" and self.tok.text == "(":
                return self.call(tok)
            if not ID_PATTERN.match(tok.text):
                raise self.error(
                    f"{tok.text!r} is not a variable id (lower-case snake_case: a-z, 0-9, _)",
                    tok,
                )
            return Var(tok.text, self.period())
        if self.take("("):
            node = self.nested(self.expr, tok)
            self.expect(")", "to close the '(' at position " + str(tok.pos + 1))
            return node
        raise self.error(f"expected a variable, number or '(', found {self._describe(tok)}", tok)

    def nested(self, parse: Callable[[], Expr], tok: _Token) -> Expr:
        self.nesting += 1
        if self.nesting > MAX_NESTING:
            raise self.error(f"parentheses nested more than {MAX_NESTING} deep", tok)
        try:
            return parse()
        finally:
            self.nesting -= 1

    def call(self, name: _Token) -> Expr:
        if name.text != "mean4":
            raise self.error(f"unknown function {name.text!r} (only mean4 is allowed)", name)
        if self.in_mean4:
            raise self.error("mean4 cannot be nested inside mean4", name)
        self.expect("(", "after mean4")
        self.in_mean4 = True
        try:
            inner = self.nested(self.expr, name)
        finally:
            self.in_mean4 = False
        self.expect(")", f"to close mean4( at position {name.pos + 1}")
        return expand_mean4(inner)

    def period(self) -> int:
        """`[t]` -> 0, `[t-N]` -> -N; no bracket -> 0."""
        if not (self.tok.kind == "op" and self.tok.text == "["):
            return 0
        self.i += 1
        tok = self.tok
        if tok.kind != "name" or tok.text != "t":
            raise self.error(
                f"unknown period {self._describe(tok)} (only [t] or [t-N] is allowed)", tok
            )
        self.i += 1
        offset = 0
        if self.take("-"):
            num = self.tok
            # Length first: int() refuses digit strings longer than 4300 characters.
            ok = num.kind == "number" and num.text.isdigit() and len(num.text) <= 3
            if not (ok and 1 <= int(num.text) <= MAX_OFFSET):
                raise self.error(
                    f"expected a whole number 1 <= N <= {MAX_OFFSET} in [t-N], "
                    f"found {self._describe(num)}",
                    num,
                )
            self.i += 1
            offset = -int(num.text)
        self.expect("]", "to close the period")
        return offset


def parse(text: str) -> Expr:
    """Parse a catalogue formula into an AST; raise FormulaError naming the position."""
    if not isinstance(text, str):
        raise FormulaError(f"a formula must be text, got {type(text).__name__}")
    return _Parser(text).parse()


# --- AST helpers --------------------------------------------------------------------------


def shift(expr: Expr, by: int) -> Expr:
    """The same expression with every variable's offset moved by `by` (<= 0)."""
    if isinstance(expr, Var):
        return Var(expr.name, expr.offset + by)
    if isinstance(expr, Num):
        return expr
    if isinstance(expr, Neg):
        return Neg(shift(expr.expr, by))
    return BinOp(expr.op, shift(expr.left, by), shift(expr.right, by))


def expand_mean4(expr: Expr) -> Expr:
    """`mean4(e)` as plain arithmetic: (e + e[t-1] + e[t-2] + e[t-3]) / 4."""
    total = expr
    for k in range(1, MEAN4_PERIODS):
        total = BinOp("+", total, shift(expr, -k))
    return BinOp("/", total, Num(MEAN4_PERIODS))


def _match_mean4(expr: Expr) -> Expr | None:
    """The inner e if `expr` is exactly the expansion of mean4(e), else None."""
    if not (isinstance(expr, BinOp) and expr.op == "/" and expr.right == Num(MEAN4_PERIODS)):
        return None
    terms: list[Expr] = []
    node = expr.left
    while len(terms) < MEAN4_PERIODS - 1 and isinstance(node, BinOp) and node.op == "+":
        terms.append(node.right)
        node = node.left
    terms.append(node)
    terms.reverse()
    if len(terms) != MEAN4_PERIODS:
        return None
    first = terms[0]
    if all(terms[k] == shift(first, -k) for k in range(1, MEAN4_PERIODS)):
        return first
    return None


def variables(expr: Expr) -> set[tuple[str, int]]:
    """Every (variable id, offset) the expression reads; offsets are <= 0."""
    if isinstance(expr, Var):
        return {(expr.name, expr.offset)}
    if isinstance(expr, Num):
        return set()
    if isinstance(expr, Neg):
        return variables(expr.expr)
    return variables(expr.left) | variables(expr.right)


def evaluate(expr: Expr, value: Callable[[str, int], float | None]) -> float | None:
    """The value in Python, with SQL's rules: a missing input or a division by 0 gives None."""
    if isinstance(expr, Var):
        v = value(expr.name, expr.offset)
        return None if v is None else float(v)
    if isinstance(expr, Num):
        return expr.value
    if isinstance(expr, Neg):
        v = evaluate(expr.expr, value)
        return None if v is None else -v
    left, right = evaluate(expr.left, value), evaluate(expr.right, value)
    if left is None or right is None:
        return None
    if expr.op == "+":
        return left + right
    if expr.op == "-":
        return left - right
    if expr.op == "*":
        return left * right
    return None if right == 0 else left / right


# --- printing -----------------------------------------------------------------------------


@dataclass(frozen=True)
class _Style:
    """How a printer spells leaves, operators and mean4; the parenthesising is shared."""

    leaf: Callable[[Var | Num], str]
    ops: Mapping[str, str]
    minus: str
    mean4: str  # format string with one {} for the inside


def _precedence(expr: Expr, collapse: bool) -> int:
    if isinstance(expr, BinOp):
        if collapse and _match_mean4(expr) is not None:
            return _ATOM_PRECEDENCE
        return _PRECEDENCE[expr.op]
    if isinstance(expr, Neg):
        return _NEG_PRECEDENCE
    return _ATOM_PRECEDENCE


def _render(expr: Expr, style: _Style, collapse: bool = True) -> str:
    """Minimal parentheses for left-associative operators; mean4 expansions folded back."""
    if isinstance(expr, Var | Num):
        return style.leaf(expr)
    if isinstance(expr, Neg):
        inner = _render(expr.expr, style, collapse)
        if _precedence(expr.expr, collapse) < _NEG_PRECEDENCE:
            inner = f"({inner})"
        return style.minus + inner
    if collapse:
        inner = _match_mean4(expr)
        if inner is not None:
            # mean4 may not nest, so its inside is printed without folding again.
            return style.mean4.format(_render(inner, style, collapse=False))
    prec = _PRECEDENCE[expr.op]
    left = _render(expr.left, style, collapse)
    right = _render(expr.right, style, collapse)
    if _precedence(expr.left, collapse) < prec:
        left = f"({left})"
    if _precedence(expr.right, collapse) <= prec:
        right = f"({right})"
    return f"{left} {style.ops[expr.op]} {right}"


def _format_number(value: float) -> str:
    """Shortest text that reads back as the same float, never in exponent notation."""
    if value.is_integer() and abs(value) < 2**53:
        return str(int(value))
    text = repr(value)
    if "e" in text or "E" in text:
        text = format(Decimal(text), "f")
    return text


def _formula_leaf(leaf: Var | Num) -> str:
    if isinstance(leaf, Num):
        return _format_number(leaf.value)
    return leaf.name if leaf.offset == 0 else f"{leaf.name}[t{leaf.offset}]"


_FORMULA = _Style(_formula_leaf, {op: op for op in _PRECEDENCE}, "-", "mean4({})")


def _to_text(expr: Expr) -> str:
    """Canonical formula text, which parses back to an equal AST."""
    return _render(expr, _FORMULA)


# --- SQL ----------------------------------------------------------------------------------


def _sql_number(value: float) -> str:
    # A literal with an exponent is a DOUBLE in DuckDB ("100.0" would be a DECIMAL); repr is
    # the shortest text that reads back as the same float.
    text = repr(float(value))
    return text if "e" in text else text + "e0"


def to_sql(expr: Expr, ref: Callable[[str, int], str]) -> str:
    """A fully parenthesised SQL expression; `ref(name, offset)` gives the column reference.

    Numbers come from the parsed float, never from the formula text; a division by zero
    yields NULL (`a / NULLIF(b, 0)`), like `evaluate`.
    """
    if isinstance(expr, Var):
        return ref(expr.name, expr.offset)
    if isinstance(expr, Num):
        return _sql_number(expr.value)
    if isinstance(expr, Neg):
        return f"(-{to_sql(expr.expr, ref)})"
    left, right = to_sql(expr.left, ref), to_sql(expr.right, ref)
    if expr.op == "/":
        return f"({left} / NULLIF({right}, 0))"
    return f"({left} {expr.op} {right})"


# --- German description -------------------------------------------------------------------


def _german_number(value: float) -> str:
    whole, _, frac = _format_number(value).partition(".")
    whole = f"{int(whole):,}".replace(",", ".")
    return f"{whole},{frac}" if frac else whole


def describe(expr: Expr, names: Mapping[str, str] | None = None) -> str:
    """The formula in words for the Indikatorenkatalog, e.g. "Lebendgeborene / Einwohner".

    `names` maps variable ids to their German names; unknown ids are shown as they are.
    """
    names = names or {}

    def leaf(node: Var | Num) -> str:
        if isinstance(node, Num):
            return _german_number(node.value)
        label = names.get(node.name, node.name)
        if node.offset == 0:
            return label
        return (
            f"{label} (Vorjahr)" if node.offset == -1 else f"{label} ({-node.offset} Jahre zuvor)"
        )

    style = _Style(leaf, {"+": "+", "-": "−", "*": "×", "/": "/"}, "−", "4-Jahres-Mittel von ({})")
    return _render(expr, style)

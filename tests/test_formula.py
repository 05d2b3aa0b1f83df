"""The formula grammar: parsing, canonical printing, SQL that DuckDB agrees with, descriptions."""

from __future__ import annotations

import math

import duckdb
import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from fis.catalog.formula import (
    BinOp,
    Neg,
    Num,
    Var,
    describe,
    evaluate,
    expand_mean4,
    parse,
    to_sql,
    variables,
)
from fis.errors import FormulaError

# --- parsing ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("bev_insg", Var("bev_insg", 0)),
        ("bev_insg[t]", Var("bev_insg", 0)),
        ("bev_insg[t-5]", Var("bev_insg", -5)),
        ("bev_insg[ t - 5 ]", Var("bev_insg", -5)),
        ("100", Num(100.0)),
        ("0.5", Num(0.5)),
        ("a + b * c", BinOp("+", Var("a"), BinOp("*", Var("b"), Var("c")))),
        ("(a + b) * c", BinOp("*", BinOp("+", Var("a"), Var("b")), Var("c"))),
        ("a - b - c", BinOp("-", BinOp("-", Var("a"), Var("b")), Var("c"))),
        ("a / b / c", BinOp("/", BinOp("/", Var("a"), Var("b")), Var("c"))),
        ("-a * b", BinOp("*", Neg(Var("a")), Var("b"))),
        ("a * -b", BinOp("*", Var("a"), Neg(Var("b")))),
        ("--a", Neg(Neg(Var("a")))),
        ("\ta\n+\r\nb ", BinOp("+", Var("a"), Var("b"))),
    ],
)
def test_parse(text, expected):
    assert parse(text) == expected


def test_mean4_expands_into_four_shifted_periods():
    expr = parse("mean4(zuz_18_u25 - fort_18_u25[t-1])")
    by_hand = parse(
        "(zuz_18_u25 - fort_18_u25[t-1] + (zuz_18_u25[t-1] - fort_18_u25[t-2])"
        " + (zuz_18_u25[t-2] - fort_18_u25[t-3]) + (zuz_18_u25[t-3] - fort_18_u25[t-4])) / 4"
    )
    assert expr == by_hand
    assert variables(expr) == {("zuz_18_u25", -k) for k in range(4)} | {
        ("fort_18_u25", -k) for k in range(1, 5)
    }


def test_mean4_leaves_only_plain_nodes():
    def kinds(node):
        if isinstance(node, BinOp):
            return {BinOp} | kinds(node.left) | kinds(node.right)
        if isinstance(node, Neg):
            return {Neg} | kinds(node.expr)
        return {type(node)}

    assert kinds(parse("mean4(-(a + 2) * b[t-1])")) <= {Var, Num, Neg, BinOp}


@pytest.mark.parametrize(
    ("text", "canonical"),
    [
        ("bev_insg[t] - bev_insg[t-5]", "bev_insg - bev_insg[t-5]"),
        ("(a)+((b))", "a + b"),
        ("a-(b-c)", "a - (b - c)"),
        ("a/(b*c)", "a / (b * c)"),
        ("(a*b)/c", "a * b / c"),
        ("-(a+b)", "-(a + b)"),
        ("1.50 * x", "1.5 * x"),
        ("mean4( a-b )", "mean4(a - b)"),
        ("(x + x[t-1] + x[t-2] + x[t-3]) / 4", "mean4(x)"),
        ("mean4((a + a[t-1] + a[t-2] + a[t-3]) / 4)", "mean4((a + a[t-1] + a[t-2] + a[t-3]) / 4)"),
        ("-mean4(a) / 2", "-mean4(a) / 2"),
    ],
)
def test_canonical_text(text, canonical):
    expr = parse(text)
    assert str(expr) == canonical
    assert parse(str(expr)) == expr


@pytest.mark.parametrize(
    ("text", "position", "says"),
    [
        ("", 1, "empty formula"),
        ("1; DROP TABLE x", 2, "unexpected character ';'"),
        ("bev_insg[zieljahr]", 10, "unknown period 'zieljahr'"),
        ("bev_prog[zieljahr] - bev_insg[basisjahr]", 10, "unknown period"),
        ("sum_a(geb / bev_w_a)", 1, "unknown function 'sum_a'"),
        ("median(bev_nach_alter)", 1, "unknown function 'median'"),
        ("mean4(mean4(x))", 7, "cannot be nested"),
        ("x[t+1]", 4, "expected ']'"),
        ("x[t-0]", 5, "1 <= N"),
        ("x[t-1.5]", 5, "whole number"),
        ("x[t-101]", 5, "<= 100"),
        ("Bev_insg", 1, "not a variable id"),
        ("a +", 4, "end of formula"),
        ("a b", 3, "expected an operator"),
        ("(a", 3, "expected ')'"),
        ("a)", 2, "expected an operator"),
        ("+a", 1, "found '+'"),
        ("a ** b", 4, "found '*'"),
        (".5", 1, "unexpected character '.'"),
        ("1.", 2, "unexpected character '.'"),
        ("a ≥ b", 3, "unexpected character"),
        ("(a + b)[t-1]", 8, "expected an operator"),
        ("1" * 400, 1, "number too large"),
    ],
)
def test_errors_name_the_position(text, position, says):
    with pytest.raises(FormulaError) as info:
        parse(text)
    message = str(info.value)
    assert f"at position {position} " in message
    assert says in message
    assert "\n" not in message
    assert info.value.position == position


@pytest.mark.parametrize(
    "text",
    [
        "(" * 1000 + "a" + ")" * 1000,
        "x[t-" + "1" * 5000 + "]",
        "1" * 5000,
        "-" * 5000 + "a",
        "a+" * 2000 + "a",
        "mean4(" * 50 + "a",
    ],
)
def test_pathological_input_is_a_formula_error_not_a_crash(text):
    with pytest.raises(FormulaError):
        parse(text)


def test_non_text_is_a_formula_error():
    with pytest.raises(FormulaError):
        parse(None)  # type: ignore[arg-type]


def test_nodes_refuse_nonsense():
    with pytest.raises(ValueError):
        Var("a", 1)
    with pytest.raises(ValueError):
        Var("A")
    with pytest.raises(ValueError):
        Num(-1)
    with pytest.raises(ValueError):
        Num(math.inf)
    with pytest.raises(ValueError):
        BinOp("%", Num(1), Num(2))


# --- properties ---------------------------------------------------------------------------

GRAMMAR_CHARS = "abt_0123456789.+-*/()[] "
names = st.sampled_from(["a", "b", "bev_u3", "zuz_18_u25"])
numbers = st.one_of(
    st.integers(0, 10**6).map(float),
    st.floats(0, 1e6, allow_nan=False, allow_infinity=False),
    st.floats(1e-30, 1e30, allow_nan=False, allow_infinity=False),
)
leaves = st.one_of(
    st.builds(Var, names, st.integers(-6, 0)),
    st.builds(Num, numbers),
)
exprs = st.recursive(
    leaves,
    lambda inner: st.one_of(
        st.builds(Neg, inner),
        st.builds(BinOp, st.sampled_from("+-*/"), inner, inner),
    ),
    max_leaves=12,
)


@given(st.text(max_size=80))
def test_any_text_parses_or_raises_formula_error(text):
    try:
        result = parse(text)
    except FormulaError:
        return
    assert isinstance(result, Var | Num | Neg | BinOp)


@given(st.text(alphabet=GRAMMAR_CHARS, max_size=60))
def test_grammar_like_text_parses_or_raises_and_round_trips(text):
    try:
        expr = parse(text)
    except FormulaError:
        return
    assert parse(str(expr)) == expr


@given(exprs)
def test_round_trip_of_any_tree(expr):
    assert parse(str(expr)) == expr


@given(exprs)
def test_round_trip_through_mean4(expr):
    wrapped = expand_mean4(expr)
    assert parse(str(wrapped)) == wrapped
    assert parse(f"mean4({expr})") == wrapped


@given(exprs)
def test_variables_have_offsets_at_most_zero(expr):
    assert all(offset <= 0 for _, offset in variables(expr))


# --- SQL ----------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def con():
    connection = duckdb.connect(":memory:")
    yield connection
    connection.close()


def _column(name: str, offset: int) -> str:
    return f"{name}_{-offset}"


def _sql_value(con, expr, values: dict[tuple[str, int], float]) -> float | None:
    """Run to_sql(expr) against a one-row VALUES table holding `values`."""
    cols = sorted(values)
    if cols:
        row = ", ".join(f"CAST({values[c]!r} AS DOUBLE)" for c in cols)
        names_sql = ", ".join(_column(*c) for c in cols)
        source = f"(VALUES ({row})) AS v({names_sql})"
    else:
        source = "(SELECT 1) AS v"
    return con.execute(f"SELECT {to_sql(expr, _column)} FROM {source}").fetchall()[0][0]


def _agree(python: float | None, sql: float | None) -> bool:
    if python is None or sql is None:
        return python is None and sql is None
    return math.isclose(python, sql, rel_tol=1e-12, abs_tol=1e-300)


@settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(exprs, st.lists(st.integers(-1000, 1000).map(float), min_size=28, max_size=28))
def test_sql_agrees_with_python(con, expr, pool):
    keys = sorted(variables(expr))
    values = {key: pool[i % len(pool)] for i, key in enumerate(keys)}
    python = evaluate(expr, lambda name, offset: values[(name, offset)])
    assume(python is None or math.isfinite(python))
    assert _agree(python, _sql_value(con, expr, values))


@settings(deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.floats(0, 1e300, allow_nan=False, allow_infinity=False))
def test_sql_numbers_are_exact(con, value):
    assert con.execute(f"SELECT {to_sql(Num(value), _column)}").fetchall()[0][0] == value


def test_sql_division_by_zero_is_null(con):
    expr = parse("a / (b - b)")
    assert _sql_value(con, expr, {("a", 0): 1.0, ("b", 0): 5.0}) is None
    assert evaluate(expr, lambda n, o: {"a": 1.0, "b": 5.0}[n]) is None


def test_sql_uses_only_the_callers_references():
    sql = to_sql(parse("mean4(zuz_u6 - fort_u6) * 100"), lambda n, o: f"v{len(n)}_{-o}.value")
    assert "zuz" not in sql and "fort" not in sql and "mean4" not in sql
    assert "NULLIF(" in sql
    assert "--" not in to_sql(parse("--a"), lambda n, o: "x")


def test_sql_of_a_catalogue_formula(con):
    expr = parse("(zuz_insg - fort_insg) * 1000 / bev_insg")
    values = {("zuz_insg", 0): 120.0, ("fort_insg", 0): 100.0, ("bev_insg", 0): 4000.0}
    assert _sql_value(con, expr, values) == pytest.approx(5.0)


TFR = (
    "5 * (geb_mutter_15_u20 / bev_w_15_u20 + geb_mutter_20_u25 / bev_w_20_u25"
    " + geb_mutter_25_u30 / bev_w_25_u30 + geb_mutter_30_u35 / bev_w_30_u35"
    " + geb_mutter_35_u40 / bev_w_35_u40 + geb_mutter_40_u45 / bev_w_40_u45)"
)


def test_total_fertility_rate_from_five_year_classes(con):
    """The TFR without sum_a: 5 × the sum of the six class rates, in Python and in SQL."""
    expr = parse(TFR)
    births = {15: 20, 20: 150, 25: 400, 30: 500, 35: 250, 40: 50}
    women = dict.fromkeys(births, 5000.0)
    values = {(f"geb_mutter_{a}_u{a + 5}", 0): float(b) for a, b in births.items()}
    values |= {(f"bev_w_{a}_u{a + 5}", 0): w for a, w in women.items()}
    expected = 5 * sum(births[a] / women[a] for a in births)  # 1.37 children per woman
    assert evaluate(expr, lambda n, o: values[(n, o)]) == pytest.approx(expected)
    assert _sql_value(con, expr, values) == pytest.approx(expected)
    assert parse(str(expr)) == expr
    # A class without women (a tiny Gemeinde) makes the whole rate unknown, not a wrong number.
    values[("bev_w_40_u45", 0)] = 0.0
    assert _sql_value(con, expr, values) is None


# --- description --------------------------------------------------------------------------

NAMES = {
    "geb_lebend": "Lebendgeborene",
    "bev_insg": "Einwohner insgesamt",
    "zuz_u6": "Zuzüge unter 6",
    "fort_u6": "Fortzüge unter 6",
}


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ("geb_lebend / bev_insg", "Lebendgeborene / Einwohner insgesamt"),
        ("1000 * (zuz_u6 - fort_u6)", "1.000 × (Zuzüge unter 6 − Fortzüge unter 6)"),
        ("bev_insg - bev_insg[t-5]", "Einwohner insgesamt − Einwohner insgesamt (5 Jahre zuvor)"),
        ("bev_insg[t-1] * 0.5", "Einwohner insgesamt (Vorjahr) × 0,5"),
        ("mean4(zuz_u6)", "4-Jahres-Mittel von (Zuzüge unter 6)"),
        ("unbekannt", "unbekannt"),
    ],
)
def test_describe(text, words):
    assert describe(parse(text), NAMES) == words

"""Compile a filter expression to a parameterised SQL condition on ``docs d``."""

from __future__ import annotations

from content_hub.search._filters import (
    INT_FIELDS,
    LIST_FIELDS,
    And,
    Eq,
    FilterExpr,
    In,
    Or,
    Range,
    Value,
)

# Column names come from this fixed map, never from the expression.
_COLUMNS = {
    "type_key": "d.type_key",
    "status": "d.status",
    "stage": "d.stage",
    "locale": "d.locale",
    "updated_at": "d.updated_at",
    "published_at": "d.published_at",
}
_LIST_SQL = (
    "EXISTS (SELECT 1 FROM doc_values v "
    "WHERE v.field = '{field}' AND v.value {op} AND v.rid = d.rid)"
)


def _placeholders(values: list[Value], params: list[Value]) -> str:
    params.extend(values)
    return "(" + ", ".join("?" * len(values)) + ")"


def compile_sql(expr: FilterExpr, params: list[Value]) -> str:
    """A SQL condition for a *validated* expression; values go to *params*.

    Every condition is two-valued (never NULL), so ``NOT`` is a true
    complement, as in Meilisearch: ``NOT published_at >= x`` includes
    documents without ``published_at``.
    """
    if isinstance(expr, Eq | In):
        values = [expr.value] if isinstance(expr, Eq) else list(expr.values)
        if expr.field in LIST_FIELDS:
            field = "terms" if expr.field == "terms" else "channels"
            op = "IN " + _placeholders(values, params)
            return _LIST_SQL.format(field=field, op=op)
        column = _COLUMNS[expr.field]
        condition = f"{column} IN {_placeholders(values, params)}"
        if expr.field in INT_FIELDS:
            return f"({column} IS NOT NULL AND {condition})"
        return condition
    if isinstance(expr, Range):
        column = _COLUMNS[expr.field]
        parts = [f"{column} IS NOT NULL"]
        if expr.gte is not None:
            parts.append(f"{column} >= ?")
            params.append(expr.gte)
        if expr.lte is not None:
            parts.append(f"{column} <= ?")
            params.append(expr.lte)
        return "(" + " AND ".join(parts) + ")"
    if isinstance(expr, And):
        return "(" + " AND ".join(compile_sql(i, params) for i in expr.items) + ")"
    if isinstance(expr, Or):
        return "(" + " OR ".join(compile_sql(i, params) for i in expr.items) + ")"
    return f"NOT ({compile_sql(expr.item, params)})"

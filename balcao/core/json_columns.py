"""Related rows read as one JSON column of another query, on SQLite and PostgreSQL alike.

A page that shows a few fields of several related rows (the previous invoice, the dunning
notices of an invoice) can read each group as ONE subquery returning a JSON object or array
instead of one subquery per field: the query stays one query, and both Django (compiling
it) and PostgreSQL (planning it) pay for a handful of subqueries instead of dozens.

``JsonObject`` (one row) and ``JsonRows`` (an aggregate: a group of rows) write the JSON;
it travels as text and is parsed here with ``parse_float=Decimal``, so that amounts
stay exact (Django's JSONField would parse them as floats); dates come as ISO text and
booleans as true/false (PostgreSQL) or 1/0 (SQLite): ``as_date`` and ``as_decimal`` read
them back the same on both.
"""

import datetime
import json
from collections.abc import Sequence
from decimal import Decimal
from typing import Any

from django.db.models import Aggregate, Func, QuerySet, Subquery, TextField


def _object_sql(
    compiler: Any, function: str, keys: Sequence[str], expressions: Sequence[Any]
) -> tuple[str, tuple[Any, ...]]:
    """JSON_OBJECT('key', value, ...) on SQLite, JSON_BUILD_OBJECT on PostgreSQL.

    Django's JSONObject passes each key as a parameter, cast to text on PostgreSQL: three
    expressions to resolve and compile per key, on every request. The keys here are
    identifiers written in the code, so they go into the SQL as they are."""
    parts: list[str] = []
    params: list[Any] = []
    for key, expression in zip(keys, expressions, strict=True):
        sql, expression_params = compiler.compile(expression)
        parts.append(f"'{key}', {sql}")
        params.extend(expression_params)
    return f"{function}({', '.join(parts)})", tuple(params)


def _keys(fields: dict[str, Any]) -> tuple[str, ...]:
    for key in fields:
        if not key.isidentifier():
            raise ValueError(f"A JSON key must be an identifier: {key!r}")
    return tuple(fields)


class JsonObject(Func):
    """One row's fields (``key=field name or expression``) as a JSON object, in text."""

    output_field = TextField()

    def __init__(self, **fields: Any) -> None:
        self.keys = _keys(fields)
        super().__init__(*fields.values())

    # One method per database (no as_sql: any other database is not supported).
    def as_sqlite(
        self, compiler: Any, connection: Any, **extra: Any
    ) -> tuple[str, tuple[Any, ...]]:
        return _object_sql(compiler, "JSON_OBJECT", self.keys, self.get_source_expressions())

    def as_postgresql(
        self, compiler: Any, connection: Any, **extra: Any
    ) -> tuple[str, tuple[Any, ...]]:
        sql, params = _object_sql(
            compiler, "JSON_BUILD_OBJECT", self.keys, self.get_source_expressions()
        )
        return f"{sql}::text", params


class JsonRows(Aggregate):
    """The rows' fields (``key=field name or expression``) as one JSON array of objects,
    in text: json_group_array on SQLite, json_agg on PostgreSQL. In no particular order:
    sort them once parsed."""

    output_field = TextField()

    def __init__(self, **fields: Any) -> None:
        self.keys = _keys(fields)
        super().__init__(*fields.values())

    def _expressions(self) -> list[Any]:
        return [e for e in self.get_source_expressions() if e is not None]  # no filter

    def as_sqlite(
        self, compiler: Any, connection: Any, **extra: Any
    ) -> tuple[str, tuple[Any, ...]]:
        sql, params = _object_sql(compiler, "JSON_OBJECT", self.keys, self._expressions())
        return f"JSON_GROUP_ARRAY({sql})", params

    def as_postgresql(
        self, compiler: Any, connection: Any, **extra: Any
    ) -> tuple[str, tuple[Any, ...]]:
        sql, params = _object_sql(compiler, "JSON_BUILD_OBJECT", self.keys, self._expressions())
        return f"JSON_AGG({sql})::text", params


def rows_subquery(rows: QuerySet, group_by: str, **fields: Any) -> Subquery:
    """``rows`` (filtered by an OuterRef) as one column: their ``fields`` as a JSON array,
    grouped by ``group_by`` (the column they share with the outer row); NULL without rows."""
    return Subquery(
        rows.order_by().values(group_by).annotate(rows=JsonRows(**fields)).values("rows")
    )


def parse(text: str | None) -> Any:
    """The JSON read by ``JsonObject`` or ``JsonRows`` (None when there was no row)."""
    if text is None:
        return None
    return json.loads(text, parse_float=Decimal)


def as_date(value: Any) -> datetime.date | None:
    """A date column's value in the JSON ("2026-09-01", or None)."""
    if value is None:
        return None
    return datetime.date.fromisoformat(str(value)[:10])


def as_decimal(value: Any, places: int) -> Decimal:
    """A decimal column's value in the JSON, with its field's decimal places."""
    return Decimal(str(value)).quantize(Decimal(1).scaleb(-places))

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

from django.db.models import Aggregate, Func, TextField


def _object_sql(
    compiler: Any, connection: Any, keys: Sequence[str], expressions: Sequence[Any]
) -> tuple[str, list[Any]]:
    """JSON_OBJECT('key', value, ...) on SQLite, JSON_BUILD_OBJECT on PostgreSQL.

    Django's JSONObject passes each key as a parameter, cast to text on PostgreSQL: three
    expressions to resolve and compile per key, on every request. The keys here are
    identifiers written in the code, so they go into the SQL as they are."""
    parts, params = [], []
    for key, expression in zip(keys, expressions, strict=True):
        sql, expression_params = compiler.compile(expression)
        parts.append(f"'{key}', {sql}")
        params.extend(expression_params)
    function = "JSON_BUILD_OBJECT" if connection.vendor == "postgresql" else "JSON_OBJECT"
    return f"{function}({', '.join(parts)})", params


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

    def as_sql(
        self, compiler: Any, connection: Any, **extra_context: Any
    ) -> tuple[str, Sequence[Any]]:
        sql, params = _object_sql(compiler, connection, self.keys, self.get_source_expressions())
        if connection.vendor == "postgresql":
            sql += "::text"
        return sql, params


class JsonRows(Aggregate):
    """The rows' fields (``key=field name or expression``) as one JSON array of objects,
    in text: json_group_array on SQLite, json_agg on PostgreSQL. In no particular order:
    sort them once parsed."""

    output_field = TextField()

    def __init__(self, **fields: Any) -> None:
        self.keys = _keys(fields)
        super().__init__(*fields.values())

    def as_sql(
        self, compiler: Any, connection: Any, **extra_context: Any
    ) -> tuple[str, Sequence[Any]]:
        expressions = [e for e in self.get_source_expressions() if e is not None]  # no filter
        sql, params = _object_sql(compiler, connection, self.keys, expressions)
        if connection.vendor == "postgresql":
            return f"JSON_AGG({sql})::text", params
        return f"JSON_GROUP_ARRAY({sql})", params


def parse(text: str | None) -> Any:
    """The JSON read by ``json_text`` or ``JsonRows`` (None when there was no row)."""
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

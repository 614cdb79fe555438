"""Many new rows whose keys nobody reads back (an invoice's lines, events, many-to-many
links), in as few INSERT statements as the database takes.

Django's ``bulk_create`` compiles each value of each row into SQL on its own (about 4 µs
a value, 50 µs a row of 12 columns): for the billing run's 20 such rows per invoice that is
most of its time. ``insert_rows`` writes the same rows, each value prepared by its field
(``pre_save`` and ``get_db_prep_save``, as ``bulk_create`` does), with the statement built
once per batch. Like ``bulk_create``, it sends no signals and calls no ``save()``; the
objects get their primary keys back when asked (``returning_pks``, as ``bulk_create`` on
PostgreSQL and SQLite ≥ 3.35: from INSERT … RETURNING, in the rows' order). On PostgreSQL
rows without keys back go by COPY (psycopg streams and adapts them in C), and those with
keys as one array per column (UNNEST), as in Django's bulk_create. COPY is not an
``execute``: Django's execute wrappers and query logs do not list it.
"""

from collections.abc import Sequence
from typing import Any

from django.db import connections, router
from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.models import Field, Model


def insert_rows(objs: Sequence[Model], *, returning_pks: bool = False) -> None:
    """INSERT ``objs`` (new instances of one model, auto primary key) in batches."""
    if not objs:
        return
    model = type(objs[0])
    opts = model._meta
    connection = connections[router.db_for_write(model)]
    if returning_pks and not connection.features.can_return_rows_from_bulk_insert:
        model._default_manager.bulk_create(objs)
        return
    fields = [field for field in opts.concrete_fields if not field.primary_key]
    for obj in objs:
        # Foreign keys to objects saved after they were assigned take their new keys.
        obj._prepare_related_fields_for_save(operation_name="insert_rows")  # type: ignore[attr-defined]
    rows = [
        [field.get_db_prep_save(field.pre_save(obj, True), connection) for field in fields]
        for obj in objs
    ]
    keys = _insert(connection, model, fields, rows, returning_pks=returning_pks)
    for obj, pk in zip(objs, keys or [None] * len(objs), strict=True):
        if returning_pks:
            obj.pk = pk
        obj._state.adding = False
        obj._state.db = connection.alias


def insert_values(
    model: type[Model],
    names: Sequence[str],
    rows: Sequence[Sequence[Any]],
    *,
    returning_pks: bool = False,
) -> list[Any]:
    """INSERT rows given as values in the order of ``names`` (the model's field names; a
    foreign key's value is the key), without building an instance per row (10 µs each);
    each value prepared by its field. The other columns must have a database default or
    allow NULL: nothing fills them in. With ``returning_pks``, the new keys in the rows'
    order (INSERT … RETURNING: PostgreSQL, SQLite ≥ 3.35)."""
    if not rows:
        return []
    connection = connections[router.db_for_write(model)]
    if returning_pks and not connection.features.can_return_rows_from_bulk_insert:
        raise NotImplementedError(f"{connection.vendor} cannot return the keys of an INSERT.")
    fields = [model._meta.get_field(name) for name in names]
    prepared = [
        [
            field.get_db_prep_save(value, connection)  # type: ignore[union-attr]
            for field, value in zip(fields, row, strict=True)
        ]
        for row in rows
    ]
    return _insert(connection, model, fields, prepared, returning_pks=returning_pks)  # type: ignore[arg-type]


def _insert(
    connection: BaseDatabaseWrapper,
    model: type[Model],
    fields: Sequence[Field],
    rows: list[list[Any]],
    *,
    returning_pks: bool,
) -> list[Any]:
    """The statements of ``insert_rows`` and ``insert_values``; the new keys if asked."""
    opts = model._meta
    quote = connection.ops.quote_name
    # A concrete field has a column and a type (the stubs allow None for the others).
    columns = ", ".join(quote(str(field.column)) for field in fields)
    # Names from the model's metadata, quoted; every value is a parameter.
    head = f"INSERT INTO {quote(opts.db_table)} ({columns}) "  # noqa: S608
    tail = f" RETURNING {quote(str(opts.pk.column))}" if returning_pks else ""
    size = max(connection.ops.bulk_batch_size(list(fields), rows), 1)
    keys: list[Any] = []
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql" and not returning_pks:
            # COPY: the rows streamed and adapted by psycopg in C, no statement to plan.
            with cursor.copy(f"COPY {quote(opts.db_table)} ({columns}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
            return keys
        for start in range(0, len(rows), size):
            statement, params = _values(connection, fields, rows[start : start + size])
            cursor.execute(head + statement + tail, params)
            if returning_pks:
                keys += [pk for (pk,) in cursor.fetchall()]
    return keys


def _values(
    connection: BaseDatabaseWrapper, fields: Sequence[Field], rows: list[list[Any]]
) -> tuple[str, list[Any]]:
    """``VALUES (%s, …), …`` with the rows' values; on PostgreSQL one array per column,
    ``SELECT * FROM UNNEST(%s::type[], …)``, as Django's own bulk_create: a statement of a
    few parameters that the driver parses once, instead of one per value."""
    if connection.vendor == "postgresql" and len(rows) > 1:
        types = [str(field.db_type(connection)).split("(")[0] for field in fields]
        arrays = ", ".join(f"(%s)::{db_type}[]" for db_type in types)
        columns = [list(column) for column in zip(*rows, strict=True)]
        return f"SELECT * FROM UNNEST({arrays})", columns  # noqa: S608  # nosec B608
    placeholders = "({})".format(", ".join(["%s"] * len(fields)))
    return "VALUES " + ", ".join([placeholders] * len(rows)), [v for row in rows for v in row]
